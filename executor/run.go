package executor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	runbook "github.com/runbookdev/runbook"
	"golang.org/x/sys/unix"
)

// Control characters typed to stop a program, as a person at the keyboard would.
const (
	ctrlC = "\x03"
	ctrlD = "\x04"
)

// Run types one command, answers it as the transcript says, and returns what happened.
// Hidden answers carry their secret value in Answer.Text (filled in by params.Apply).
func (s *Shell) Run(ctx context.Context, cmd *runbook.Command) *runbook.Outcome {
	start := time.Now()
	if !s.Alive() {
		return &runbook.Outcome{Exit: -1, Dir: s.dir, Err: s.died()}
	}
	if err := ctx.Err(); err != nil {
		return &runbook.Outcome{Exit: -1, Dir: s.dir, Err: err}
	}
	s.drain()
	// Text typed for an earlier step that nothing read (an answer to a
	// program that had already exited) must not run before this command.
	unix.IoctlSetInt(s.slave, unix.TCFLSH, unix.TCIFLUSH)
	typed := typedForm(cmd.Text, s.token) + "\n"
	r := newStep(s, cmd, typed)
	r.ctx = ctx
	if err := r.typeMore(); err != nil {
		return &runbook.Outcome{Exit: -1, Dir: s.dir, Err: fmt.Errorf("cannot type the command: %w", err)}
	}
	r.loop(ctx)
	return r.outcome(time.Since(start))
}

// drain passes on output that arrived between steps (a background job's),
// which belongs to no step.
func (s *Shell) drain() {
	for {
		select {
		case c, ok := <-s.chunks:
			if !ok {
				return
			}
			s.tee(c)
		default:
			return
		}
	}
}

func (s *Shell) typeText(t string) error {
	_, err := s.ptmx.WriteString(t)
	return err
}

// step is the state of one command while it runs.
type step struct {
	s        *Shell
	ctx      context.Context
	cmd      *runbook.Command
	out      capture
	st       *stream
	next     int // index of the next answer to type
	answered int // capture line on which the last answer was typed; -1 for none
	last     *outputLine
	seenLast bool // the last documented line has appeared
	// cursor is the first documented line an inferred answer may come
	// from: the lines before it were answered already.
	cursor   int
	inferred []runbook.Answer // answers found by what the program did (Outcome.Answered)

	idle, deadline *time.Timer
	graceC         <-chan time.Time // armed while an interrupt escalates
	recheckC       <-chan time.Time // armed while a secret waits for the echo to go off
	recheckWait    time.Duration
	probeWait      time.Duration    // the wait before the probe now armed; 0 when none is
	settleCPU      int64            // CPU ticks of the job when its settle time ran out; -1 before
	replLooks      int              // second looks at a REPL at its prompt that did not read yet
	drainC         <-chan time.Time // armed once the shell process has ended
	level          int              // 0 running; 1 ^C sent; 2 ^D sent; 3 group killed; 4 shell killed

	asking  *asking // a question put to a person, while they answer
	persons int     // questions a person answered

	pending []byte // the rest of a long command, typed as the echo of the part before comes back
	echoed  int    // bytes of echo the text typed so far produces

	fence string // the fence typed after the command's sentinel, when answers were typed
	extra int    // sentinels before the fence's: typed lines bash ran as commands

	exit    int
	err     error
	stopped bool
	done    bool
	notes   []string
}

func newStep(s *Shell, cmd *runbook.Command, typed string) *step {
	r := &step{s: s, cmd: cmd, answered: -1, exit: -1, last: lastDocumented(cmd.Expect), pending: []byte(typed),
		settleCPU: -1}
	r.out.onLine = r.sawLine
	r.st = s.st
	r.st.reset(echoOf(typed), r.out.write)
	return r
}

// sawLine notes when the documented output is complete, for foreground servers.
func (r *step) sawLine(line []byte) {
	if r.last != nil && !r.seenLast && r.last.matches(line) {
		r.seenLast = true
	}
}

// loop handles terminal output and timers until the sentinel returns or the shell dies.
func (r *step) loop(ctx context.Context) {
	r.idle, r.deadline = r.s.idle, r.s.deadline
	r.idle.Reset(r.s.opts.Idle)
	r.deadline.Reset(r.s.opts.Timeout)
	defer r.idle.Stop()
	defer r.deadline.Stop()
	defer r.s.probe.Stop()
	defer r.s.settle.Stop()
	defer r.stopAsking()
	ctxDone, exited := ctx.Done(), r.s.exited
	for !r.done {
		select {
		case c, ok := <-r.s.chunks:
			if !ok {
				r.finishDead()
				continue
			}
			r.s.consumed += int64(len(c))
			r.teeChunk(c)
			r.onChunk(c)
		case <-r.idle.C:
			r.onIdle()
		case <-r.s.probe.C:
			r.onProbe()
		case <-r.s.settle.C:
			r.onSettle()
		case reply := <-r.asking.replies():
			r.onReply(reply)
		case <-r.deadline.C:
			r.interrupt(&TimeoutError{After: r.s.opts.Timeout})
		case <-ctxDone:
			ctxDone = nil
			r.interrupt(ctx.Err())
		case <-r.graceC:
			r.escalate()
		case <-r.recheckC:
			r.recheckC = nil
			r.tryAnswer(onOutput)
		case <-exited:
			// Output may still be on its way; take what arrives promptly.
			exited = nil
			r.drainC = time.After(50 * time.Millisecond)
		case <-r.drainC:
			r.finishDead()
		}
	}
}

