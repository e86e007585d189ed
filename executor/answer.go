package executor

import (
	"fmt"
	"strings"
	"time"

	runbook "github.com/runbookdev/runbook"
	"golang.org/x/sys/unix"
)

// A program prints its question and reads at once, so the probe looks
// soon after the output rests, then at doubling intervals, and stops after
// the last one (about 5 s in all); the idle timer still covers a program
// that starts reading later. Probes run only while the output rests at a
// line worth probing, never in a step that prints and ends.
const (
	probeFirst = 10 * time.Millisecond
	probeLast  = 2560 * time.Millisecond
)

// maxQuestion bounds the unfinished line that is taken for a question.
const maxQuestion = 512

// answerMoment says what is known about the program when an answer is tried.
type answerMoment int

const (
	onOutput     answerMoment = iota // output arrived; the program may not read yet
	whileWaiting                     // the program reads the terminal now
	atIdle                           // the program has waited the whole idle time
)

// tryAnswer types the transcript's next answer if the program stopped at
// its prompt, and reports whether the prompt was dealt with (typed, failed,
// or waiting for the echo to go off). On output only a partial line on a
// new line counts; once the program is known to wait, the last line counts
// too. At idle, a secret whose echo is still on fails the step.
func (r *step) tryAnswer(moment answerMoment) bool {
	if r.next >= len(r.cmd.Answers) || r.level > 0 {
		return false
	}
	a := r.cmd.Answers[r.next]
	line := r.out.partial
	if moment != onOutput {
		line = r.out.lastLine()
	} else if len(line) == 0 || r.out.lines == r.answered {
		return false
	}
	if !promptMatches(line, a.Prompt) {
		return a.Unasked && r.skipUnasked(line, moment) && r.tryAnswer(moment)
	}
	text := a.Text + "\n"
	switch a.Kind {
	case runbook.Hidden:
		if a.Text == "" {
			r.interrupt(&NoSecretError{Param: a.Param, Prompt: a.Prompt})
			return true
		}
		if r.echoing() {
			if moment == atIdle {
				r.interrupt(&WaitingError{Line: strings.TrimSpace(visible(line)) + " (the terminal echoes, so the secret was not typed)"})
				return true
			}
			r.recheck()
			return true
		}
	case runbook.EndInput:
		text = ctrlD
	}
	r.s.typeText(text)
	if a.Unasked {
		r.notes = append(r.notes, unaskedNote(a))
	}
	r.next++
	r.answered = r.out.lines
	r.cursor = max(r.cursor, a.Line+1)
	r.recheckWait = 0
	return true
}

// skipUnasked passes over the next answer, one the guide does not show,
// when the program shows another prompt instead: it waits at a line that
// is not this prompt, or a later answer's prompt has appeared. A psql that
// finds its password stored never asks for it.
func (r *step) skipUnasked(line []byte, moment answerMoment) bool {
	later := false
	for _, b := range r.cmd.Answers[r.next+1:] {
		later = later || promptMatches(line, b.Prompt)
	}
	if moment == onOutput && !later {
		return false
	}
	r.next++
	return true
}

// unaskedNote says what runbook typed at a prompt the guide does not show.
func unaskedNote(a runbook.Answer) string {
	if a.Kind == runbook.EndInput {
		return fmt.Sprintf("the guide leaves the program at its prompt %q; ended it with ^D", a.Prompt)
	}
	what := "the secret " + a.Param
	if a.Kind != runbook.Hidden {
		what = fmt.Sprintf("%q", a.Text)
	}
	return fmt.Sprintf("the guide does not show the prompt %q; typed %s there", a.Prompt, what)
}

// echoing reports whether the terminal would echo what is typed now.
func (r *step) echoing() bool {
	t, err := unix.IoctlGetTermios(r.s.slave, unix.TCGETS)
	return err != nil || t.Lflag&unix.ECHO != 0
}

// hiddenInput reports whether the program reads a line with the echo off,
// as password prompts do; a program that also left canonical mode
// (readline, a REPL) echoes what it reads itself.
func (r *step) hiddenInput() bool {
	t, err := unix.IoctlGetTermios(r.s.slave, unix.TCGETS)
	return err == nil && t.Lflag&unix.ECHO == 0 && t.Lflag&unix.ICANON != 0
}

// inputQueued reports whether text typed earlier waits in the terminal
// for the program to read it: then the program is not waiting for more.
func (r *step) inputQueued() bool {
	n, err := unix.IoctlGetInt(r.s.slave, unix.TIOCINQ)
	return err == nil && n > 0
}

// recheck looks at the echo flag again shortly: a program may print its
// password prompt a moment before it turns the echo off.
func (r *step) recheck() {
	if r.recheckC != nil {
		return
	}
	r.recheckWait = min(max(2*r.recheckWait, time.Millisecond), 50*time.Millisecond)
	r.recheckC = time.After(r.recheckWait)
}

