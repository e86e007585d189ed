package runbook

import (
	"reflect"
	"testing"
)

func TestIsElisionLine(t *testing.T) {
	for _, s := range []string{"[...]", "[…]", "(...)", "...", "…", "  [...]  ", "\t…"} {
		if !IsElisionLine(s) || ElisionOf(s) != LineElision {
			t.Errorf("IsElisionLine(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "..", "[..]", "a ...", "Sending registration request...", "[...] more", "....."} {
		if IsElisionLine(s) || ElisionOf(s) != NoElision {
			t.Errorf("IsElisionLine(%q) = true, want false", s)
		}
	}
}

func TestSplitElisions(t *testing.T) {
	cases := map[string][]string{
		"plain line":              {"plain line"},
		"found 0 in […] packages": {"found 0 in ", " packages"},
		"a [...] b … c":           {"a ", " b ", " c"},
		"[...] at start":          {"", " at start"},
		"Sending request...":      {"Sending request..."},
		"ends with …":             {"ends with ", ""},
	}
	for in, want := range cases {
		if got := SplitElisions(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitElisions(%q) = %q, want %q", in, got, want)
		}
	}
	if HasInlineElision("[...]") || !HasInlineElision("x […] y") || HasInlineElision("x ... y") {
		t.Error("HasInlineElision misclassifies")
	}
}

func TestMatchElided(t *testing.T) {
	cases := []struct {
		pattern, actual string
		want            bool
	}{
		{"found 0 vulnerabilities in […] packages", "found 0 vulnerabilities in 1234 packages", true},
		{"found 0 vulnerabilities in […] packages", "found 3 vulnerabilities in 1234 packages", false},
		{"a [...] b [...] c", "a xx b yy b zz c", true},
		{"a [...] b [...] c", "a c", false},
		{"ab…ba", "aba", false},
		{"ab…ba", "abba", true},
		{"exact", "exact", true},
		{"exact", "exactly", false},
		{"…", "", true},
	}
	for _, c := range cases {
		if got := MatchElided(c.pattern, c.actual); got != c.want {
			t.Errorf("MatchElided(%q, %q) = %v, want %v", c.pattern, c.actual, got, c.want)
		}
	}
}
