package executor

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// fileDiffContext is how many unchanged lines surround each change in a dry-run diff.
const fileDiffContext = 3

// fileDiffLine is one line of either file with what happens to it.
type fileDiffLine struct {
	op   diffmatchpatch.Operation
	text string // without its newline
	eol  bool   // the line ends with a newline
}

// unifiedDiff renders the change from old to new as a unified diff headed by
// the path (/dev/null for a file that does not exist yet).
func unifiedDiff(path string, old, new []byte, existed bool) string {
	lines := diffLines(string(old), string(new))
	from := path
	if !existed {
		from = "/dev/null"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", from, path)
	for _, h := range diffHunks(lines) {
		writeHunk(&b, lines, h[0], h[1])
	}
	return b.String()
}

// diffLines diffs two texts line by line with go-diff's line mode.
func diffLines(a, b string) []fileDiffLine {
	dmp := diffmatchpatch.New()
	ca, cb, table := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), table)
	var out []fileDiffLine
	for _, d := range diffs {
		text := d.Text
		for text != "" {
			line, rest, eol := strings.Cut(text, "\n")
			out = append(out, fileDiffLine{op: d.Type, text: line, eol: eol})
			text = rest
		}
	}
	return out
}

// diffHunks groups the changed lines, with their context, into [start, end) ranges.
func diffHunks(lines []fileDiffLine) [][2]int {
	var out [][2]int
	for i := 0; i < len(lines); i++ {
		if lines[i].op == diffmatchpatch.DiffEqual {
			continue
		}
		start := max(0, i-fileDiffContext)
		end := min(len(lines), i+1+fileDiffContext)
		if n := len(out); n > 0 && start <= out[n-1][1] {
			out[n-1][1] = end
		} else {
			out = append(out, [2]int{start, end})
		}
	}
	return out
}

// writeHunk writes one @@ hunk for lines[start:end].
func writeHunk(b *strings.Builder, lines []fileDiffLine, start, end int) {
	oldStart, newStart := 1, 1
	for _, l := range lines[:start] {
		if l.op != diffmatchpatch.DiffInsert {
			oldStart++
		}
		if l.op != diffmatchpatch.DiffDelete {
			newStart++
		}
	}
	var oldN, newN int
	for _, l := range lines[start:end] {
		if l.op != diffmatchpatch.DiffInsert {
			oldN++
		}
		if l.op != diffmatchpatch.DiffDelete {
			newN++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oldStart, oldN), hunkRange(newStart, newN))
	for _, l := range lines[start:end] {
		sign := " "
		switch l.op {
		case diffmatchpatch.DiffDelete:
			sign = "-"
		case diffmatchpatch.DiffInsert:
			sign = "+"
		}
		b.WriteString(sign + l.text + "\n")
		if !l.eol {
			b.WriteString("\\ No newline at end of file\n")
		}
	}
}

// hunkRange renders a hunk's start and length as diff(1) does: an empty
// range starts at the line before it.
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
