package executor

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// person is a scripted stand-in for someone at the terminal: it answers
// each question with the next of its answers and records what it was asked.
type person struct {
	mu      sync.Mutex
	answers []string
	err     error // returned once the answers run out; nil means block until ctx ends
	asked   []Question
}

func (p *person) ask(ctx context.Context, q Question) (string, error) {
	p.mu.Lock()
	p.asked = append(p.asked, q)
	if len(p.answers) > 0 {
		a := p.answers[0]
		p.answers = p.answers[1:]
		p.mu.Unlock()
		return a, nil
	}
	err := p.err
	p.mu.Unlock()
	if err != nil {
		return "", err
	}
	<-ctx.Done()
	return "", ctx.Err()
}

func (p *person) questions() []Question {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Question(nil), p.asked...)
}

// TestPersonAnswers runs programs that ask what the transcript does not
// answer: the person is shown each prompt (hidden when the program turned
// the echo off) and their typing reaches the program. The idle limit is an
// hour, so a prompt left unanswered would end in the timeout error.
func TestPersonAnswers(t *testing.T) {
	need(t, "python3")
	tee := &lockedBuffer{}
	p := &person{answers: []string{"blue", "s3cr3t-typed", "alice"}}
	sh := startTest(t, ShellOptions{Idle: time.Hour, Timeout: 20 * time.Second, Ask: p.ask, Tee: tee})
	ctx := context.Background()
	o := sh.Run(ctx, &runbook.Command{Text: `read -r -p 'Favourite colour: ' c; echo "got $c"`})
	if o.Err != nil || o.Output != "Favourite colour: blue\ngot blue\n" {
		t.Fatalf("visible: %s", describe(o))
	}
	if !slices.Contains(o.Notes, "a person answered 1 question the guide does not answer") {
		t.Fatalf("visible: notes %q", o.Notes)
	}
	o = sh.Run(ctx, &runbook.Command{Text: `python3 -c 'import getpass; s = getpass.getpass("Secret: "); n = input("Name: "); print(n, len(s))'`})
	if o.Err != nil || o.Output != "Secret: \nName: alice\nalice 12\n" {
		t.Fatalf("hidden: %s", describe(o))
	}
	if strings.Contains(tee.String(), "s3cr3t") {
		t.Fatalf("the hidden answer reached the terminal output: %q", tee.String())
	}
	want := []Question{{Prompt: "Favourite colour:"}, {Prompt: "Secret:", Hidden: true}, {Prompt: "Name:"}}
	if got := p.questions(); !slices.Equal(got, want) {
		t.Fatalf("questions %+v, want %+v", got, want)
	}
}

// TestPersonNotAsked checks what a person is not asked: a question the
// transcript answers (with its answer, or with the rest of the documented
// line), a REPL left open after its documented output (closed with ^D),
// and bash waiting for the rest of a command with an open quote.
func TestPersonNotAsked(t *testing.T) {
	need(t, "python3")
	p := &person{err: errors.New("nobody should be asked")}
	sh := startTest(t, ShellOptions{Idle: 2 * time.Second, Timeout: 20 * time.Second, Ask: p.ask})
	ctx := context.Background()
	steps := []*runbook.Command{
		{Text: `read -r -p 'Name [bob]: ' n; echo "hi $n"`, Expect: []string{"Name [isabell]: zed", "hi zed"},
			Answers: []runbook.Answer{{Kind: runbook.Reply, Prompt: "Name [isabell]:", Text: "zed", Line: 0}}},
		{Text: `read -r -p 'Admin email: ' e; echo "saved $e"`, Expect: []string{"Admin email: a@example.org", "saved a@example.org"}},
		{Text: "python3 -q", Expect: []string{">>> print(6 * 7)", "42"},
			Answers: []runbook.Answer{{Kind: runbook.Input, Prompt: ">>>", Text: "print(6 * 7)", Line: 0}}},
	}
	for _, c := range steps {
		if o := sh.Run(ctx, c); o.Err != nil || o.Exit != 0 {
			t.Fatalf("%s: %s", c.Text, describe(o))
		}
	}
	o := sh.Run(ctx, &runbook.Command{Text: "echo 'open"})
	var w *WaitingError
	if !errors.As(o.Err, &w) || !strings.Contains(w.Line, "bash itself waits") {
		t.Fatalf("open quote: %s", describe(o))
	}
	if q := p.questions(); len(q) != 0 {
		t.Fatalf("asked %+v", q)
	}
}

// TestPersonGone fails the step as an unanswered prompt when asking the
// person fails, and ends the question when the run is cancelled meanwhile.
func TestPersonGone(t *testing.T) {
	p := &person{answers: nil, err: errors.New("stdin is closed")}
	sh := startTest(t, ShellOptions{Idle: time.Hour, Timeout: 20 * time.Second, Ask: p.ask})
	o := sh.Run(context.Background(), &runbook.Command{Text: `read -r -p 'Colour: ' c; echo "got $c"`})
	var w *WaitingError
	if !errors.As(o.Err, &w) || w.Error() != "waiting for input: Colour: (no answer: stdin is closed)" || !sh.Alive() {
		t.Fatalf("failed ask: %s", describe(o))
	}
	p.err = nil // from now on the person never answers
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	o = sh.Run(ctx, &runbook.Command{Text: `read -r -p 'Colour: ' c; echo "got $c"`})
	if !errors.Is(o.Err, context.Canceled) || !sh.Alive() {
		t.Fatalf("cancelled: %s", describe(o))
	}
	if o := sh.Run(context.Background(), &runbook.Command{Text: "echo after"}); o.Output != "after\n" {
		t.Fatalf("after: %s", describe(o))
	}
}
