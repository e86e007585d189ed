package runbook

import (
	"sort"
	"strings"

	"github.com/runbookdev/runbook/internal/quote"
)

// Mask is what Redact puts in place of a secret value.
const Mask = "********"

// Replacer substitutes example values with real ones and back, and hides secrets.
// It is built once per run and is safe for concurrent use.
type Replacer struct {
	forward table
	reverse table
	redact  table
}

// NewReplacer prepares substitution for the given params.
//
// Forward maps each Example to its Value when they differ and the Value is
// set, except for a Local param, whose example means it only at its ties.
// Reverse maps each Value back to its Example, except where that would be
// unsafe: values equal to their example, empty values, and, for params that
// are not secret, values shorter than 4 bytes or too common to be a parameter
// ("root", "admin", "localhost", plain numbers under 4 digits, ...), choices
// and the guide's own defaults (see guideWord). Secret
// values are always reversed, so that they turn back into the guide's example
// rather than leak. When two params share a value the first one wins. Redact
// maps every non-empty secret value to Mask wherever it occurs, even inside a
// longer word, and so does every escaped form of it (quote.Forms: yaml,
// json, ini and bash quoting), since Apply writes a value escaped for the
// file or command it lands in.
func NewReplacer(ps []Param) *Replacer {
	var fw, rv, rd []pair
	for _, p := range ps {
		if p.Value != p.Example && p.Value != "" && p.Example != "" {
			if !p.Local { // a local param is substituted only at its ties (params.Apply)
				fw = append(fw, pair{p.Example, p.Value})
			}
			if p.Secret || (reversible(p.Value) && guideWord(p)) {
				rv = append(rv, pair{p.Value, p.Example})
			}
		}
		if p.Secret && p.Value != "" {
			rd = append(rd, pair{p.Value, Mask})
			for _, f := range quote.Forms(p.Value) {
				rd = append(rd, pair{f, Mask})
			}
		}
	}
	return &Replacer{
		forward: newTable(fw, true),
		reverse: newTable(rv, true),
		redact:  newTable(rd, false),
	}
}

// commonValues are too ordinary to be turned back into an example safely.
var commonValues = map[string]bool{
	"root": true, "user": true, "admin": true, "test": true, "home": true, "localhost": true,
	"true": true, "false": true, "none": true, "null": true, "http": true, "https": true,
	"www": true, "html": true, "data": true, "main": true, "master": true,
}

// guideWord reports whether real output that shows a non-secret param's
// value should read as its example again. A choice's options are ordinary
// words ("yes", "sqlite") that output uses for other things, and so is a
// default the guide gives itself (SERVICE's program "synapse", the isabell
// USER defaults to), which the guide already writes as it is; only a
// <placeholder>'s default stays reversed, since the documented output shows
// the placeholder and `update` must put it back.
func guideWord(p Param) bool {
	switch {
	case p.Kind == ParamChoice:
		return false
	case p.Default != "" && p.Value == p.Default:
		return strings.HasPrefix(p.Example, "<")
	}
	return true
}

// reversible reports whether a non-secret value is distinctive enough that
// every whole-token occurrence in real output can be taken to be that value.
func reversible(v string) bool {
	return len(v) >= 4 && !commonValues[strings.ToLower(v)]
}

// Forward replaces example values with the values set (whole tokens, longest first).
func (r *Replacer) Forward(s string) string { return r.forward.replace(s) }

// Match is one example value found by ForwardMatches: s[Start:End] is the
// Example, which Forward would replace with Value.
type Match struct {
	Start, End     int
	Example, Value string
}

// ForwardMatches lists, in order, the places where Forward would substitute,
// for callers that must escape each value for the context it lands in.
func (r *Replacer) ForwardMatches(s string) []Match {
	t := &r.forward
	if t.empty {
		return nil
	}
	var out []Match
	for i := 0; i < len(s); i++ {
		cands := t.byFirst[s[i]]
		if len(cands) == 0 {
			continue
		}
		if p, ok := t.match(s, i, cands); ok {
			out = append(out, Match{Start: i, End: i + len(p.from), Example: p.from, Value: p.to})
			i += len(p.from) - 1
		}
	}
	return out
}

// Reverse replaces the values set with the guide's example values, so actual
// output can be compared with, or written back into, the guide.
func (r *Replacer) Reverse(s string) string { return r.reverse.replace(s) }

// Redact replaces every secret value with a fixed mask.
func (r *Replacer) Redact(s string) string { return r.redact.replace(s) }

// pair is one substitution.
type pair struct{ from, to string }

// table is a set of substitutions indexed by first byte, longest first, so a
// scan costs one table lookup per byte of input that cannot start a match.
type table struct {
	byFirst [256][]pair
	tokens  bool // matches must be whole tokens
	empty   bool
}

func newTable(ps []pair, tokens bool) table {
	t := table{tokens: tokens, empty: true}
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].from) > len(ps[j].from) })
	seen := map[string]bool{}
	for _, p := range ps {
		if p.from == "" || seen[p.from] {
			continue
		}
		seen[p.from] = true
		t.byFirst[p.from[0]] = append(t.byFirst[p.from[0]], p)
		t.empty = false
	}
	return t
}

// IsWordByte reports whether b belongs to a token ([A-Za-z0-9_]); a
// substitution never starts or ends next to one.
func IsWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// replace applies the table to s, leaving s itself when nothing matches.
func (t *table) replace(s string) string {
	if t.empty {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		cands := t.byFirst[s[i]]
		if len(cands) == 0 {
			continue
		}
		if p, ok := t.match(s, i, cands); ok {
			if b.Len() == 0 {
				b.Grow(len(s) + 16)
			}
			b.WriteString(s[last:i])
			b.WriteString(p.to)
			i += len(p.from) - 1
			last = i + 1
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// match finds the longest candidate that occurs at s[i:] as a whole token.
func (t *table) match(s string, i int, cands []pair) (pair, bool) {
	for _, p := range cands {
		if !strings.HasPrefix(s[i:], p.from) {
			continue
		}
		if !t.tokens {
			return p, true
		}
		end := i + len(p.from)
		if IsWordByte(p.from[0]) && i > 0 && IsWordByte(s[i-1]) {
			continue
		}
		if IsWordByte(p.from[len(p.from)-1]) && end < len(s) && IsWordByte(s[end]) {
			continue
		}
		return p, true
	}
	return pair{}, false
}
