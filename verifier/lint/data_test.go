package lint

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/runbookdev/runbook/internal/golden"
	"github.com/runbookdev/runbook/parser"
)

// TestLintData lints each testdata/*.txtar guide (guide.rst, with any other
// files of the archive as its includes) and compares the findings, one
// "file:line: id: message" per line, with the archive's want section.
func TestLintData(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", "want", lintArchive)
}

// lintArchive parses guide.rst from the archive and renders its findings.
func lintArchive(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		if f.Name != "want" {
			fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		}
	}
	src, ok := golden.Lookup(ar, "guide.rst")
	if !ok {
		t.Fatal("no guide.rst")
	}
	g, _ := parser.Parse("guide.rst", []byte(src), fsys)
	if g == nil || len(g.Steps) == 0 {
		t.Fatal("the parser found no steps")
	}
	var sb strings.Builder
	for _, d := range LintSource(g, ReadSource(g, []byte(src), fsys)) {
		fmt.Fprintf(&sb, "%s: %s: %s\n", d.Pos, d.ID, d.Message)
	}
	return sb.String()
}
