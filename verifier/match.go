package verifier

import (
	"sort"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/ansi"
)

// wildcard stands for an inline elision ("[...]" or "…" inside a line)
// in a compiled expected line.
const wildcard = '\uE000'

// lineKind says how one expected line is compared.
type lineKind uint8

const (
	plainLine   lineKind = iota // compared after masking volatile tokens
	globLine                    // holds inline elisions
	elisionLine                 // stands for any number of lines
	eofLine                     // a REPL's bare prompt where the transcript ends its input
	hiddenLine                  // a prompt whose secret answer is not echoed
)

// expLine is one documented output line compiled for matching.
type expLine struct {
	kind    lineKind
	text    string // normalised, leading whitespace trimmed; wildcards for globLine
	key     string // text with volatile tokens masked; see masked
	display string // as documented (normalised), for diffs
	source  int    // index into Command.Expect
}

// masked returns the line with its volatile tokens masked, computed once
// and only when a plain comparison was not enough.
func (l *expLine) masked(pinned *Pinned) string {
	if l.key == "" {
		l.key = mask(l.text, pinned)
	}
	return l.key
}

// segment is a run of expected lines between elisions: [start, end) into Expectation.lines.
type segment struct{ start, end int }

// Expectation is a command's documented output compiled for matching.
type Expectation struct {
	lines   []expLine
	segs    []segment
	lead    bool // an elision before the first segment
	trail   bool // an elision after the last segment
	content bool // at least one line that is not an elision
	pinned  *Pinned
}

// Compile prepares documented output lines (Command.Expect) for matching.
// answers mark lines that show a hidden answer (compared with the prompt
// alone, since nothing is echoed) and a REPL's closing bare prompt (which
// the terminal may show with the "\q" that ended the input).
func Compile(expect []string, answers []runbook.Answer) *Expectation {
	return CompilePinned(expect, answers, nil)
}

// CompilePinned is Compile with the tokens the guide pins (see Pinned):
// those are compared literally even where they look volatile.
func CompilePinned(expect []string, answers []runbook.Answer, pinned *Pinned) *Expectation {
	kinds := map[int]runbook.AnswerKind{}
	prompts := map[int]string{}
	for _, a := range answers {
		if a.Kind == runbook.Hidden || a.Kind == runbook.EndInput {
			kinds[a.Line] = a.Kind
		}
		if a.Kind == runbook.Hidden {
			prompts[a.Line] = a.Prompt
		}
	}
	e := &Expectation{lines: make([]expLine, 0, len(expect)), pinned: pinned}
	for i, raw := range expect {
		if p := prompts[i]; p != "" && strings.HasPrefix(strings.TrimLeft(raw, " \t"), p) {
			// "Password: hunter2" where the secret was typed without echo: the terminal shows the prompt.
			raw = raw[:len(raw)-len(strings.TrimLeft(raw, " \t"))] + p
		}
		l, ok := compileLine(raw, i, kinds)
		if !ok {
			continue
		}
		if l.kind == elisionLine {
			if len(e.lines) > 0 && e.lines[len(e.lines)-1].kind == elisionLine {
				continue // two elisions in a row mean what one means
			}
		} else {
			e.content = true
		}
		e.lines = append(e.lines, l)
	}
	e.index()
	return e
}

// compileLine compiles one documented line; blank lines are dropped (ok false)
// because authors add and remove them freely around output.
func compileLine(raw string, i int, kinds map[int]runbook.AnswerKind) (expLine, bool) {
	raw = strings.TrimSuffix(raw, "\r")
	if runbook.IsElisionLine(raw) {
		return expLine{kind: elisionLine, display: strings.TrimSpace(raw), source: i}, true
	}
	kind := plainLine
	switch k, ok := kinds[i]; {
	case ok && k == runbook.Hidden:
		kind = hiddenLine
		raw = hiddenPrompt(raw)
	case ok && k == runbook.EndInput:
		kind = eofLine
	}
	if kind == plainLine && runbook.HasInlineElision(raw) {
		kind = globLine
		raw = markInlineElisions(raw)
	}
	display := NormalizeLine(ansi.Strip(strings.ToValidUTF8(raw, "\uFFFD")))
	text := strings.TrimLeft(display, " ")
	if text == "" {
		return expLine{}, false
	}
	return expLine{kind: kind, text: text, display: strings.ReplaceAll(display, string(wildcard), "[...]"), source: i}, true
}

