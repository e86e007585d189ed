package verifier

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
)

// guideFiles lists the guides in the repository (guides/synapse.rst and
// the sample guides in fixtures/), then the lab sample in ../shared/lab when
// it is there: extra data, never required. lab reports whether it was.
func guideFiles(t *testing.T) (files []string, lab bool) {
	files = []string{filepath.Join("..", "guides", "synapse.rst")}
	fixtures, err := filepath.Glob(filepath.Join("..", "fixtures", "*.rst"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no sample guides in ../fixtures: %v", err)
	}
	files = append(files, fixtures...)
	dir := filepath.Join("..", "..", "shared", "lab")
	if _, err := os.Stat(dir); err != nil {
		t.Logf("no lab sample at %s; checking the guides in the repository only", dir)
		return files, false
	}
	more, err := filepath.Glob(filepath.Join(dir, "*.rst"))
	if err != nil {
		t.Fatal(err)
	}
	return append(files, more...), true
}

func commands(t *testing.T, file string) []*runbook.Command {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := parser.Parse(file, src, os.DirFS(filepath.Dir(file)))
	var cmds []*runbook.Command
	for _, st := range g.Steps {
		if c, ok := st.(*runbook.Command); ok {
			cmds = append(cmds, c)
		}
	}
	return cmds
}

// terminal prints a command's documented output the way a terminal would
// show it: elisions filled with other lines, inline elisions with text,
// hidden answers not echoed, a closing REPL prompt with its \q, and the
// whole thing in colour with CRLF line ends.
func terminal(c *runbook.Command) string {
	kind := map[int]runbook.AnswerKind{}
	for _, a := range c.Answers {
		kind[a.Line] = a.Kind
	}
	var b strings.Builder
	for i, l := range c.Expect {
		switch k, ok := kind[i]; {
		case runbook.IsElisionLine(l):
			b.WriteString("some line the guide leaves out\r\nand another one\r\n")
			continue
		case ok && k == runbook.Hidden:
			l = hiddenPrompt(l) + " "
		case ok && k == runbook.EndInput:
			l += ` \q`
		}
		if runbook.HasInlineElision(l) {
			l = strings.Join(runbook.SplitElisions(l), "elided text")
		}
		b.WriteString("\x1b[0m" + l + "\x1b[K\r\n")
	}
	return b.String()
}

var longWord = regexp.MustCompile(`\b[A-Za-z]{4,}\b`)

// TestGuidesSelfMatch runs every documented command output of the real
// guides through the verifier twice: as a terminal would print it (ok),
// and with one word changed (drift, with the changed line in the diff).
func TestGuidesSelfMatch(t *testing.T) {
	checked, mutated := 0, 0
	files, lab := guideFiles(t)
	for _, file := range files {
		for _, c := range commands(t, file) {
			out := &runbook.Outcome{Output: terminal(c)}
			res := Verify(c, out, Options{})
			if res.Verdict != runbook.OK && !strings.HasPrefix(res.Reason, "prompt shows") {
				t.Errorf("%s: documented output does not match itself: %s\n%s", c.Pos, res.Reason, res.Diff)
			}
			checked++
			// Change one word of the last plain line.
			answers := map[int]bool{}
			for _, a := range c.Answers {
				answers[a.Line] = true
			}
			for i := len(c.Expect) - 1; i >= 0; i-- {
				l := c.Expect[i]
				w := longWord.FindString(l)
				if answers[i] || runbook.IsElisionLine(l) || runbook.HasInlineElision(l) || w == "" {
					continue
				}
				changed := *c
				changed.Expect = append([]string(nil), c.Expect...)
				changed.Expect[i] = strings.Replace(l, w, "Zyxwv", 1)
				res := Verify(c, &runbook.Outcome{Output: terminal(&changed)}, Options{})
				if res.Verdict != runbook.Drift || !strings.Contains(res.Diff, "+") || !strings.Contains(res.Diff, "Zyxwv") {
					t.Errorf("%s: one changed word (%s) gives %s:\n%s", c.Pos, w, res.Verdict, res.Diff)
				}
				mutated++
				break
			}
		}
	}
	// The repository's own guides have 105 commands, 54 of them with a word
	// to change; the lab sample adds about a thousand more.
	wantChecked, wantMutated := 100, 50
	if lab {
		wantChecked, wantMutated = 500, 250
	}
	if checked < wantChecked || mutated < wantMutated {
		t.Errorf("only %d commands checked, %d mutated; want at least %d and %d", checked, mutated, wantChecked, wantMutated)
	}
	t.Logf("%d commands checked, %d with a changed word", checked, mutated)
}

// TestSynapseDrift checks the known drift of guides/synapse.rst: the
// prompt that says synape while the shell is in ~/synapse.
func TestSynapseDrift(t *testing.T) {
	found := false
	for _, c := range commands(t, filepath.Join("..", "guides", "synapse.rst")) {
		if c.Prompt.Dir != "synape" {
			continue
		}
		found = true
		res := Verify(c, &runbook.Outcome{Output: terminal(c), Dir: "/home/isabell/synapse"}, Options{Home: "/home/isabell"})
		if res.Verdict != runbook.Drift || res.Reason != "prompt shows synape but the shell is in ~/synapse" {
			t.Errorf("%s: %s %q", c.Pos, res.Verdict, res.Reason)
		}
	}
	if !found {
		t.Fatal("the parser found no prompt with synape in guides/synapse.rst")
	}
}
