package udiff

import (
	"fmt"
	"strings"
)

// Options say how Unified heads, trims and numbers a diff.
type Options struct {
	// Title is a first line such as "guide.rst:42: documented=-, actual=+"; none when empty.
	Title string
	// From and To name the sides in "--- From" and "+++ To" lines; none when both are empty.
	From, To string
	// Context is how many unchanged lines surround each change (DefaultContext as diff(1)).
	Context int
	// FullRanges writes every hunk range as "start,count", an empty side as
	// "0,0", as the drift reports do; otherwise ranges are written as diff(1)
	// does ("7" for one line, "6,0" for none after line 6).
	FullRanges bool
	// MaxLines cuts the diff after this many lines of hunks and says so; 0 keeps all.
	MaxLines int
}

// Hunk is a run of changes with the unchanged lines around them: lines[Start:End].
type Hunk struct {
	Start, End int
}

// Hunks groups the changed lines with up to context unchanged lines on each
// side, merging groups whose context would touch or overlap.
func Hunks(lines []Line, context int) []Hunk {
	var out []Hunk
	for i, l := range lines {
		if l.Op == Equal {
			continue
		}
		start, end := max(0, i-context), min(len(lines), i+1+context)
		if n := len(out); n > 0 && start <= out[n-1].End {
			out[n-1].End = end
		} else {
			out = append(out, Hunk{start, end})
		}
	}
	return out
}

// Unified renders the diff as unified text: the headers, then each hunk
// under its "@@ -old +new @@" line. Equal inputs give the headers alone.
func Unified(lines []Line, opts Options) string {
	var b strings.Builder
	if opts.Title != "" {
		b.WriteString(opts.Title + "\n")
	}
	if opts.From != "" || opts.To != "" {
		fmt.Fprintf(&b, "--- %s\n+++ %s\n", opts.From, opts.To)
	}
	written := 0
	for _, h := range Hunks(lines, opts.Context) {
		for i := h.Start; i < h.End; i++ {
			if opts.MaxLines > 0 && written >= opts.MaxLines {
				fmt.Fprintf(&b, "... diff cut after %d lines\n", opts.MaxLines)
				return b.String()
			}
			if i == h.Start {
				fmt.Fprintf(&b, "@@ -%s +%s @@\n", span(lines, h, Delete, opts.FullRanges), span(lines, h, Insert, opts.FullRanges))
			}
			writeLine(&b, lines[i])
			written++
		}
	}
	return b.String()
}

func writeLine(b *strings.Builder, l Line) {
	b.WriteByte(byte(l.Op))
	b.WriteString(l.Text)
	b.WriteByte('\n')
	if l.NoEOL {
		b.WriteString("\\ No newline at end of file\n")
	}
}

// span renders one side of a hunk's range: the side that has the lines
// not marked other. It starts at the side's first numbered line.
func span(lines []Line, h Hunk, side Op, full bool) string {
	start, count := 0, 0
	for _, l := range lines[h.Start:h.End] {
		if l.Op == other(side) {
			continue
		}
		if start == 0 {
			start = number(l, side)
		}
		count++
	}
	switch {
	case full:
		return fmt.Sprintf("%d,%d", start, count)
	case count == 0:
		// An empty range starts at the line before it.
		return fmt.Sprintf("%d,0", before(lines, h.Start, side))
	case count == 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// other is the Op of the lines that are absent from the side.
func other(side Op) Op {
	if side == Delete {
		return Insert
	}
	return Delete
}

// number is the line's number on the side (Delete: old, Insert: new).
func number(l Line, side Op) int {
	if side == Delete {
		return l.Old
	}
	return l.New
}

// before is the number of the last line of the side above lines[i], or 0.
func before(lines []Line, i int, side Op) int {
	for i--; i >= 0; i-- {
		if n := number(lines[i], side); n != 0 && lines[i].Op != other(side) {
			return n
		}
	}
	return 0
}
