package lint

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/runbookdev/runbook/parser"
)

var updateGolden = flag.Bool("update", false, "rewrite the want section of testdata/*.txtar")

// TestLintData lints each testdata/*.txtar guide (guide.rst, with any other
// files of the archive as its includes) and compares the findings, one
// "file:line: id: message" per line, with the archive's want section.
func TestLintData(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := lintArchive(t, ar)
			if *updateGolden {
				setSection(ar, "want", []byte(got))
				if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, ok := section(ar, "want")
			if !ok {
				t.Fatal("no want section (run with -update)")
			}
			if got != string(want) {
				t.Errorf("findings differ\n got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
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
	src, ok := section(ar, "guide.rst")
	if !ok {
		t.Fatal("no guide.rst")
	}
	g, _ := parser.Parse("guide.rst", src, fsys)
	if g == nil || len(g.Steps) == 0 {
		t.Fatal("the parser found no steps")
	}
	var sb strings.Builder
	for _, d := range LintSource(g, ReadSource(g, src, fsys)) {
		fmt.Fprintf(&sb, "%s: %s: %s\n", d.Pos, d.ID, d.Message)
	}
	return sb.String()
}

func section(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

func setSection(ar *txtar.Archive, name string, data []byte) {
	for i, f := range ar.Files {
		if f.Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}
