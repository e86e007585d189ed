package verifier

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/golden"
)

// TestTokens classifies each line of the "lines" section of
// testdata/tokens/*.txtar (the "pinned" section, when there is one, is
// what the command and the guide's files spell out) and lists the volatile
// tokens found, class and text; a line with none is listed with "-".
func TestTokens(t *testing.T) {
	golden.Run(t, "testdata/tokens/*.txtar", "want", func(t *testing.T, ar *txtar.Archive) string {
		var pinned *Pinned
		if p, ok := golden.Lookup(ar, "pinned"); ok {
			pinned = Pin(p)
		}
		var b strings.Builder
		for _, line := range splitLines(golden.Section(ar, "lines")) {
			fmt.Fprintf(&b, "%s\n", line)
			toks := tokens(line, pinned)
			if len(toks) == 0 {
				b.WriteString("  -\n")
			}
			for _, tk := range toks {
				fmt.Fprintf(&b, "  %s %q\n", classNames[tk.class], line[tk.start:tk.end])
			}
			if m := mask(line, pinned); placeholders(m) != len(toks) {
				t.Errorf("mask(%q) = %q: %d placeholders for %d tokens", line, m, placeholders(m), len(toks))
			}
		}
		return b.String()
	})
}
