// Package udiff diffs two sequences of lines with go-diff and renders the
// result as a unified diff. The dry-run file diffs, the verifier's drift
// reports and the patch `runbook update` prints all go through it, so they
// agree on what a hunk is and how it is headed. Colour is the caller's job.
package udiff

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DefaultContext is how many unchanged lines diff(1) shows around a change.
const DefaultContext = 3

// timeout bounds go-diff's search, so a hopeless pair of inputs still gets a
// (coarser) diff quickly.
const timeout = 2 * time.Second

// Op says what happens to a line.
type Op byte

// The three things that happen to a line, written as the line's first character.
const (
	Equal  Op = ' '
	Delete Op = '-'
	Insert Op = '+'
)

// Edit is one step of the script that turns a into b. A indexes a for
// Equal and Delete, B indexes b for Equal and Insert; the other is -1.
type Edit struct {
	Op   Op
	A, B int
}

// Edits diffs a against b line by line: two lines are the same when their
// strings are equal, so a caller can diff keys and print something else.
func Edits(a, b []string) []Edit {
	esc := func(l string) string { return l }
	if hasNewline(a) || hasNewline(b) {
		// go-diff splits at newlines; escaping keeps one string one line.
		esc = strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace
	}
	return script(joinLines(a, esc), joinLines(b, esc))
}

func hasNewline(lines []string) bool {
	for _, l := range lines {
		if strings.Contains(l, "\n") {
			return true
		}
	}
	return false
}

// joinLines ends every line with a newline, as go-diff's line mode splits.
func joinLines(lines []string, esc func(string) string) string {
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(esc(l))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// script diffs two texts by whole lines (a last line without a newline
// differs from the same line with one).
func script(a, b string) []Edit {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = timeout
	ra, rb, _ := dmp.DiffLinesToRunes(a, b)
	out := make([]Edit, 0, max(len(ra), len(rb)))
	i, j := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		// Each rune of a line-mode diff stands for one line.
		for range utf8.RuneCountInString(d.Text) {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				out = append(out, Edit{Equal, i, j})
				i, j = i+1, j+1
			case diffmatchpatch.DiffDelete:
				out = append(out, Edit{Delete, i, -1})
				i++
			case diffmatchpatch.DiffInsert:
				out = append(out, Edit{Insert, -1, j})
				j++
			}
		}
	}
	return out
}

// Line is one line of a unified diff.
type Line struct {
	Op    Op
	Text  string // without its newline
	NoEOL bool   // the last line of a file that does not end in a newline
	// Old and New number the line on each side (from 1 for files; the
	// verifier uses guide lines for the documented side). 0 where the line
	// is absent, or has no number of its own.
	Old, New int
}

// Texts diffs two texts line by line, numbering each side from 1.
func Texts(old, new string) []Line {
	a, b := splitLines(old), splitLines(new)
	var out []Line
	for _, e := range script(old, new) {
		l := Line{Op: e.Op}
		if e.A >= 0 {
			l.Old = e.A + 1
			l.Text, l.NoEOL = cutEOL(a[e.A])
		}
		if e.B >= 0 {
			l.New = e.B + 1
			l.Text, l.NoEOL = cutEOL(b[e.B])
		}
		out = append(out, l)
	}
	return out
}

// splitLines splits text after each newline, as go-diff's line mode does.
func splitLines(text string) []string {
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// cutEOL splits a line from splitLines into its text and whether it lacked
// a newline, which only the last line of a file can.
func cutEOL(line string) (string, bool) {
	text, eol := strings.CutSuffix(line, "\n")
	return text, !eol
}