func (r *step) onChunk(c []byte) {
	for len(c) > 0 {
		sent, rest := r.st.feed(c)
		if sent == nil {
			break
		}
		c = rest
		r.s.dir = sent.dir
		if r.onSentinel(sent) {
			return
		}
	}
	r.idle.Reset(r.s.opts.Idle)
	if len(r.pending) > 0 && (r.st.echo == nil || r.st.matched >= r.echoed) {
		r.typeMore()
	}
	if r.level == 0 {
		r.tryAnswer(onOutput)
		r.arm()
	}
}

// teeChunk passes a chunk to the tee, without the echo of a fence runbook
// typed itself (a reader never typed it, so the live view does not show it).
func (r *step) teeChunk(c []byte) {
	if r.s.opts.Tee == nil {
		return
	}
	if r.fence != "" {
		c = bytes.Replace(c, []byte(r.out.drop+"\r\n"), nil, 1)
	}
	r.s.opts.Tee.Write(c)
}

// onSentinel handles a sentinel and reports whether the step is done. After
// a step with answers, an answer the program never read goes to bash, which
// runs it after this prompt; so runbook types a fence (an assignment the
// sentinel reports) and the step ends at the fence's sentinel, with whatever
// bash ran in between.
func (r *step) onSentinel(sent *sentinel) bool {
	switch {
	case r.fence == "":
		r.exit = sent.status
		if r.level > 0 || r.next == 0 {
			r.done = true
			return true
		}
		r.s.fences++
		r.fence = strconv.Itoa(r.s.fences)
		// The command substitution keeps $? as the step left it.
		r.out.drop = "__rb_f=" + r.fence + "$(exit $?)"
		r.s.typeText(r.out.drop + "\n")
	case sent.fence == r.fence || r.level > 0:
		r.done = true
		if r.extra > 0 {
			r.notes = append(r.notes, fmt.Sprintf("the program did not read every answer; bash ran %d typed line(s) as commands", r.extra))
		}
		return true
	default:
		r.extra++
	}
	return false
}

// typePiece bounds how much of a command is typed before its echo returns:
// the terminal's line discipline holds 4 KB, and echo that finds no room is lost.
const typePiece = 1024

// typeMore types the next piece of the command, ending at a line end when it can.
func (r *step) typeMore() error {
	p := r.pending
	if len(p) > typePiece {
		p = p[:typePiece]
		if i := bytes.LastIndexByte(p, '\n'); i >= 0 {
			p = p[:i+1]
		}
	}
	if r.st.echo == nil {
		r.typeRest()
		return nil
	}
	r.pending = r.pending[len(p):]
	r.echoed += len(p) + bytes.Count(p, []byte{'\n'})
	_, err := r.s.ptmx.Write(p)
	return err
}

// typeRest types what is left of the command at once, when its echo cannot
// pace the typing (the echo is off or went its own way). It writes from a
// goroutine so that the loop keeps reading while bash takes the text in.
func (r *step) typeRest() {
	rest := r.pending
	r.pending = nil
	go r.s.ptmx.Write(rest)
}

// interrupt types ^C and starts the escalation that keeps the shell alive
// when a program ignores it (psql ignores ^C at its prompt).
func (r *step) interrupt(err error) {
	if r.err == nil {
		r.err = err
	}
	if r.level > 0 {
		return
	}
	r.level = 1
	r.pending = nil
	r.s.typeText(ctrlC)
	r.graceC = time.After(r.grace())
}

// grace is how long each escalation step waits for the shell's prompt.
func (r *step) grace() time.Duration {
	return min(max(r.s.opts.Idle, time.Second), 5*time.Second)
}

// escalate goes from ^C to ^D (EOF, only for a program that is reading; a
// ^D left in the queue would end bash itself), to SIGKILL for the
// foreground job, and last to killing the shell itself.
func (r *step) escalate() {
	state, pg := waitingForInput(r.s.master)
	program := pg > 0 && pg != r.s.pgrp
	switch r.level {
	case 1:
		if program && state == reading {
			r.s.typeText(ctrlD)
		}
	case 2:
		if program {
			unix.Kill(-pg, unix.SIGKILL)
			// Nothing typed for the program may reach bash instead.
			unix.IoctlSetInt(r.s.slave, unix.TCFLSH, unix.TCIFLUSH)
			r.notes = append(r.notes, "the program ignored ^C and was killed")
		}
	default:
		r.notes = append(r.notes, "the shell did not come back to its prompt and was killed")
		r.s.cmd.Process.Kill()
		r.graceC = nil
		r.level = 4
		return
	}
	r.level++
	r.graceC = time.After(r.grace())
}

// finishDead ends a step whose shell has gone.
func (r *step) finishDead() {
	r.done = true
	r.exit = -1
	if r.s.Alive() {
		if r.err == nil {
			r.err = errors.New("the shell's terminal was closed")
		}
		return
	}
	died := r.s.died()
	if r.err == nil {
		r.err = died
	} else {
		r.notes = append(r.notes, died.Error())
	}
}

func (r *step) outcome(d time.Duration) *runbook.Outcome {
	o := &runbook.Outcome{Output: r.out.String(), Omitted: r.out.omitted, Exit: r.exit,
		Dir: r.s.dir, Duration: d, Stopped: r.stopped, Err: r.err, Notes: r.notes, Answered: r.inferred}
	if r.err != nil {
		o.Exit = -1
	}
	if n := r.personNote(); n != "" {
		o.Notes = append(o.Notes, n)
	}
	if r.out.cut > 0 {
		o.Notes = append(o.Notes, fmt.Sprintf("%d bytes of over-long lines not kept", r.out.cut))
	}
	if r.out.afterStop > 0 {
		o.Notes = append(o.Notes, fmt.Sprintf("%s printed while it was stopped not kept", plural(r.out.afterStop, "line")))
	}
	return o
}

// plural is "1 line" or "n lines".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