// arm sets the short timers that look at what the program does once its
// output rests: whether it waits at a question (the probe) or has printed
// all its documented output (the settle timer). Every chunk resets both,
// so they fire only once the output has rested.
func (r *step) arm() {
	if r.asking != nil || r.done {
		return
	}
	if r.settling() {
		r.settleCPU = -1
		r.s.settle.Reset(r.settleTime())
	}
	if r.s.opts.Ask != nil || r.mayInfer() {
		r.probeWait = probeFirst
		r.s.probe.Reset(probeFirst)
	}
}

// mayInfer reports whether the unfinished line starts a documented line
// that goes on after it, so the program may be waiting for its rest.
func (r *step) mayInfer() bool {
	if len(r.out.partial) == 0 || len(r.out.partial) > maxQuestion {
		return false
	}
	_, _, ok := inferAnswer(r.cmd, r.cursor, r.out.partial)
	return ok
}

// onProbe looks whether the program reads the terminal now that its output
// has rested, and answers it if it does.
func (r *step) onProbe() {
	wait := r.probeWait
	r.probeWait = 0
	if r.level > 0 || r.asking != nil || r.s.outputPending() {
		return // the next chunk arms the probe again
	}
	state, pg := waitingForInput(r.s.master)
	if state != reading || r.s.outputPending() || r.inputQueued() {
		if next := 2 * wait; next <= probeLast {
			r.probeWait = next
			r.s.probe.Reset(next)
		}
		return
	}
	if r.replLeftOpen() {
		return // the settle timer closes it
	}
	r.answerWaiting(pg, whileWaiting)
}

// answerWaiting answers a program that reads the terminal: with the
// transcript's next answer, with the rest of the documented line it
// stopped in, or by asking a person. It reports whether it did one of them.
func (r *step) answerWaiting(pg int, moment answerMoment) bool {
	switch {
	case r.tryAnswer(moment):
	case r.typeInferred():
	case r.s.opts.Ask != nil && !r.bashWaits(pg):
		r.ask()
	default:
		return false
	}
	return true
}

// bashWaits reports whether the shell itself reads, with nothing printed:
// it waits for the rest of a command (an open quote), not for an answer.
func (r *step) bashWaits(pg int) bool {
	return pg == r.s.pgrp && r.out.lines == 0 && len(r.out.partial) == 0
}

// typeInferred types the rest of the documented line that the program's
// unfinished line starts (see inferAnswer), as the guide shows it typed.
func (r *step) typeInferred() bool {
	if r.level > 0 || len(r.out.partial) > maxQuestion {
		return false
	}
	i, text, ok := inferAnswer(r.cmd, r.cursor, r.out.partial)
	if !ok {
		return false
	}
	prompt := strings.TrimSpace(visible(r.out.partial))
	a := runbook.Answer{Kind: runbook.Reply, Prompt: prompt, Text: text, Line: i}
	note := fmt.Sprintf("typed the rest of the documented line at %q, where the program waited", prompt)
	if r.hiddenInput() {
		a.Kind, a.Text = runbook.Hidden, ""
		note += " (without echo)"
	}
	r.s.typeText(text + "\n")
	r.inferred = append(r.inferred, a)
	r.notes = append(r.notes, note)
	r.cursor = i + 1
	r.answered = r.out.lines
	return true
}

// inferAnswer finds the documented line, at index from or later, that
// starts with the words of the program's unfinished line and goes on
// after them: that rest is what the reader typed ("Admin email:" and
// "Admin email: isabell@example.org"). Lines that show the transcript's own
// answers are theirs, and an elided rest ("[...]") is no answer.
func inferAnswer(cmd *runbook.Command, from int, partial []byte) (int, string, bool) {
	if from >= len(cmd.Expect) {
		return 0, "", false
	}
	shown := strings.Fields(visible(partial))
	if len(shown) == 0 {
		return 0, "", false
	}
	for i := max(from, 0); i < len(cmd.Expect); i++ {
		rest, ok := afterWords(cmd.Expect[i], shown)
		if !ok || rest == "" || answerLine(cmd, i) ||
			runbook.IsElisionLine(rest) || runbook.HasInlineElision(rest) {
			continue
		}
		return i, rest, true
	}
	return 0, "", false
}

// afterWords returns what follows the words in line, when line starts with
// exactly those words (spacing aside).
func afterWords(line string, words []string) (string, bool) {
	s := line
	for _, w := range words {
		s = strings.TrimLeft(s, " \t")
		rest, ok := strings.CutPrefix(s, w)
		if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			return "", false
		}
		s = rest
	}
	return strings.TrimSpace(s), true
}

// answerLine reports whether documented line i shows one of the transcript's answers.
func answerLine(cmd *runbook.Command, i int) bool {
	for _, a := range cmd.Answers {
		if a.Line == i {
			return true
		}
	}
	return false
}
