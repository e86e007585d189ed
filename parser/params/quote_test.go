package params_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/golden"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
)

// TestQuoteData applies the values of each testdata/quote-*.txtar's "set"
// section (NAME=VALUE, VALUE a Go string literal) to its guide, parsed by
// the real parser, and compares every command and file with "want".
func TestQuoteData(t *testing.T) {
	golden.Run(t, "testdata/quote-*.txtar", "want", func(t *testing.T, a *txtar.Archive) string {
		guide, okGuide := golden.Lookup(a, "guide.rst")
		set, okSet := golden.Lookup(a, "set")
		if !okGuide || !okSet {
			t.Fatal("needs guide.rst, set and want sections")
		}
		return applyGuide(t, []byte(guide), set)
	})
}

// applyGuide parses a guide, sets the values and dumps the applied steps.
func applyGuide(t *testing.T, src []byte, set string) string {
	t.Helper()
	g, err := parser.Parse("guide.rst", src, fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(set), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("set: %q is not NAME=VALUE", line)
		}
		value, err := strconv.Unquote(v)
		if err != nil {
			t.Fatalf("set: %s: %v", line, err)
		}
		if err := params.Set(g.Params, k, value); err != nil {
			t.Fatal(err)
		}
	}
	applied := params.Apply(g, g.Params)
	return dumpApplied(applied) + dumpWarnings(applied)
}

// dumpWarnings shows the diagnostics Apply added.
func dumpWarnings(g *runbook.Guide) string {
	var b strings.Builder
	for _, d := range g.Diagnostics {
		if d.ID == "unquotable-value" {
			fmt.Fprintf(&b, "## warning\n%s\n", d.Error())
		}
	}
	return b.String()
}

// dumpApplied shows what reaches the shell and the files.
func dumpApplied(g *runbook.Guide) string {
	var b strings.Builder
	for _, st := range g.Steps {
		switch s := st.(type) {
		case *runbook.Command:
			fmt.Fprintf(&b, "## command %d\n%s\n", s.Pos.Line, s.Text)
		case *runbook.File:
			fmt.Fprintf(&b, "## file %s (%s)\n%s", s.Path, s.Format, s.Content)
		case *runbook.Manual:
			fmt.Fprintf(&b, "## manual %s (%s)\n%s", s.Path, s.Format, s.Content)
		}
	}
	return b.String()
}
