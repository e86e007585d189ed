package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Question is a prompt that the transcript does not answer, put to a
// person through ShellOptions.Ask.
type Question struct {
	Prompt string // the line the program printed last, escape sequences removed; may be empty
	Hidden bool   // the terminal's echo is off (a password): take the answer without echo
}

// asking is a question put to a person, while they answer.
type asking struct {
	q      Question
	cancel context.CancelFunc
	reply  chan personReply
}

// personReply is what Ask returned.
type personReply struct {
	text string
	err  error
}

// replies is the channel the answer arrives on; nil, which is never ready,
// when nobody is being asked.
func (a *asking) replies() <-chan personReply {
	if a == nil {
		return nil
	}
	return a.reply
}

// ask puts the prompt the program waits at to the person, from its own
// goroutine: the loop keeps reading the terminal and the timers meanwhile,
// except the idle timer, since a person may take their time.
func (r *step) ask() {
	// Any program that turned the echo off may be reading a secret, even
	// one that shows its own stars in raw mode: the person types unseen.
	q := Question{Prompt: strings.TrimSpace(visible(r.out.lastLine())), Hidden: !r.echoing()}
	ctx, cancel := context.WithCancel(r.ctx)
	a := &asking{q: q, cancel: cancel, reply: make(chan personReply, 1)}
	r.asking = a
	r.idle.Stop()
	r.s.probe.Stop()
	ask := r.s.opts.Ask
	go func() {
		text, err := ask(ctx, q)
		a.reply <- personReply{text: text, err: err}
	}()
}

// onReply types the person's answer for the program. End of input (^D)
// is passed on as ^D; any other error fails the step as an unanswered prompt.
func (r *step) onReply(p personReply) {
	q := r.asking.q
	r.stopAsking()
	r.idle.Reset(r.s.opts.Idle)
	if r.level > 0 {
		return
	}
	switch {
	case p.err == nil:
		r.s.typeText(strings.TrimRight(p.text, "\r\n") + "\n")
	case errors.Is(p.err, io.EOF):
		r.s.typeText(ctrlD)
	case r.ctx.Err() != nil:
		r.interrupt(r.ctx.Err())
		return
	default:
		r.interrupt(&WaitingError{Line: fmt.Sprintf("%s (no answer: %v)", orNothing(q.Prompt), p.err)})
		return
	}
	r.persons++
	r.answered = r.out.lines
}

// stopAsking withdraws the question, if one is open.
func (r *step) stopAsking() {
	if r.asking != nil {
		r.asking.cancel()
		r.asking = nil
	}
}

// personNote says how many questions a person answered, for the outcome.
func (r *step) personNote() string {
	if r.persons == 0 {
		return ""
	}
	return fmt.Sprintf("a person answered %s the guide does not answer", plural(r.persons, "question"))
}

func orNothing(s string) string {
	if s == "" {
		return "(nothing was printed)"
	}
	return s
}
