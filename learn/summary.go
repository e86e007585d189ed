package learn

import (
	"fmt"
	"io"
	"math"
	"time"
)

// Summary counts how a trainee did the steps of a guide; it is the object
// `runbook learn --summary --json` prints.
type Summary struct {
	Guide   string `json:"guide"`
	Steps   int    `json:"steps"`
	Alone   int    `json:"alone"`   // done without help
	Hint    int    `json:"hint"`    // done after a hint
	Ran     int    `json:"ran"`     // run by runbook (r)
	Skipped int    `json:"skipped"` // skipped (n)
	Open    int    `json:"open"`    // not done yet
	Seconds int64  `json:"seconds"` // time spent in the lesson, over all sessions
}

// Summary counts the steps by status.
func (l *Lesson) Summary(guide string) Summary {
	s := Summary{Guide: guide, Steps: len(l.steps), Seconds: int64(math.Round(l.elapsed.Seconds()))}
	for _, ps := range l.steps {
		switch ps.status {
		case Alone:
			s.Alone++
		case Hinted:
			s.Hint++
		case Ran:
			s.Ran++
		case Skipped:
			s.Skipped++
		default:
			s.Open++
		}
	}
	return s
}

// Write prints the summary for a person.
func (s Summary) Write(w io.Writer) {
	fmt.Fprintf(w, "%s: %d steps\n", s.Guide, s.Steps)
	for _, row := range []struct {
		n    int
		what string
	}{
		{s.Alone, "done alone"}, {s.Hint, "done with hints"}, {s.Ran, "run by runbook"},
		{s.Skipped, "skipped"}, {s.Open, "still open"},
	} {
		fmt.Fprintf(w, "  %-16s %d\n", row.what, row.n)
	}
	fmt.Fprintf(w, "  %-16s %s\n", "time taken", time.Duration(s.Seconds)*time.Second)
}
