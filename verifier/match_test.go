package verifier

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// reference decides a match by brute force over all ways the elisions can
// cover lines; lines in the gap [gapAt, gapAt+gapLen) match any line.
func reference(e *Expectation, a *Actual) bool {
	n := a.size()
	memo := map[[2]int]bool{}
	var rec func(i, j int) bool
	rec = func(i, j int) bool {
		key := [2]int{i, j}
		if v, ok := memo[key]; ok {
			return v
		}
		var v bool
		switch {
		case i == len(e.lines):
			v = j == n
		case e.lines[i].kind == elisionLine:
			v = rec(i+1, j) || (j < n && rec(i, j+1))
		case j < n:
			ok := e.lines[i].match(a, j, e.pinned)
			v = ok && rec(i+1, j+1)
		}
		memo[key] = v
		return v
	}
	return rec(0, 0)
}

// TestMatchAgainstReference compares the greedy matcher with brute force
// on many small random cases with repeated lines, volatile numbers,
// inline elisions and elision lines, with and without omitted output.
func TestMatchAgainstReference(t *testing.T) {
	docLines := []string{"a", "b", "n 1", "n 2", "[...]", "...", "a [...]", "[...] b"}
	outLines := []string{"a", "b", "n 1", "n 7", "a b", "c"}
	r := rand.New(rand.NewPCG(1, 2))
	mismatches := 0
	for k := 0; k < 30000; k++ {
		exp := make([]string, r.IntN(6))
		for i := range exp {
			exp[i] = docLines[r.IntN(len(docLines))]
		}
		act := make([]string, r.IntN(8))
		for i := range act {
			act[i] = outLines[r.IntN(len(outLines))]
		}
		e, a := Compile(exp, nil), NewActual(act)
		if k%3 == 0 && len(act) > 0 {
			a.gapAt, a.gapLen = r.IntN(len(act)+1), 1+r.IntN(3)
		}
		want := reference(e, a)
		if e.Match(a).OK != want {
			mismatches++
			if mismatches < 10 {
				t.Errorf("expect %q actual %q gap %d+%d: greedy %v, reference %v",
					exp, act, a.gapAt, a.gapLen, !want, want)
			}
		}
	}
	if mismatches > 0 {
		t.Errorf("%d mismatches", mismatches)
	}
}

func TestGlob(t *testing.T) {
	w := string(wildcard)
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"a" + w + "b", "ab", true},
		{"a" + w + "b", "axxb", true},
		{"a" + w + "b", "axxc", false},
		{w + "b", "b", true},
		{"a" + w, "a", true},
		{"a" + w + "a", "a", false},
		{"a" + w + "b" + w + "c", "abbbc", true},
		{"a" + w + "b" + w + "c", "acb", false},
	}
	for _, c := range cases {
		if got := glob(c.pattern, c.s); got != c.want {
			t.Errorf("glob(%q, %q) = %v", strings.ReplaceAll(c.pattern, w, "*"), c.s, got)
		}
	}
}