// hiddenPrompt reduces "Password: [hidden]" to the "Password:" a terminal shows.
func hiddenPrompt(line string) string {
	t := strings.TrimRight(line, " \t")
	for _, suffix := range []string{"[hidden]", "[HIDDEN]", "[Hidden]"} {
		t = strings.TrimRight(strings.TrimSuffix(t, suffix), " \t")
	}
	return t
}

// markInlineElisions replaces inline elision marks with the wildcard rune
// before normalisation turns "…" into "...".
func markInlineElisions(line string) string {
	w := string(wildcard)
	line = strings.Join(runbook.SplitElisions(line), w)
	// The wildcard may stand for nothing, and then the spaces around it
	// collapse: "OK [...]" matches "OK", "a [...] b" matches "a b".
	line = strings.ReplaceAll(line, w+" ", w)
	if t := strings.TrimRight(line, " \t"); strings.HasSuffix(t, w) {
		line = strings.TrimRight(strings.TrimSuffix(t, w), " \t") + w
	}
	return line
}

// index splits the lines into segments between elisions.
func (e *Expectation) index() {
	start := 0
	for i, l := range e.lines {
		if l.kind != elisionLine {
			continue
		}
		if i == 0 {
			e.lead = true
		} else if i > start {
			e.segs = append(e.segs, segment{start, i})
		}
		start = i + 1
	}
	if start < len(e.lines) {
		e.segs = append(e.segs, segment{start, len(e.lines)})
	} else if len(e.lines) > 0 {
		e.trail = true
	}
}

// HasContent reports whether the guide documents any output beyond elisions.
func (e *Expectation) HasContent() bool { return e.content }

// Actual is normalised actual output prepared for matching.
type Actual struct {
	text    []string // leading whitespace trimmed, blank lines dropped
	display []string // with indentation, for diffs
	lineNo  []int    // 1-based line in the normalised output
	keys    []string // masked text, computed on demand
	byKey   map[string][]int
	pinned  *Pinned // what keys were masked with
	// A gap of gapLen lines before text[gapAt] stands for output the
	// executor left out; a line of the gap matches any expected line.
	gapAt, gapLen int
}

// size counts the actual lines, those in the gap included.
func (a *Actual) size() int { return len(a.text) + a.gapLen }

// real maps a line number (gap included) to an index into text; false for a line in the gap.
func (a *Actual) real(j int) (int, bool) {
	switch {
	case a.gapLen == 0 || j < a.gapAt:
		return j, true
	case j < a.gapAt+a.gapLen:
		return -1, false
	}
	return j - a.gapLen, true
}

// virtual maps an index into text to a line number that counts the gap.
func (a *Actual) virtual(r int) int {
	if a.gapLen > 0 && r >= a.gapAt {
		return r + a.gapLen
	}
	return r
}

// NewActual prepares normalised output lines (see Normalize) for matching.
func NewActual(lines []string) *Actual {
	a := &Actual{
		text:    make([]string, 0, len(lines)),
		display: make([]string, 0, len(lines)),
		lineNo:  make([]int, 0, len(lines)),
	}
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if t == "" {
			continue
		}
		a.text = append(a.text, t)
		a.display = append(a.display, l)
		a.lineNo = append(a.lineNo, i+1)
	}
	a.keys = make([]string, len(a.text))
	return a
}

// pin makes the masked keys follow the expectation's pinned tokens; keys
// masked for other ones are dropped.
func (a *Actual) pin(p *Pinned) {
	if a.pinned == p {
		return
	}
	a.pinned, a.byKey = p, nil
	clear(a.keys)
}

// key returns the masked text of actual line j.
func (a *Actual) key(j int) string {
	if a.keys[j] == "" {
		a.keys[j] = mask(a.text[j], a.pinned)
	}
	return a.keys[j]
}

