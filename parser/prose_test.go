package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/golden"
)

// TestProse checks the paragraphs each step carries (Header.Prose): those
// right before its block in its section, on the block's first step only.
func TestProse(t *testing.T) {
	golden.Run(t, "testdata/prose/*.txtar", "want", func(t *testing.T, a *txtar.Archive) string {
		name, src, fsys := archiveGuide(t, a)
		g, _ := Parse(name, src, fsys)
		var b strings.Builder
		for _, s := range g.Steps {
			h := s.Head()
			fmt.Fprintf(&b, "step %d %s %s\n", h.ID, s.Kind(), h.Pos)
			for _, p := range h.Prose {
				fmt.Fprintf(&b, "  %s: %s\n", p.Pos, p.Text)
			}
		}
		return b.String()
	})
}
