package verifier

import (
	"sort"

	runbook "github.com/runbookdev/runbook"
)

// Aligned returns the index into OutputLines(cmd, out) of the actual line
// that documented line i (an index into cmd.Expect) matches, as Verify
// aligns them. It is how the runner finds, in a real run's output, the value
// the guide shows on a line (the hash hash_password prints) to pass it on
// to a later step. ok is false when the output does not match what the
// guide documents (then no line is known to be that line), when line i is
// not compared (an elision, a blank line) or when it fell in output the
// executor left out.
func Aligned(cmd *runbook.Command, out *runbook.Outcome, i int) (int, bool) {
	exp := Compile(cmd.Expect, cmd.Answers)
	act := NewActual(OutputLines(cmd, out))
	if out.Omitted > 0 {
		act.gapAt = sort.Search(len(act.lineNo), func(j int) bool { return act.lineNo[j] > OmittedAfter })
		act.gapLen = out.Omitted
	}
	m := exp.Match(act)
	if !m.OK {
		return 0, false
	}
	for k, l := range exp.lines {
		if l.source != i || l.kind == elisionLine || m.at[k] < 0 {
			continue
		}
		j, kept := act.real(m.at[k])
		if !kept {
			return 0, false
		}
		return act.lineNo[j] - 1, true
	}
	return 0, false
}
