package transcript

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/golden"
)

// TestGolden parses the input block of each testdata/*.txtar (as lines
// 10.. of guide.rst, indented two spaces) and compares the dump with want.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", "want", func(t *testing.T, ar *txtar.Archive) string {
		input, ok := golden.Lookup(ar, "input")
		if !ok {
			t.Fatal("no input section")
		}
		return render(input)
	})
}

// render is what a golden file's want section holds for an input block.
func render(input string) string {
	lines := strings.Split(strings.TrimSuffix(input, "\n"), "\n")
	var b strings.Builder
	if !IsSession(lines) {
		return "content\n"
	}
	b.WriteString("session\n")
	cmds, diags := Parse("guide.rst", 10, "  ", lines)
	b.WriteString(dump(cmds, diags))
	return b.String()
}
