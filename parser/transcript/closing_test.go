package transcript

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/golden"
)

// TestClosing parses each testdata/closing/*.txtar input block (as lines
// 10.. of guide.rst) and lists, per command, the closing bare prompt the
// parser recorded on it, so the verifier can check its directory.
func TestClosing(t *testing.T) {
	golden.Run(t, "testdata/closing/*.txtar", "want", func(t *testing.T, ar *txtar.Archive) string {
		input, ok := golden.Lookup(ar, "input")
		if !ok {
			t.Fatal("no input section")
		}
		cmds, _ := Parse("guide.rst", 10, "  ", strings.Split(strings.TrimSuffix(input, "\n"), "\n"))
		var b strings.Builder
		for _, c := range cmds {
			fmt.Fprintf(&b, "line %d %s: ", c.Pos.Line, firstWord(c.Text))
			if c.Closing == nil {
				b.WriteString("no closing prompt\n")
				continue
			}
			p := c.Closing
			fmt.Fprintf(&b, "closing at %s user=%q host=%q dir=%q\n", p.Pos, p.User, p.Host, p.Dir)
		}
		return b.String()
	})
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
