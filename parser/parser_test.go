package parser

import (
	"fmt"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/golden"
)

// archiveGuide splits a golden archive into the guide's name, its source and
// a file system holding every file but "want".
func archiveGuide(t testing.TB, a *txtar.Archive) (string, []byte, fstest.MapFS) {
	fsys := fstest.MapFS{}
	name := ""
	var src []byte
	for _, f := range a.Files {
		if f.Name == "want" {
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		if name == "" {
			name, src = f.Name, f.Data
		}
	}
	if name == "" {
		t.Fatal("archive holds no guide")
	}
	return name, src, fsys
}

// TestGolden parses the guide in each testdata/*.txtar (its first file; the
// others but want are its includes) and compares the dump with its want
// section. The archive is the source root: a guide in a folder of it
// ("docs/guide.rst") reads includes beside that folder as Sphinx would.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", "want", func(t *testing.T, a *txtar.Archive) string {
		name, src, fsys := archiveGuide(t, a)
		g, _ := ParseSource(Source{Name: name, Src: src, Root: fsys, Dir: path.Dir(name)})
		return runbook.Dump(g)
	})
}

// TestErrorJoinsErrorDiagnostics checks the returned error against the
// diagnostics: it holds exactly the Error ones, as file:line messages.
func TestErrorJoinsErrorDiagnostics(t *testing.T) {
	src := "Title\n=====\n\n.. include:: nope.rst\n\n::\n\nunindented\n"
	g, err := Parse("g.rst", []byte(src), fstest.MapFS{})
	if err == nil {
		t.Fatal("missing include gave no error")
	}
	if !strings.Contains(err.Error(), "g.rst:4: include nope.rst not found") {
		t.Errorf("error %q does not name the include line", err)
	}
	if strings.Contains(err.Error(), "unindented") {
		t.Errorf("a warning leaked into the error: %q", err)
	}
	if !g.HasErrors() {
		t.Error("guide has no error diagnostics")
	}
	if _, err := Parse("ok.rst", []byte("Title\n=====\n\nText.\n"), nil); err != nil {
		t.Errorf("clean guide gave error %v", err)
	}
}

// TestCRLF checks that CRLF line endings give the same steps and lines as LF.
func TestCRLF(t *testing.T) {
	for _, name := range []string{"testdata/markdown.txtar", "testdata/infer-merge.txtar", "testdata/admonition.txtar"} {
		a, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		guide, src, fsys := archiveGuide(t, a)
		lf, _ := Parse(guide, src, fsys)
		crlf, _ := Parse(guide, []byte(strings.ReplaceAll(string(src), "\n", "\r\n")), fsys)
		if got, want := runbook.Dump(crlf), runbook.Dump(lf); got != want {
			t.Errorf("%s: CRLF dump differs\n--- crlf\n%s\n--- lf\n%s", name, got, want)
		}
	}
}

// TestIncludeLimits checks that deep include chains and include
// amplification (each file including the next twice) end in an error, fast.
func TestIncludeLimits(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := 0; i < 40; i++ {
		fsys[fmt.Sprintf("d%d.rst", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(".. include:: d%d.rst\n", i+1))}
		fsys[fmt.Sprintf("w%d.rst", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(".. include:: w%d.rst\n.. include:: w%d.rst\n", i+1, i+1))}
	}
	for guide, id := range map[string]string{"d0.rst": "include-depth", "w0.rst": "include-depth"} {
		g, err := Parse(guide, fsys[guide].Data, fsys)
		if err == nil {
			t.Errorf("%s: no error", guide)
			continue
		}
		found := false
		for _, d := range g.Diagnostics {
			found = found || d.ID == id
		}
		if !found {
			t.Errorf("%s: no %s diagnostic in %v", guide, id, g.Diagnostics)
		}
	}
}
