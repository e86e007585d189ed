package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/runbookdev/runbook/internal/statusline"
	"github.com/runbookdev/runbook/runner"
)

// terminalLines reads the lines a person types, in one goroutine for the
// whole run, so that the section questions and the programs' questions
// take turns at one reader. The channel closes at end of input.
func terminalLines(in io.Reader) <-chan string {
	lines := make(chan string)
	go func() { // ends with the process; it only ever waits on the terminal
		rd := bufio.NewReader(in)
		for {
			line, err := rd.ReadString('\n')
			if err != nil && line == "" {
				close(lines)
				return
			}
			lines <- line
		}
	}()
	return lines
}

// personAsker puts the questions that a guide does not answer to the
// person at the terminal, who types the answer at the program's prompt as
// at any prompt, without echo when the program turned the echo off.
type personAsker struct {
	tty   *os.File // the terminal the person types at
	lines <-chan string
	echo  *echoFilter // nil when the output is not on the person's screen
}

// ask shows the program's prompt and waits for the person's next line, or
// for the step to end. Lines typed before the question showed are not its
// answer and are dropped; the echo goes off before the prompt shows.
func (p *personAsker) ask(ctx context.Context, q runner.Question) (string, error) {
	for drained := false; !drained; {
		select {
		case _, ok := <-p.lines:
			if !ok {
				return "", io.EOF
			}
		default:
			drained = true
		}
	}
	if q.Hidden {
		if restore, err := echoOff(int(p.tty.Fd())); err == nil {
			defer restore()
		}
	}
	if q.Show != nil {
		q.Show()
	}
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case line, ok := <-p.lines:
		if !ok {
			return "", io.EOF
		}
		text := strings.TrimRight(line, "\r\n")
		if !q.Hidden && p.echo != nil {
			// The person's terminal showed the answer as they typed it.
			p.echo.expect(text + "\r\n")
		}
		return text, nil
	}
}

// echoOff turns the terminal's echo off, as for a password, and returns
// what turns it back on.
func echoOff(fd int) (func(), error) {
	saved, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, err
	}
	quiet := *saved
	quiet.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &quiet); err != nil {
		return nil, err
	}
	return func() { unix.IoctlSetTermios(fd, unix.TCSETS, saved) }, nil
}

// echoFilter passes the live output on, except the program's terminal
// echoing an answer that the person's own terminal has shown already.
type echoFilter struct {
	mu   sync.Mutex
	w    io.Writer
	want string // the echo expected next; empty when none is
	got  int    // bytes of want seen so far, held back
}

// expect says that the next output is likely the echo s.
func (f *echoFilter) expect(s string) {
	f.mu.Lock()
	f.want, f.got = s, 0
	f.mu.Unlock()
}

// Write drops the expected echo from the start of the output; at the first
// byte that differs, what was held back is output after all.
func (f *echoFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(p)
	if f.want != "" {
		i := 0
		for i < len(p) && f.got < len(f.want) && p[i] == f.want[f.got] {
			i++
			f.got++
		}
		switch {
		case f.got == len(f.want):
			f.want, f.got = "", 0
			p = p[i:]
		case i == len(p):
			return n, nil
		default:
			held := f.want[:f.got]
			f.want, f.got = "", 0
			p = append([]byte(held), p[i:]...)
		}
	}
	if len(p) == 0 {
		return n, nil
	}
	if _, err := f.w.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}

// newStatus is the status line of long steps on w: redrawn in place on a
// terminal, a plain line now and then otherwise, secrets masked.
func newStatus(w io.Writer, sec *secrets) *statusline.Display {
	width := 0
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
			width = cols
		}
	}
	return statusline.NewDisplay(w, isTerminal(w), width, sec.redact)
}