// positions returns the sorted indices of the actual lines whose masked text is key.
func (a *Actual) positions(key string) []int {
	if a.byKey == nil {
		a.byKey = make(map[string][]int, len(a.text))
		for j := range a.text {
			k := a.key(j)
			a.byKey[k] = append(a.byKey[k], j)
		}
	}
	return a.byKey[key]
}

// Match is the outcome of matching documented output with actual output.
type Match struct {
	OK       bool
	Volatile int // volatile tokens that differed on matching lines
	// Classes are the classes of those tokens, each once, and Masked the
	// first MaxMasked of them as documented→actual pairs.
	Classes []runbook.VolatileClass
	Masked  []runbook.Masked
	at      []int // per compiled expected line: the actual line it matched, or -1
}

// Match reports whether the actual output is what the guide documents.
// Segments between elisions are placed in order, each at its leftmost
// possible position (found through an index of masked lines), which is
// optimal for in-order segments and keeps the work close to linear.
func (e *Expectation) Match(a *Actual) Match {
	a.pin(e.pinned)
	m := Match{at: make([]int, len(e.lines))}
	for i := range m.at {
		m.at[i] = -1
	}
	n := a.size()
	if len(e.segs) == 0 {
		m.OK = n == 0 || e.lead || e.trail
		return m
	}
	need := e.suffixNeed()
	cur := 0
	for si, sg := range e.segs {
		start := e.place(a, si, cur, n-need[si+1])
		if start < 0 {
			return m
		}
		e.record(&m, sg, start)
		cur = start + sg.end - sg.start
	}
	m.OK = e.trail || cur == n
	if m.OK {
		e.collect(&m, a)
	}
	return m
}

// collect records the volatile tokens that differ on the matched lines.
func (e *Expectation) collect(m *Match, a *Actual) {
	var v volatiles
	for i, j := range m.at {
		l := &e.lines[i]
		if j < 0 || l.kind == elisionLine {
			continue
		}
		r, kept := a.real(j)
		if !kept || a.text[r] == l.text && l.kind != globLine {
			continue
		}
		switch l.kind {
		case plainLine:
			v.compare(l.text, a.text[r], e.pinned)
		case globLine:
			if !glob(l.text, a.text[r]) {
				v.compareGlob(l.text, a.text[r], l.masked(e.pinned), a.key(r), e.pinned)
			}
		}
	}
	m.Volatile, m.Classes, m.Masked = v.count, v.classList(), v.pairs
}

// MatchOmitted matches output from which the executor left out omitted
// lines after the first gap lines, to bound memory. Those lines are taken
// to be exactly what the guide documents there: each stands for any one
// line, so only the lines that were kept are checked.
func (e *Expectation) MatchOmitted(a *Actual, gap, omitted int) Match {
	if omitted <= 0 {
		return e.Match(a)
	}
	a.pin(e.pinned)
	a.gapAt = sort.Search(len(a.lineNo), func(j int) bool { return a.lineNo[j] > gap })
	a.gapLen = omitted
	defer func() { a.gapAt, a.gapLen = 0, 0 }()
	return e.Match(a)
}

// suffixNeed returns, for each segment index, how many actual lines the
// segments from there to the end need at least.
func (e *Expectation) suffixNeed() []int {
	need := make([]int, len(e.segs)+1)
	for i := len(e.segs) - 1; i >= 0; i-- {
		need[i] = need[i+1] + e.segs[i].end - e.segs[i].start
	}
	return need
}

// place finds where segment si starts in the actual lines, at or after
// cur and no later than the segment can end by limit; -1 when nowhere.
func (e *Expectation) place(a *Actual, si, cur, limit int) int {
	sg := e.segs[si]
	size := sg.end - sg.start
	anchoredStart := si == 0 && !e.lead
	anchoredEnd := si == len(e.segs)-1 && !e.trail
	switch {
	case anchoredStart:
		if size <= limit && e.matchAt(a, sg, 0) {
			return 0
		}
		return -1
	case anchoredEnd:
		start := limit - size
		if start >= cur && e.matchAt(a, sg, start) {
			return start
		}
		return -1
	}
	return e.find(a, sg, cur, limit-size)
}

