package learn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/ansi"
	"github.com/runbookdev/runbook/internal/quote"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
)

// labDir holds guides other people wrote (../shared/lab beside the repository).
const labDir = "../../shared/lab"

// labLessons are the lab guides as lessons, skipping only when the folder is absent.
func labLessons(t *testing.T) map[string]*Lesson {
	t.Helper()
	if _, err := os.Stat(labDir); os.IsNotExist(err) {
		t.Skipf("%s is absent", labDir)
	}
	paths, _ := filepath.Glob(filepath.Join(labDir, "*.rst"))
	if len(paths) == 0 {
		t.Fatalf("no guides in %s", labDir)
	}
	out := map[string]*Lesson{}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := parser.Parse(filepath.Base(p), src, os.DirFS(labDir))
		ps := params.Detect(g)
		l, err := New(g, params.Apply(g, ps), runbook.NewReplacer(ps), "/home/isabell")
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = l
	}
	return out
}

// respaced writes a command's words again, each quoted anew and two
// spaces apart: the same command to bash, so it must match.
func respaced(text string) string {
	var b strings.Builder
	for i, w := range shellWords(text, "/home/isabell") {
		if i > 0 {
			b.WriteString("  ")
		}
		switch {
		case w.op:
			b.WriteString(w.text)
		case isAssignment(w.src):
			b.WriteString(w.src) // quoted, it would be a command, not an assignment
		default:
			b.WriteString(quote.ShellWord(w.text))
		}
	}
	return b.String()
}

// TestLabCommandsMatch: every command of every lab guide matches itself,
// and the same words spaced and quoted anew, but not with its last word
// left out.
func TestLabCommandsMatch(t *testing.T) {
	n := 0
	for name, l := range labLessons(t) {
		for _, st := range l.Steps() {
			c, ok := st.(*runbook.Command)
			if !ok || strings.TrimSpace(c.Text) == "" {
				continue
			}
			n++
			if m, _ := compareCommands(c.Text, c.Text, l.home); m != sameCommand {
				t.Errorf("%s: %s: %q does not match itself", name, c.Pos, c.Text)
			}
			// A heredoc body or a substitution is one word that requoting would turn into text.
			if strings.Contains(c.Text, "<<") || strings.ContainsAny(c.Text, "`") || strings.Contains(c.Text, "$(") {
				continue
			}
			if m, d := compareCommands(c.Text, respaced(c.Text), l.home); m != sameCommand {
				t.Errorf("%s: %s: %q does not match %q: %+v", name, c.Pos, c.Text, respaced(c.Text), d)
			}
			ws := shellWords(c.Text, l.home)
			if len(ws) > 1 && !ws[len(ws)-1].op {
				short := respaced(c.Text)
				short = short[:strings.LastIndex(short, "  ")]
				if m, _ := compareCommands(c.Text, short, l.home); m == sameCommand {
					t.Errorf("%s: %s: %q matches without its last word", name, c.Pos, c.Text)
				}
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d commands in the lab guides", n)
	}
}

// TestLabScreensFit renders every step of every lab guide at 80 columns,
// with and without colour: prose, messages and bars stay within 79
// columns (commands and file contents are shown as they are, unwrapped).
func TestLabScreensFit(t *testing.T) {
	for name, l := range labLessons(t) {
		for !l.Finished() {
			for _, color := range []bool{false, true} {
				for _, line := range strings.Split(l.Screen(Look{Width: 80, Color: color}), "\n") {
					plain := ansi.Strip(line)
					if strings.HasPrefix(plain, "    ") {
						continue
					}
					if w := utf8.RuneCountInString(plain); w > 79 {
						t.Errorf("%s: step %d: a line of %d columns: %q", name, l.Step().Head().ID, w, plain)
					}
				}
			}
			l.Hint(Look{Width: 80})
			l.Skip()
		}
	}
}
