// Package golden runs the project's golden-file tests: each
// testdata/*.txtar archive holds a case's input and, in a named section, the
// output the code under test must give; `go test -update` rewrites that
// section instead of comparing it.
//
// Only _test.go files import this package. It registers the -update flag on
// the default flag set, which only `go test` parses, and a test binary may
// register a flag once: a package that imports golden must not define its
// own -update.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/udiff"
)

var update = flag.Bool("update", false, "rewrite the golden sections of testdata/*.txtar instead of comparing them")

// Update reports whether the test run was asked to rewrite golden files
// rather than compare with them.
func Update() bool { return *update }

// Run runs fn as a subtest for each file matching pattern, named after the
// file without ".txtar", and compares what fn returns with the archive's
// section; with -update it writes the result into that section instead.
// No matching file is a failure, so a moved testdata folder cannot pass.
func Run(t *testing.T, pattern, section string, fn func(t *testing.T, ar *txtar.Archive) string) {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden files match %s: %v", pattern, err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			Check(t, path, ar, section, fn(t, ar))
		})
	}
}

// Check compares got with the archive's section, failing with a unified
// diff when they differ; with -update it stores got in the section and
// writes the archive back to path.
func Check(t testing.TB, path string, ar *txtar.Archive, section, got string) {
	t.Helper()
	if *update {
		SetSection(ar, section, got)
		Write(t, path, ar)
		return
	}
	want, ok := Lookup(ar, section)
	if !ok {
		t.Fatalf("%s: no %q section (go test -update writes it)", path, section)
		return
	}
	if got != want {
		t.Errorf("%s: section %q differs (go test -update rewrites it)\n%s", path, section, Diff(want, got))
	}
}

// Diff renders a unified diff from want to got, so a failing golden test
// shows the lines that changed rather than two whole texts.
func Diff(want, got string) string {
	return udiff.Unified(udiff.Texts(want, got), udiff.Options{From: "want", To: "got", Context: udiff.DefaultContext})
}

// Section returns the text of the archive's named section, empty when there
// is none.
func Section(ar *txtar.Archive, name string) string {
	text, _ := Lookup(ar, name)
	return text
}

// Lookup returns the text of the archive's named section and whether the
// archive has it, for callers that tell a missing section from an empty one.
func Lookup(ar *txtar.Archive, name string) (string, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return string(f.Data), true
		}
	}
	return "", false
}

// SetSection replaces the named section's text, appending the section when
// the archive has none.
func SetSection(ar *txtar.Archive, name, text string) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = []byte(text)
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(text)})
}

// Write formats the archive back into path, as -update does.
func Write(t testing.TB, path string, ar *txtar.Archive) {
	t.Helper()
	if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}
