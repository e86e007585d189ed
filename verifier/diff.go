package verifier

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"

	runbook "github.com/runbookdev/runbook"
)

// Diff limits: a hopeless step must not produce a report of megabytes.
const (
	maxDiffLines  = 400  // rendered diff lines before the rest is counted
	lookahead     = 1000 // how far the line-by-line fallback searches for a line with inline elisions
	diffContext   = 3    // unchanged lines around each change
	diffTimeLimit = 2 * time.Second
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
	at := e.align(a)
	left := e.leftItems(at, opts.ExpectLine)
	right := e.rightItems(a, at)
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
		start, _ := e.place(a, si, cur, n-need[si+1])
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
		p := a.positions(l.masked())
		if k := searchInts(p, lo); k < len(p) && p[k] < hi {
			return p[k]
		}
		return -1
	}
	for j := lo; j < hi && j < lo+lookahead; j++ {
		if _, ok := l.match(a, j); ok {
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
		key := "u" + l.masked()
		if at[i] >= 0 || l.kind == elisionLine {
			key = "m" + strconv.Itoa(i)
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
// covers into that elision, so they do not show as changes.
func (e *Expectation) rightItems(a *Actual, at []int) []item {
	var items []item
	raw := func(j int) item {
		return item{key: "u" + a.key(j), display: a.display[j], line: a.lineNo[j]}
	}
	prevJ, prevI := -1, -1
	flush := func(nextI, nextJ int) {
		items = append(items, e.gapItems(a, at, prevI+1, nextI, prevJ+1, nextJ, raw)...)
	}
	for i := range e.lines {
		if at[i] < 0 {
			continue
		}
		flush(i, at[i])
		items = append(items, item{key: "m" + strconv.Itoa(i), display: a.display[at[i]], line: a.lineNo[at[i]]})
		prevI, prevJ = i, at[i]
	}
	flush(len(e.lines), len(a.text))
	return items
}

// gapItems renders the unmatched actual lines [jlo, jhi) that lie between
// the unmatched expected lines [ilo, ihi). Without an elision there they
// are all shown; with one, the lines facing the documented lines before
// and after it are shown and the middle is folded into the elision.
func (e *Expectation) gapItems(a *Actual, at []int, ilo, ihi, jlo, jhi int, raw func(int) item) []item {
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
		items = append(items, item{key: "m" + strconv.Itoa(i), display: folded, fold: true})
	}
	for j := jhi - tail; j < jhi; j++ {
		items = append(items, raw(j))
	}
	return items
}

// op is one rendered diff line.
type op struct {
	kind  byte // ' ', '-', '+'
	text  string
	left  int
	right int
}

// render diffs the two sides by key with go-diff's line mode and prints a
// unified diff of their display texts.
func render(left, right []item, opts DiffOptions) string {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = diffTimeLimit
	c1, c2, lines := dmp.DiffLinesToChars(joinKeys(left), joinKeys(right))
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(c1, c2, false), lines)
	var ops []op
	li, ri := 0, 0
	for _, d := range diffs {
		n := strings.Count(d.Text, "\n")
		for k := 0; k < n; k++ {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				text := left[li].display
				if right[ri].fold {
					text = right[ri].display
				}
				ops = append(ops, op{' ', text, left[li].line, right[ri].line})
				li++
				ri++
			case diffmatchpatch.DiffDelete:
				ops = append(ops, op{'-', left[li].display, left[li].line, 0})
				li++
			case diffmatchpatch.DiffInsert:
				ops = append(ops, op{'+', right[ri].display, 0, right[ri].line})
				ri++
			}
		}
	}
	return unified(ops, opts)
}

// joinKeys joins the keys one per line, as DiffLinesToChars expects.
func joinKeys(items []item) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.key)
		b.WriteByte('\n')
	}
	return b.String()
}

// unified prints the changes with context, in hunks headed @@ -l,n +l,n @@.
func unified(ops []op, opts DiffOptions) string {
	var b strings.Builder
	header := "documented=-, actual=+"
	if opts.Header != "" {
		header = opts.Header + ": " + header
	}
	b.WriteString(header + "\n")
	printed := 0
	for _, h := range hunks(ops) {
		if printed >= maxDiffLines {
			fmt.Fprintf(&b, "... diff cut after %d lines\n", maxDiffLines)
			break
		}
		fmt.Fprintf(&b, "@@ -%s +%s @@\n", hunkRange(ops[h[0]:h[1]], true), hunkRange(ops[h[0]:h[1]], false))
		for _, o := range ops[h[0]:h[1]] {
			if printed >= maxDiffLines {
				break
			}
			b.WriteString(string(o.kind) + redact(o.text, opts.Secrets) + "\n")
			printed++
		}
	}
	return b.String()
}

// hunks groups the changes with their context into [start, end) ranges of ops.
func hunks(ops []op) [][2]int {
	var out [][2]int
	for i := 0; i < len(ops); i++ {
		if ops[i].kind == ' ' {
			continue
		}
		start := max(0, i-diffContext)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end = min(end+diffContext, run)
				break
			}
			end = run
		}
		if len(out) > 0 && start <= out[len(out)-1][1] {
			out[len(out)-1][1] = end
		} else {
			out = append(out, [2]int{start, end})
		}
		i = end - 1
	}
	return out
}

// hunkRange gives "first,count" of one side of a hunk.
func hunkRange(ops []op, left bool) string {
	first, count := 0, 0
	for _, o := range ops {
		n := o.right
		if left {
			n = o.left
		}
		if (left && o.kind == '+') || (!left && o.kind == '-') {
			continue
		}
		if first == 0 {
			first = n
		}
		count++
	}
	return fmt.Sprintf("%d,%d", first, count)
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
