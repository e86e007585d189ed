package runbook

import "strings"

// Elision says what a line of documented output leaves out.
type Elision int

const (
	// NoElision is an ordinary line (it may still hold inline elisions; see SplitElisions).
	NoElision Elision = iota
	// LineElision is a line such as "[...]" that stands for any number of lines, including none.
	LineElision
)

// String names the elision kind for dumps.
func (e Elision) String() string {
	if e == LineElision {
		return "lines"
	}
	return "none"
}

// lineElisions are the whole-line forms authors use for "more output here";
// they are compared after trimming surrounding blanks.
var lineElisions = map[string]bool{
	"[...]": true, "[…]": true, "(...)": true, "(…)": true,
	"...": true, "…": true, "....": true, "[ ... ]": true, "[ … ]": true,
}

// ElisionOf classifies one line of documented output.
func ElisionOf(line string) Elision {
	if IsElisionLine(line) {
		return LineElision
	}
	return NoElision
}

// IsElisionLine reports whether the line only stands for omitted lines
// ("[...]", "[…]", "(...)", "..." or "…", surrounding blanks ignored).
func IsElisionLine(s string) bool {
	t := strings.TrimSpace(s)
	if len(t) < 3 || len(t) > 9 {
		return false
	}
	return lineElisions[t]
}

// inlineElisions are the marks that stand for any text inside a line. Plain
// "..." is not one: "Sending registration request..." means what it says.
var inlineElisions = []string{"[...]", "[…]", "…"}

// HasInlineElision reports whether a line that is not an elision line holds an inline elision mark.
func HasInlineElision(line string) bool {
	if IsElisionLine(line) {
		return false
	}
	for _, m := range inlineElisions {
		if strings.Contains(line, m) {
			return true
		}
	}
	return false
}

// SplitElisions splits a documented line on its inline elision marks
// ("[...]", "[…]" and "…"; not plain "...", which is ordinary text): the
// parts are the literal text between marks, so a line without marks gives one
// part, and "a […] b" gives "a " and " b". An actual line matches when it
// starts with the first part, ends with the last and holds the others in order
// (see MatchElided).
func SplitElisions(line string) []string {
	var parts []string
	rest := line
	for {
		i, n := nextInlineMark(rest)
		if i < 0 {
			return append(parts, rest)
		}
		parts = append(parts, rest[:i])
		rest = rest[i+n:]
	}
}

// nextInlineMark finds the earliest inline elision mark in s and its length.
func nextInlineMark(s string) (int, int) {
	best, n := -1, 0
	for _, m := range inlineElisions {
		if i := strings.Index(s, m); i >= 0 && (best < 0 || i < best || (i == best && len(m) > n)) {
			best, n = i, len(m)
		}
	}
	return best, n
}

// MatchElided reports whether actual matches the documented line pattern, in
// which each inline elision mark stands for any text (possibly empty). The
// match is leftmost-first, which is exact for this kind of pattern.
func MatchElided(pattern, actual string) bool {
	parts := SplitElisions(pattern)
	if len(parts) == 1 {
		return pattern == actual
	}
	first, last := parts[0], parts[len(parts)-1]
	if !strings.HasPrefix(actual, first) || len(actual) < len(first)+len(last) {
		return false
	}
	rest := actual[len(first):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return len(rest) >= len(last) && strings.HasSuffix(rest, last)
}
