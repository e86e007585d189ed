// Package learn is the walkthrough of `runbook learn`: which step a
// trainee is on, whether a command they typed is the step's (by its shell
// words) and did what the guide documents (by the verifier's rules), the
// hints, the progress saved between sessions and the summary. It holds no
// terminal code: learn/console drives it from a real shell in a pty.
//
// Everything it says has had the trainee's secrets masked; the progress it
// saves holds step ids, fingerprints and statuses, never a value.
package learn

import (
	"fmt"
	"strings"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// Status says where a trainee stands with one step.
type Status string

// The statuses of a step; Summary counts them.
const (
	Open    Status = "open"    // not done yet
	Alone   Status = "alone"   // done without help
	Hinted  Status = "hint"    // done after a hint (h) or after being shown what differed
	Ran     Status = "ran"     // runbook ran it for the trainee (r)
	Skipped Status = "skipped" // the trainee went past it (n)
)

// Lesson is one trainee's walk through a guide.
type Lesson struct {
	steps    []*lessonStep // the steps to learn, in order
	cur      int           // index of the current step; len(steps) when finished
	r        *runbook.Replacer
	home     string // the shell's home: what ~ and $HOME mean in what the trainee types
	elapsed  time.Duration
	markdown bool // the guide's prose is Markdown
	sections [][]string
}

// lessonStep is one step and how the trainee is doing with it.
type lessonStep struct {
	step      runbook.Step // with the trainee's values: what runs and what is shown
	public    runbook.Step // with the guide's example values: what is judged and fingerprinted
	status    Status
	hints     int  // hints asked for
	corrected bool // a wrong attempt was shown the part of the command that differs
	ranRight  bool // the step's command ran without failing, but its output was not the documented one
}

// New starts a lesson. public is the guide as parsed (its example values),
// applied the same guide with the trainee's values (params.Apply), r the
// replacer between the two; home is the shell's home directory. The steps
// learned are those of the install path (sections whose role runs by
// default), as in run and check.
func New(public, applied *runbook.Guide, r *runbook.Replacer, home string) (*Lesson, error) {
	if len(public.Steps) != len(applied.Steps) {
		return nil, fmt.Errorf("%s: the guide with values has %d steps, the guide as written %d",
			applied.Name, len(applied.Steps), len(public.Steps))
	}
	if r == nil {
		r = runbook.NewReplacer(nil)
	}
	l := &Lesson{r: r, home: home, markdown: isMarkdown(applied.Name)}
	for i, st := range applied.Steps {
		if !applied.RoleOf(st).Runs() {
			continue
		}
		l.steps = append(l.steps, &lessonStep{step: st, public: public.Steps[i], status: Open})
		if sec := st.Head().Section; len(l.sections) == 0 || !sameStrings(l.sections[len(l.sections)-1], sec) {
			l.sections = append(l.sections, sec)
		}
	}
	return l, nil
}

func isMarkdown(name string) bool {
	return strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".markdown")
}

func sameStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

// Step is the current step, with the trainee's values; nil when the lesson is finished.
func (l *Lesson) Step() runbook.Step {
	if ps := l.current(); ps != nil {
		return ps.step
	}
	return nil
}

// Steps are the steps learned, in order, with the trainee's values.
func (l *Lesson) Steps() []runbook.Step {
	out := make([]runbook.Step, len(l.steps))
	for i, ps := range l.steps {
		out[i] = ps.step
	}
	return out
}

// Finished reports whether every step has been done or skipped.
func (l *Lesson) Finished() bool { return l.cur >= len(l.steps) }

// Position is the current step's number among the steps learned (from 1) and how many there are.
func (l *Lesson) Position() (int, int) { return min(l.cur+1, len(l.steps)), len(l.steps) }

// AddTime adds time spent with the lesson, for the summary.
func (l *Lesson) AddTime(d time.Duration) { l.elapsed += d }

func (l *Lesson) current() *lessonStep {
	if l.Finished() {
		return nil
	}
	return l.steps[l.cur]
}

// finish closes the current step with the status its help earned, and moves on.
func (l *Lesson) finish(byRunbook bool) {
	ps := l.current()
	switch {
	case byRunbook:
		ps.status = Ran
	case ps.hints > 0 || ps.corrected:
		ps.status = Hinted
	default:
		ps.status = Alone
	}
	l.advance()
}

// advance moves to the next step that is still open.
func (l *Lesson) advance() {
	for l.cur < len(l.steps) && l.steps[l.cur].status != Open {
		l.cur++
	}
}

// Skip goes past the current step (n); one whose command ran, with output other than the guide's, counts as done.
func (l *Lesson) Skip() Feedback {
	ps := l.current()
	if ps == nil {
		return Feedback{Kind: Unrelated}
	}
	if ps.ranRight {
		// The trainee did the step; only the guide's output is not what this host prints.
		l.finish(false)
		return Feedback{Kind: Done, Message: styled(say("Done: you ran the step's command; only its output "+
			"differed from the guide's."), Good)}
	}
	ps.status = Skipped
	l.advance()
	return Feedback{Kind: Passed, Message: say("Skipped.")}
}

// DoneByHand closes a step the trainee did by hand (d on a manual step).
func (l *Lesson) DoneByHand() Feedback {
	ps := l.current()
	if ps == nil || ps.step.Kind() != runbook.KindManual {
		return Feedback{Kind: Unrelated}
	}
	l.finish(false)
	return Feedback{Kind: Done, Message: styled(say("Done."), Good)}
}

// show prepares a text of the guide's for the screen: the trainee's values in, secrets masked.
func (l *Lesson) show(s string) string { return l.r.Redact(l.r.Forward(s)) }

// clean turns real output into the guide's terms, as the verifier compares it.
func (l *Lesson) clean(s string) string { return l.r.Redact(l.r.Reverse(s)) }