// find returns the leftmost start in [from, maxStart] where sg matches.
// It looks up the segment's rarest plain line in the index of masked
// actual lines, so only starts where that line matches are tried.
func (e *Expectation) find(a *Actual, sg segment, from, maxStart int) int {
	if maxStart < from {
		return -1
	}
	anchor, cands := -1, []int(nil)
	for i := sg.start; i < sg.end; i++ {
		if e.lines[i].kind != plainLine {
			continue
		}
		p := a.positions(e.lines[i].masked(e.pinned))
		if anchor < 0 || len(p) < len(cands) {
			anchor, cands = i, p
		}
	}
	if anchor < 0 {
		for s := from; s <= maxStart; s++ {
			if e.matchAt(a, sg, s) {
				return s
			}
		}
		return -1
	}
	off := anchor - sg.start
	k := sort.Search(len(cands), func(k int) bool { return a.virtual(cands[k]) >= from+off })
	for ; k < len(cands); k++ {
		start := a.virtual(cands[k]) - off
		if g, ok := e.findInGap(a, sg, from, min(start-1, maxStart)); ok {
			return g
		}
		if start > maxStart {
			return -1
		}
		if e.matchAt(a, sg, start) {
			return start
		}
		from = start + 1
	}
	if g, ok := e.findInGap(a, sg, from, maxStart); ok {
		return g
	}
	return -1
}

// findInGap tries the starts in [from, to] where part of sg falls in the
// gap of omitted output, where the index of kept lines cannot find it.
func (e *Expectation) findInGap(a *Actual, sg segment, from, to int) (int, bool) {
	if a.gapLen == 0 {
		return 0, false
	}
	size := sg.end - sg.start
	lo := max(from, a.gapAt-size+1)
	hi := min(to, a.gapAt+a.gapLen-1)
	for s := lo; s <= hi; s++ {
		if s >= a.gapAt && s+size <= a.gapAt+a.gapLen {
			return s, true // wholly inside the gap
		}
		if e.matchAt(a, sg, s) {
			return s, true
		}
	}
	return 0, false
}

// matchAt matches sg against the actual lines from start.
func (e *Expectation) matchAt(a *Actual, sg segment, start int) bool {
	for i := sg.start; i < sg.end; i++ {
		if !e.lines[i].match(a, start+i-sg.start, e.pinned) {
			return false
		}
	}
	return true
}

// record notes which actual line each line of sg matched.
func (e *Expectation) record(m *Match, sg segment, start int) {
	for i := sg.start; i < sg.end; i++ {
		m.at[i] = start + i - sg.start
	}
}

// replQuits are what a terminal may show after a REPL's prompt when the
// transcript's closing bare prompt ended the input.
var replQuits = map[string]bool{
	"": true, `\q`: true, `\quit`: true, "exit": true, "quit": true, "exit()": true,
	"quit()": true, ".exit": true, ".quit": true, "^D": true, "\\q;": true, "exit;": true, "quit;": true,
}

// match compares this expected line with actual line j, volatile tokens
// masked by class.
func (l *expLine) match(a *Actual, j int, pinned *Pinned) bool {
	j, kept := a.real(j)
	if !kept {
		return true
	}
	t := a.text[j]
	if t == l.text && l.kind != globLine {
		return true
	}
	switch l.kind {
	case eofLine:
		rest, ok := strings.CutPrefix(t, l.text)
		return ok && replQuits[strings.TrimSpace(rest)]
	case hiddenLine:
		if strings.Trim(strings.TrimPrefix(t, l.text), "* ") == "" && strings.HasPrefix(t, l.text) {
			return true
		}
	case globLine:
		return glob(l.text, t) || glob(l.masked(pinned), a.key(j))
	}
	return a.key(j) == l.masked(pinned)
}

// glob matches s against pattern, where each wildcard rune matches any text.
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, string(wildcard))
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		k := strings.Index(s, p)
		if k < 0 {
			return false
		}
		s = s[k+len(p):]
	}
	return strings.HasSuffix(s, last)
}
