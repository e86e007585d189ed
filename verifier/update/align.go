package update

// maxCells bounds the alignment table (and the line matches it needs);
// beyond it the documented lines are replaced wholesale, which is still
// correct, only less faithful.
const maxCells = 1 << 18

// Costs of the edits that turn documented lines into actual ones. Dropping a
// documented line costs more than replacing it, so that a changed line is
// shown in place of the old one rather than hidden in a nearby elision.
// Blank lines cost nothing: the verifier ignores them on both sides.
const (
	costInsert = 1
	costSubst  = 1
	costDrop   = 2
)

// docLine is one documented output line with its source text.
type docLine struct {
	src string // the line exactly as in the source, indentation included
	m   matcher
}

// align returns the new documented lines: a documented line is kept as
// written where it still matches (volatile values and inline elisions
// included), an elision line is kept where it covers actual lines, blank
// documented lines stay, and actual lines (formatted by fresh) fill in the
// rest.
func align(doc []docLine, actual []string, fresh func(string) string) []string {
	n, m := len(doc), len(actual)
	if (n+1)*(m+1) > maxCells {
		out := make([]string, m)
		for j, a := range actual {
			out[j] = fresh(a)
		}
		return out
	}
	act := make([]actualLine, m)
	for j, a := range actual {
		act[j] = newActualLine(a)
	}
	w := m + 1
	ok := make([]bool, n*w) // ok[i*w+j]: documented line i matches actual line j
	for i := range n {
		for j := range m {
			ok[i*w+j] = doc[i].m.matches(act[j])
		}
	}
	cost := make([]int32, (n+1)*w)
	at := func(i, j int) int32 { return cost[i*w+j] }
	for i := n; i >= 0; i-- {
		for j := m; j >= 0; j-- {
			cost[i*w+j] = cellCost(doc, act, ok, i, j, w, at)
		}
	}
	return walk(doc, act, ok, w, at, fresh)
}

// cellCost is the cheapest way to turn doc[i:] into act[j:].
func cellCost(doc []docLine, act []actualLine, ok []bool, i, j, w int, at func(int, int) int32) int32 {
	n, m := len(doc), len(act)
	if i == n {
		var c int32
		for _, a := range act[j:] {
			if !a.blank {
				c += costInsert
			}
		}
		return c
	}
	d := doc[i].m
	if j < m && act[j].blank {
		return at(i, j+1) // skipped or kept, it is free
	}
	switch {
	case d.blank:
		return at(i+1, j)
	case d.elision:
		best := at(i+1, j)
		if j < m {
			best = min(best, at(i, j+1))
		}
		return best
	}
	best := at(i+1, j) + costDrop
	if j < m {
		step := int32(costSubst)
		if ok[i*w+j] {
			step = 0
		}
		best = min(best, at(i+1, j+1)+step, at(i, j+1)+costInsert)
	}
	return best
}

// walk follows the cheapest path through the table and emits the lines.
func walk(doc []docLine, act []actualLine, ok []bool, w int, at func(int, int) int32, fresh func(string) string) []string {
	n, m := len(doc), len(act)
	var out []string
	lastFresh := false
	emit := func(l string, isFresh bool) {
		out = append(out, l)
		lastFresh = isFresh
	}
	i, j := 0, 0
	for i < n || j < m {
		c := at(i, j)
		switch {
		case j < m && act[j].blank:
			if lastFresh && j+1 < m && !act[j+1].blank && (i == n || c == at(i, j+1)) {
				emit("", true) // a blank line inside new output keeps its place
			}
			j++
		case i == n:
			emit(fresh(act[j].text), true)
			j++
		case doc[i].m.blank:
			emit(doc[i].src, false)
			i++
		case doc[i].m.elision && j < m && c == at(i, j+1):
			j++ // covered by the elision
		case doc[i].m.elision:
			emit(doc[i].src, false)
			i++
		case j < m && ok[i*w+j] && c == at(i+1, j+1):
			emit(doc[i].src, false)
			i, j = i+1, j+1
		case j < m && c == at(i+1, j+1)+costSubst:
			emit(fresh(act[j].text), true)
			i, j = i+1, j+1
		case j < m && c == at(i, j+1)+costInsert:
			emit(fresh(act[j].text), true)
			j++
		default:
			i++ // dropped
		}
	}
	return out
}
