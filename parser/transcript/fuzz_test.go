package transcript

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/golden"
)

// FuzzTranscript feeds arbitrary blocks to the grammar: it must never panic
// or hang, and what it returns must point inside the block.
func FuzzTranscript(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, name := range files {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if in, ok := golden.Lookup(ar, "input"); ok {
			f.Add(in)
		}
	}
	f.Add("[a@b c]$ x <<E\n> E\n$ '\n#\n")
	f.Fuzz(func(t *testing.T, data string) {
		lines := strings.Split(data, "\n")
		IsSession(lines)
		LooksInteractive(lines)
		for _, l := range lines {
			IsPromptLine(l)
		}
		cmds, diags := Parse("f.rst", 1, "", lines)
		for _, c := range cmds {
			if c.Pos.Line < 1 || c.Pos.Line > len(lines) {
				t.Fatalf("command at line %d of a %d-line block", c.Pos.Line, len(lines))
			}
			if c.ExpectLine <= c.Pos.Line || c.ExpectLine > len(lines)+1 {
				t.Fatalf("expect at line %d for a command at line %d of %d", c.ExpectLine, c.Pos.Line, len(lines))
			}
			for _, a := range c.Answers {
				if a.Line < 0 || a.Line >= len(c.Expect) {
					t.Fatalf("answer line %d outside %d expect lines", a.Line, len(c.Expect))
				}
			}
		}
		for _, d := range diags {
			if d.Pos.Line < 1 || d.Pos.Line > len(lines) {
				t.Fatalf("diagnostic at line %d of a %d-line block", d.Pos.Line, len(lines))
			}
		}
	})
}
