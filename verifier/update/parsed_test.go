package update

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
)

// parseFile parses a guide from disk with its includes.
func parseFile(t *testing.T, path string) (*runbook.Guide, []byte) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := parser.Parse(path, src, os.DirFS(filepath.Dir(path)))
	if g == nil {
		t.Fatalf("%s: no guide", path)
	}
	return g, src
}

// echoResults pretends every command of the guide drifted and printed
// exactly what the guide documents, elisions left out. Rewriting from them
// must give the guide back unchanged, which checks that the parser's
// ExpectLine and Expect point at the documented lines, for every command.
func echoResults(g *runbook.Guide) []runbook.Result {
	var rs []runbook.Result
	for _, st := range g.Steps {
		cmd, ok := st.(*runbook.Command)
		if !ok {
			rs = append(rs, runbook.Result{Step: st, Verdict: runbook.OK})
			continue
		}
		var out []string
		for i, l := range cmd.Expect {
			if newMatcher(l, i, cmd.Answers, nil).elision {
				continue
			}
			out = append(out, l)
		}
		rs = append(rs, runbook.Result{Step: cmd, Verdict: runbook.Drift,
			Outcome: &runbook.Outcome{Output: strings.Join(out, "\n") + "\n"}})
	}
	return rs
}

func TestRoundTripSynapse(t *testing.T) {
	g, src := parseFile(t, "../../guides/synapse.rst")
	got, err := Rewrite(src, g.Name, echoResults(g), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(src) {
		t.Errorf("unchanged output changed the guide:\n%s", Patch(src, got, g.Name))
	}
}

// TestRoundTripLab does the same for every lab guide: any difference means
// a command's documented output is not where the model says it is.
func TestRoundTripLab(t *testing.T) {
	const lab = "../../../shared/lab"
	if _, err := os.Stat(lab); err != nil {
		t.Skip("no ../shared/lab")
	}
	files, _ := filepath.Glob(filepath.Join(lab, "*.rst"))
	if len(files) == 0 {
		t.Fatal("no lab guides")
	}
	for _, path := range files {
		g, src := parseFile(t, path)
		got, err := Rewrite(src, g.Name, echoResults(g), Options{})
		for _, e := range unwrap(err) {
			// The transcript reads "[isabell@stardust api]$ [...]" as an
			// elision in the output; that line is a prompt and cannot be
			// rewritten in place, so Rewrite must refuse it.
			if !strings.Contains(e.Error(), "does not hold the documented output \"[...]\"") {
				t.Errorf("%v", e)
			}
		}
		if string(got) != string(src) {
			t.Errorf("%s changed:\n%s", path, Patch(src, got, g.Name))
		}
	}
}

// unwrap lists the errors joined in err.
func unwrap(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
