package console

import (
	"time"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
)

// answerer types a step's answers while runbook runs the step (r), each
// when the program shows its prompt; a secret only once the terminal has
// stopped echoing. The trainee may answer too: runbook only follows.
type answerer struct {
	answers  []runbook.Answer
	next     int
	answered int // the output line the last answer was typed on; -1 for none
	recheck  <-chan time.Time
	wait     time.Duration
}

func newAnswerer(answers []runbook.Answer) *answerer {
	if len(answers) == 0 {
		return nil
	}
	return &answerer{answers: answers, answered: -1}
}

// answerRecheck is the timer that looks at the echo again, or nil.
func (s *session) answerRecheck() <-chan time.Time {
	if s.answer == nil {
		return nil
	}
	return s.answer.recheck
}

// sawOutput answers a prompt the running command just showed.
func (s *session) sawOutput() {
	if s.answer != nil && s.answer.recheck == nil {
		s.typeAnswer()
	}
}

// typeAnswer types the next answer if its prompt is on the last line.
func (s *session) typeAnswer() {
	a := s.answer
	if a == nil || s.cmd == nil || a.next >= len(a.answers) {
		return
	}
	ans := a.answers[a.next]
	line := s.cmd.out.LastLine()
	if line == "" || s.cmd.out.Lines() == a.answered || !executor.PromptMatches(line, ans.Prompt) {
		return
	}
	text := ans.Text + "\n"
	switch ans.Kind {
	case runbook.Hidden:
		if ans.Text == "" {
			s.answer = nil // no value: the trainee answers
			return
		}
		if s.sh.echoing() {
			// A program may print its prompt a moment before it turns the echo off.
			a.wait = min(max(2*a.wait, time.Millisecond), 50*time.Millisecond)
			a.recheck = time.After(a.wait)
			return
		}
	case runbook.EndInput:
		text = "\x04"
	}
	s.sh.send([]byte(text))
	a.next++
	a.answered = s.cmd.out.Lines()
	a.wait = 0
}
