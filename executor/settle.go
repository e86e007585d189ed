package executor

import (
	"strings"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// settleTime is how long a program may go on after its last documented
// line before runbook takes it for a foreground server, or a REPL left
// open, and stops it. It is long enough for the lines a server prints in
// one burst after its "listening" line and for a REPL's next prompt, and
// short enough that a "check that it works" step costs about a second, not
// the whole --idle minute. Output after that line starts it again.
const settleTime = time.Second

// busyWindow and busyTicks tell a program that only waits (a server) from
// one that goes on working quietly after the guide's last line (a build
// whose last documented line appears early): in busyWindow it may use at
// most busyTicks clock ticks (10 ms each) of CPU time.
const (
	busyWindow = 250 * time.Millisecond
	busyTicks  = 2
)

// Notes on programs stopped after their documented output.
const (
	stoppedNote = "stopped with ^C after its documented output"
	replNote    = "left open at its prompt after the last input the guide types; ended with ^D"
)

func (r *step) settleTime() time.Duration { return min(settleTime, r.s.opts.Idle) }

// settling reports whether nothing is left to type and the program is
// expected to end about now: its documented output has all appeared (no
// elision after the last line), or it is a REPL back at its prompt.
func (r *step) settling() bool {
	if r.next < len(r.cmd.Answers) {
		return false
	}
	return r.replAtPrompt() || r.last != nil && !r.last.trailing && r.lastSeen()
}

// lastSeen reports whether the last documented line has appeared, as a
// whole line or as the line being printed (bounded: it is asked per chunk).
func (r *step) lastSeen() bool {
	if r.seenLast || r.last == nil {
		return r.seenLast
	}
	n := len(r.out.partial)
	return n > 0 && n <= maxQuestion && r.last.matches(r.out.partial)
}

// onSettle stops a program that still runs a settle time after its last
// documented line: a REPL at its prompt gets ^D, a program that only waits
// (a server) gets ^C. A program that asks a question is left to the
// probes, a person or the idle timer; one that keeps the CPU busy is left
// to finish.
func (r *step) onSettle() {
	if r.level > 0 || r.asking != nil || !r.settling() || r.s.outputPending() {
		return
	}
	state, pg := waitingForInput(r.s.master)
	if r.s.outputPending() {
		return
	}
	switch {
	case state == reading && r.replLeftOpen():
		r.closeREPL()
	case r.replLeftOpen() && r.replLooks < maxReplLooks:
		// At its prompt but not (yet) seen reading: on a busy machine the
		// REPL may still be on its way to the read. Look again shortly.
		r.replLooks++
		r.s.settle.Reset(settleTime / 4)
	case state == notReading && pg > 0 && r.onlyWaits(pg):
		r.stopAfterDocumented()
	}
}

// maxReplLooks bounds the second looks at a REPL back at its prompt.
const maxReplLooks = 4

// onlyWaits measures the job's CPU time: the first call takes the measure
// and arms the settle timer for busyWindow, the second tells whether the
// job used at most busyTicks in between and nothing in it runs or waits
// for the disk now. A busy job is left alone until it prints again (or the
// idle timer fires).
func (r *step) onlyWaits(pg int) bool {
	cpu, active := groupCPU(pg)
	prev := r.settleCPU
	r.settleCPU = cpu
	if cpu < 0 || active {
		return false
	}
	if prev < 0 {
		r.s.settle.Reset(busyWindow)
		return false
	}
	return cpu-prev <= busyTicks
}

// replLeftOpen reports whether a REPL waits at its own prompt with all the
// transcript's input typed: the transcript typed into it but never closed
// it. Whatever the last input printed has been printed then, documented
// or not (the verifier compares it), since the REPL asks for more.
func (r *step) replLeftOpen() bool {
	return r.next >= len(r.cmd.Answers) && r.replAtPrompt()
}

// replAtPrompt reports whether the program shows the prompt that the
// transcript's last input was typed at, on a line after that input.
func (r *step) replAtPrompt() bool {
	if len(r.out.partial) == 0 || len(r.out.partial) > maxQuestion || r.out.lines <= r.answered {
		return false
	}
	for i := len(r.cmd.Answers) - 1; i >= 0; i-- {
		if a := r.cmd.Answers[i]; a.Kind == runbook.Input {
			return promptMatches(r.out.partial, a.Prompt)
		}
	}
	return false
}

// closeREPL ends a REPL left open, as a reader would, with ^D at its
// prompt; the prompt it showed again is not part of the documented output.
// When ^D does not end it, the escalation goes on with killing it.
func (r *step) closeREPL() {
	r.stopped = true
	r.notes = append(r.notes, replNote)
	r.out.partial = r.out.partial[:0]
	r.out.freeze()
	r.s.typeText(ctrlD)
	r.level = 2
	r.graceC = time.After(r.grace())
}

// stopAfterDocumented stops a program that keeps running after all its
// documented output, with ^C; what it prints while stopping is not kept.
func (r *step) stopAfterDocumented() {
	r.stopped = true
	r.notes = append(r.notes, stoppedNote)
	if r.last.ctrlC {
		r.out.write([]byte("^C\n")) // as the terminal echoes it, and as the guide shows it
	}
	r.out.freeze()
	r.interrupt(nil)
}

// onIdle decides what a long quiet means: a program waiting for input
// (answered if it can be, else the step fails), a program done with its
// documented output, or just a quiet program.
func (r *step) onIdle() {
	if r.level > 0 || r.asking != nil {
		return
	}
	if len(r.pending) > 0 {
		r.typeRest()
		r.idle.Reset(r.s.opts.Idle)
		return
	}
	// The timer may have won the race against output already on its way.
	if r.s.outputPending() {
		r.idle.Reset(r.s.opts.Idle)
		return
	}
	state, pg := waitingForInput(r.s.master)
	if r.s.outputPending() {
		r.idle.Reset(r.s.opts.Idle)
		return
	}
	partial := len(r.out.partial) > 0
	switch {
	case (state == reading || state == unknownRead) && r.replLeftOpen():
		r.closeREPL() // at the prompt the transcript typed at, after all its input: a REPL left open
		return
	case state == reading && r.answerWaiting(pg, atIdle),
		state == unknownRead && partial && r.tryAnswer(atIdle):
		if r.level == 0 && r.asking == nil {
			r.idle.Reset(r.s.opts.Idle)
		}
		return
	}
	switch {
	case state == reading && r.bashWaits(pg):
		// The usual cause is a quote or bracket the command leaves open (a
		// value substituted into it may bring the quote), so bash waits for
		// the rest of the command.
		r.interrupt(&WaitingError{Line: "(nothing was printed; bash itself waits for more input: " +
			"does the command leave a quote or bracket open, or read a line?)"})
	case state == reading || state == unknownRead && partial:
		r.interrupt(&WaitingError{Line: r.promptShown()})
	case r.next >= len(r.cmd.Answers) && r.lastSeen():
		r.stopAfterDocumented()
	default:
		r.idle.Reset(r.s.opts.Idle)
	}
}

// promptShown is the line a waiting program last printed, for the error.
func (r *step) promptShown() string {
	if l := strings.TrimSpace(visible(r.out.lastLine())); l != "" {
		return l
	}
	return "(nothing was printed)"
}
