package udiff_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/golden"
	"github.com/runbookdev/runbook/internal/udiff"
)

// TestUnified runs testdata/*.txtar: files old and new, the expected diff in
// want, and options in the comment, one a line (# starts a remark):
//
//	title TEXT | from NAME | to NAME | context N | max-lines N | full-ranges
//	old-lines N   number the old side from N, as the verifier numbers guide lines
//	keys          diff with Edits (lines as keys) rather than Texts
//	old-no-eol, new-no-eol   drop the file's final newline
func TestUnified(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", "want", runCase)
}

// runCase diffs the archive's old and new files as its comment says.
func runCase(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	old, new := golden.Section(ar, "old"), golden.Section(ar, "new")
	var opts udiff.Options
	keys, oldFirst := false, 0
	for _, line := range strings.Split(strings.TrimSpace(string(ar.Comment)), "\n") {
		word, arg, _ := strings.Cut(line, " ")
		switch word {
		case "title":
			opts.Title = arg
		case "from":
			opts.From = arg
		case "to":
			opts.To = arg
		case "context":
			opts.Context = atoi(t, arg)
		case "max-lines":
			opts.MaxLines = atoi(t, arg)
		case "full-ranges":
			opts.FullRanges = true
		case "old-lines":
			oldFirst = atoi(t, arg)
		case "keys":
			keys = true
		case "old-no-eol":
			old = strings.TrimSuffix(old, "\n")
		case "new-no-eol":
			new = strings.TrimSuffix(new, "\n")
		case "", "#":
		default:
			t.Fatalf("unknown option %q", line)
		}
	}
	var lines []udiff.Line
	if keys {
		lines = keyLines(splitKeys(old), splitKeys(new))
	} else {
		lines = udiff.Texts(old, new)
	}
	for i := range lines {
		if oldFirst > 0 && lines[i].Old > 0 {
			lines[i].Old += oldFirst - 1
		}
	}
	return udiff.Unified(lines, opts)
}

// keyLines turns an edit script into numbered lines, as a caller of Edits does.
func keyLines(a, b []string) []udiff.Line {
	var lines []udiff.Line
	for _, e := range udiff.Edits(a, b) {
		l := udiff.Line{Op: e.Op}
		if e.A >= 0 {
			l.Text, l.Old = a[e.A], e.A+1
		}
		if e.B >= 0 {
			l.Text, l.New = b[e.B], e.B+1
		}
		lines = append(lines, l)
	}
	return lines
}

func splitKeys(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEditsReplay checks that every edit script rebuilds both sides, which
// is what the hunks' line numbers rest on.
func TestEditsReplay(t *testing.T) {
	words := []string{"a", "b", "c", "", "a b", "ü", "a\nb", `a\nb`, "\n"}
	for n := 0; n < 300; n++ {
		a := pick(words, n, 7)
		b := pick(words, n*31+5, 11)
		var gotA, gotB []string
		for _, e := range udiff.Edits(a, b) {
			if e.Op != udiff.Insert {
				gotA = append(gotA, a[e.A])
			}
			if e.Op != udiff.Delete {
				gotB = append(gotB, b[e.B])
			}
			if e.Op == udiff.Equal && a[e.A] != b[e.B] {
				t.Fatalf("%q vs %q: Equal edit joins %q and %q", a, b, a[e.A], b[e.B])
			}
		}
		if fmt.Sprint(gotA) != fmt.Sprint(a) || fmt.Sprint(gotB) != fmt.Sprint(b) {
			t.Fatalf("%q vs %q: the script rebuilds %q and %q", a, b, gotA, gotB)
		}
	}
}

// pick makes a deterministic sequence of words from a seed.
func pick(words []string, seed, size int) []string {
	var out []string
	for i := 0; i < seed%size; i++ {
		out = append(out, words[(seed+i*i)%len(words)])
	}
	return out
}

// FuzzTexts checks that the lines Texts returns rebuild both texts byte for
// byte (line ends included) and are numbered without gaps.
func FuzzTexts(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd")
	f.Add("", "x")
	f.Add("\n\n", "\n")
	f.Add("ü\r\n", "ü\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		var a, b strings.Builder
		na, nb := 0, 0
		for _, l := range udiff.Texts(old, new) {
			end := "\n"
			if l.NoEOL {
				end = ""
			}
			if l.Op != udiff.Insert {
				na++
				if l.Old != na {
					t.Fatalf("old line %d numbered %d", na, l.Old)
				}
				a.WriteString(l.Text + end)
			}
			if l.Op != udiff.Delete {
				nb++
				if l.New != nb {
					t.Fatalf("new line %d numbered %d", nb, l.New)
				}
				b.WriteString(l.Text + end)
			}
		}
		if a.String() != old || b.String() != new {
			t.Fatalf("rebuilt %q and %q", a.String(), b.String())
		}
		udiff.Unified(udiff.Texts(old, new), udiff.Options{Context: 1, MaxLines: 5})
	})
}
