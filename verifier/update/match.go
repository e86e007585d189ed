package update

import (
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/verifier"
)

// This file is the one place where update depends on how the verifier
// judges output. Rewritten output must match by the verifier's own rules
// (normalisation, elision lines, inline elisions, volatile tokens, hidden
// answers), or `check` would fail again after `update`; so each documented
// line is compiled by the verifier and matched against single actual lines.

// outputLines are the command's output lines exactly as the verifier
// compares them (normalised, ^C and REPL quirks handled).
func outputLines(cmd *runbook.Command, out *runbook.Outcome) []string {
	return verifier.OutputLines(cmd, out)
}

// matcher decides whether one documented line still matches an actual line.
type matcher struct {
	exp     *verifier.Expectation
	blank   bool // the verifier ignores blank lines on both sides
	elision bool // the line stands for any number of lines
}

// newMatcher compiles documented line i of a command's output, with the
// tokens the command pins compared literally, as check does.
func newMatcher(doc string, i int, answers []runbook.Answer, pinned *verifier.Pinned) matcher {
	var own []runbook.Answer
	for _, a := range answers {
		if a.Line == i {
			a.Line = 0
			own = append(own, a)
		}
	}
	exp := verifier.CompilePinned([]string{doc}, own, pinned)
	blank := strings.TrimSpace(verifier.NormalizeLine(doc)) == ""
	return matcher{exp: exp, blank: blank, elision: !blank && !exp.HasContent()}
}

// actualLine is one actual output line prepared for matching.
type actualLine struct {
	text  string
	blank bool
	act   *verifier.Actual
}

func newActualLine(l string) actualLine {
	return actualLine{text: l, blank: strings.TrimSpace(l) == "", act: verifier.NewActual([]string{l})}
}

// matches reports whether the documented line describes the actual line.
func (m matcher) matches(a actualLine) bool {
	if m.blank || m.elision || a.blank {
		return false
	}
	return m.exp.Match(a.act).OK
}
