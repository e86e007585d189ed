package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestRun runs testdata/*.txtar: the want section of each is its input
// section upper-cased.
func TestRun(t *testing.T) {
	Run(t, "testdata/*.txtar", "want", func(t *testing.T, ar *txtar.Archive) string {
		input, ok := Lookup(ar, "input")
		if !ok {
			t.Fatal("no input section")
		}
		return strings.ToUpper(input)
	})
}

// recorder stands in for a test so that a golden failure can be observed
// instead of failing this test.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func (r *recorder) Fatal(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }

func TestCheckMismatchShowsDiff(t *testing.T) {
	ar := txtar.Parse([]byte("-- want --\na\nb\nc\n"))
	r := &recorder{TB: t}
	Check(r, "case.txtar", ar, "want", "a\nB\nc\n")
	if len(r.errors) != 1 {
		t.Fatalf("errors = %q, want one", r.errors)
	}
	for _, line := range []string{`case.txtar: section "want" differs`, "--- want\n+++ got\n", "-b\n+B\n"} {
		if !strings.Contains(r.errors[0], line) {
			t.Errorf("message lacks %q:\n%s", line, r.errors[0])
		}
	}
	r.errors = nil
	Check(r, "case.txtar", ar, "want", "a\nb\nc\n")
	if len(r.errors) != 0 {
		t.Errorf("equal text failed: %q", r.errors)
	}
}

func TestCheckMissingSection(t *testing.T) {
	r := &recorder{TB: t}
	Check(r, "case.txtar", txtar.Parse([]byte("-- input --\nx\n")), "want", "")
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], `no "want" section`) {
		t.Errorf("errors = %q, want one naming the missing section", r.errors)
	}
}

func TestCheckUpdateWrites(t *testing.T) {
	defer func(old bool) { *update = old }(*update)
	*update = true
	path := filepath.Join(t.TempDir(), "case.txtar")
	ar := txtar.Parse([]byte("comment\n-- input --\nx\n-- want --\nold\n"))
	Check(t, path, ar, "want", "new\n")
	Check(t, path, ar, "extra", "added\n")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "comment\n-- input --\nx\n-- want --\nnew\n-- extra --\nadded\n"
	if string(data) != want {
		t.Errorf("written archive:\n%s\nwant:\n%s", data, want)
	}
}

func TestSections(t *testing.T) {
	ar := txtar.Parse([]byte("-- a --\none\n-- empty --\n"))
	if got := Section(ar, "a"); got != "one\n" {
		t.Errorf("Section(a) = %q", got)
	}
	if got, ok := Lookup(ar, "empty"); got != "" || !ok {
		t.Errorf("Lookup(empty) = %q, %v; want present and empty", got, ok)
	}
	if got, ok := Lookup(ar, "none"); got != "" || ok {
		t.Errorf("Lookup(none) = %q, %v; want absent", got, ok)
	}
	SetSection(ar, "a", "two\n")
	SetSection(ar, "b", "three\n")
	if got := string(txtar.Format(ar)); got != "-- a --\ntwo\n-- empty --\n-- b --\nthree\n" {
		t.Errorf("after SetSection:\n%s", got)
	}
}
