package learn

import (
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Hint gives the next hint for the current step (h), rendered for k: for a
// command first its program, then the whole command, shown as the step
// shows it; for a file how to write it. Asking counts: a step done after a
// hint is done with help.
func (l *Lesson) Hint(k Look) string {
	ps := l.current() // before hint(), which may be the last step's
	t := l.hint()
	c, ok := ps.stepOrNil().(*runbook.Command)
	if !ok {
		return Render(t, k.width(), "", k.Color)
	}
	// The first hint names the program, unless it is all there is.
	if prog := firstWord(c.Text, l.home); ps.hints < 2 && prog != "" && strings.TrimSpace(c.Text) != prog {
		return Render(t, k.width(), "", k.Color)
	}
	var b strings.Builder
	b.WriteString(Render(t, k.width(), "", k.Color))
	for i, line := range commandLines(l.r.Redact(c.Text), k.width()-4, k.width()-6) {
		lead := ""
		if i > 0 {
			lead = "> "
		}
		b.WriteString("    " + k.paint(Text{{Text: lead, Style: Dim}, {Text: line, Style: Strong}}) + "\n")
	}
	return b.String()
}

// hint is the message of the next hint; for the whole command, only its heading.
func (l *Lesson) hint() Text {
	ps := l.current()
	if ps == nil {
		return say("There is no step left.")
	}
	switch s := ps.step.(type) {
	case *runbook.Command:
		ps.hints++
		prog := firstWord(s.Text, l.home)
		if ps.hints == 1 && prog != "" && strings.TrimSpace(s.Text) != prog {
			return say("The command starts with %s. Type h again to see all of it.", lit(l.r.Redact(prog)))
		}
		return say("The whole command:")
	case *runbook.File:
		ps.hints++
		return say("Put the content shown above into %s: type e to edit it in your editor (runbook then "+
			"compares it with the guide's), or r to let runbook write it.", lit(l.r.Redact(s.Path)))
	case *runbook.Manual:
		return say("This one is for you to do by hand: %s. Type d when it is done, or n to skip it.",
			l.r.Redact(s.Reason))
	}
	return nil
}

// firstWord is the program of a command as written (see program).
func firstWord(text, home string) string {
	ws := shellWords(text, home)
	prog := program(ws)
	for _, w := range ws {
		if !w.op && w.text == prog {
			return w.src
		}
	}
	return prog
}

// Documented is the current step's documented output (s), in the trainee's values.
func (l *Lesson) Documented() []string {
	ps := l.current()
	if ps == nil {
		return nil
	}
	switch s := ps.step.(type) {
	case *runbook.Command:
		if len(s.Expect) == 0 {
			return []string{"(the guide shows no output for this command)"}
		}
		out := make([]string, len(s.Expect))
		elided := true
		for i, e := range s.Expect {
			out[i] = l.r.Redact(e)
			elided = elided && runbook.IsElisionLine(e)
		}
		if elided {
			out = append(out, "(the guide leaves the output out: whatever the command prints will do)")
		}
		return out
	case *runbook.File:
		return strings.Split(strings.TrimSuffix(l.r.Redact(s.Content), "\n"), "\n")
	case *runbook.Manual:
		return strings.Split(strings.TrimSuffix(l.r.Redact(s.Content), "\n"), "\n")
	}
	return nil
}

// stepOrNil is the step, or nil when there is none.
func (ps *lessonStep) stepOrNil() runbook.Step {
	if ps == nil {
		return nil
	}
	return ps.step
}
