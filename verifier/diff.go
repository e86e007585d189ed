package verifier

import (
	"fmt"
	"strconv"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/udiff"
)

// Diff limits: a hopeless step must not produce a report of megabytes.
const (
	maxDiffLines = 400                  // rendered diff lines before the rest is cut
	lookahead    = 1000                 // how far the line-by-line fallback searches for a line with inline elisions
	diffContext  = udiff.DefaultContext // unchanged lines around each change
)

// DiffOptions say how a diff is headed and numbered.
type DiffOptions struct {
	Header     string   // e.g. "guide.rst:42"; the diff starts "HEADER: documented=-, actual=+"
	ExpectLine int      // guide line of the first documented output line; 0 numbers from 1
	Secrets    []string // texts never to show (hidden answers), replaced by a mask
}

// item is one line of either side of the diff: key decides equality,
// display is what is printed.
type item struct {
	key     string
	display string
	line    int
	fold    bool // an elision with the actual lines it stands for
}

// Diff renders a unified line diff of the documented output against the
// actual output. Lines that match (through elisions, inline elisions or
// volatile tokens) count as unchanged; only real drift is shown.
func (e *Expectation) Diff(a *Actual, opts DiffOptions) string {
	a.pin(e.pinned)
	at := e.align(a)
	left := e.leftItems(at, opts.ExpectLine)
	right := e.rightItems(a, at, left)
	return render(left, right, opts)
}

// align matches as much as it can for a diff: whole segments where they
// fit, then single lines in the gaps between them.
func (e *Expectation) align(a *Actual) []int {
	at := make([]int, len(e.lines))
	for i := range at {
		at[i] = -1
	}
	n := len(a.text)
	need := e.suffixNeed()
	cur := 0
	for si, sg := range e.segs {
		start := e.place(a, si, cur, n-need[si+1])
		if start < 0 {
			continue
		}
		for i := sg.start; i < sg.end; i++ {
			at[i] = start + i - sg.start
		}
		cur = start + sg.end - sg.start
	}
	e.alignLines(a, at)
	return at
}

// alignLines matches the still unmatched expected lines one by one, in
// order, within the gap of actual lines left between matched neighbours.
func (e *Expectation) alignLines(a *Actual, at []int) {
	next := make([]int, len(at)+1)
	next[len(at)] = len(a.text)
	for i := len(at) - 1; i >= 0; i-- {
		next[i] = next[i+1]
		if at[i] >= 0 {
			next[i] = at[i]
		}
	}
	lo := 0
	for i, l := range e.lines {
		if at[i] >= 0 {
			lo = at[i] + 1
			continue
		}
		if l.kind == elisionLine {
			continue
		}
		hi := next[i+1]
		if j := e.findLine(a, i, lo, hi); j >= 0 {
			at[i] = j
			lo = j + 1
		}
	}
}

// findLine returns the first actual line in [lo, hi) that expected line i matches, or -1.
func (e *Expectation) findLine(a *Actual, i, lo, hi int) int {
	l := &e.lines[i]
	if l.kind == plainLine {
		// Equal masked text is a match for a plain line.
		p := a.positions(l.masked(e.pinned))
		if k := searchInts(p, lo); k < len(p) && p[k] < hi {
			return p[k]
		}
		return -1
	}
	for j := lo; j < hi && j < lo+lookahead; j++ {
		if l.match(a, j, e.pinned) {
			return j
		}
	}
	return -1
}

