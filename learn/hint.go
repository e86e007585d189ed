package learn

import (
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Hint gives the next hint for the current step (h): for a command first
// its program, then the whole command; for a file how to write it. Asking
// counts: a step done after a hint is done with help.
func (l *Lesson) Hint() Text {
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
		return append(say("The whole command: "), commandSpans(l.r.Redact(s.Text))...)
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

// commandSpans shows a command of several lines with bash's "> " before each continuation.
func commandSpans(text string) Text {
	return Text{lit(strings.ReplaceAll(text, "\n", "\n> "))}
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
		for i, e := range s.Expect {
			out[i] = l.r.Redact(e)
		}
		return out
	case *runbook.File:
		return strings.Split(strings.TrimSuffix(l.r.Redact(s.Content), "\n"), "\n")
	case *runbook.Manual:
		return strings.Split(strings.TrimSuffix(l.r.Redact(s.Content), "\n"), "\n")
	}
	return nil
}