func searchInts(p []int, x int) int {
	lo, hi := 0, len(p)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if p[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// leftItems lists the documented lines; matched lines and elisions get a
// key shared with the actual side.
func (e *Expectation) leftItems(at []int, firstLine int) []item {
	items := make([]item, len(e.lines))
	for i, l := range e.lines {
		key := "m" + strconv.Itoa(i)
		if at[i] < 0 && l.kind != elisionLine {
			key = "u" + l.masked(e.pinned) // masked only here: masking is the costly part
		}
		line := l.source + 1
		if firstLine > 0 {
			line = firstLine + l.source
		}
		items[i] = item{key: key, display: l.display, line: line}
	}
	return items
}

// rightItems lists the actual lines, folding the lines that an elision
// covers into that elision, so they do not show as changes; a matched line
// shares its key with the documented line in left.
func (e *Expectation) rightItems(a *Actual, at []int, left []item) []item {
	var items []item
	raw := func(j int) item {
		return item{key: "u" + a.key(j), display: a.display[j], line: a.lineNo[j]}
	}
	prevJ, prevI := -1, -1
	flush := func(nextI, nextJ int) {
		items = append(items, e.gapItems(left, prevI+1, nextI, prevJ+1, nextJ, raw)...)
	}
	for i := range e.lines {
		if at[i] < 0 {
			continue
		}
		flush(i, at[i])
		items = append(items, item{key: left[i].key, display: a.display[at[i]], line: a.lineNo[at[i]]})
		prevI, prevJ = i, at[i]
	}
	flush(len(e.lines), len(a.text))
	return items
}

// gapItems renders the unmatched actual lines [jlo, jhi) that lie between
// the unmatched expected lines [ilo, ihi). Without an elision there they
// are all shown; with one, the lines facing the documented lines before
// and after it are shown and the middle is folded into the elision.
func (e *Expectation) gapItems(left []item, ilo, ihi, jlo, jhi int, raw func(int) item) []item {
	var elisions []int
	before, after := 0, 0
	for i := ilo; i < ihi; i++ {
		switch {
		case e.lines[i].kind == elisionLine:
			elisions = append(elisions, i)
			after = 0
		case len(elisions) == 0:
			before++
		default:
			after++
		}
	}
	var items []item
	if len(elisions) == 0 {
		for j := jlo; j < jhi; j++ {
			items = append(items, raw(j))
		}
		return items
	}
	n := jhi - jlo
	head := min(before, n)
	tail := min(after, n-head)
	for j := jlo; j < jlo+head; j++ {
		items = append(items, raw(j))
	}
	for k, i := range elisions {
		folded := e.lines[i].display
		if k == 0 && n-head-tail > 0 {
			folded = fmt.Sprintf("%s (%d lines)", folded, n-head-tail)
		}
		items = append(items, item{key: left[i].key, display: folded, fold: true})
	}
	for j := jhi - tail; j < jhi; j++ {
		items = append(items, raw(j))
	}
	return items
}

// render diffs the two sides by key and prints a unified diff of their
// display texts, numbered with the guide's and the output's lines.
func render(left, right []item, opts DiffOptions) string {
	edits := udiff.Edits(keys(left), keys(right))
	lines := make([]udiff.Line, 0, len(edits))
	for _, ed := range edits {
		switch ed.Op {
		case udiff.Equal:
			l, r := left[ed.A], right[ed.B]
			text := l.display
			if r.fold {
				text = r.display
			}
			lines = append(lines, udiff.Line{Op: ed.Op, Text: text, Old: l.line, New: r.line})
		case udiff.Delete:
			lines = append(lines, udiff.Line{Op: ed.Op, Text: left[ed.A].display, Old: left[ed.A].line})
		case udiff.Insert:
			lines = append(lines, udiff.Line{Op: ed.Op, Text: right[ed.B].display, New: right[ed.B].line})
		}
	}
	for i := range lines {
		lines[i].Text = redact(lines[i].Text, opts.Secrets)
	}
	title := "documented=-, actual=+"
	if opts.Header != "" {
		title = opts.Header + ": " + title
	}
	return udiff.Unified(lines, udiff.Options{Title: title, Context: diffContext, FullRanges: true, MaxLines: maxDiffLines})
}

// keys lists the items' keys, which decide what the diff counts as equal.
func keys(items []item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.key
	}
	return out
}

// redact masks secrets in a line about to be printed.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, runbook.Mask)
		}
	}
	return s
}
