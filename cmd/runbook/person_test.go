package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// screen collects what a program writes to its terminal and wakes up
// whoever waits for some text to appear.
type screen struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
	closed  bool
}

// startOnPty starts cmd on a new pty of the given width, as a person's
// terminal, and collects its screen; the pty closes when the test ends.
func startOnPty(t *testing.T, cmd *exec.Cmd, cols uint16) (*os.File, *screen) {
	t.Helper()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: cols})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty, newScreen(tty)
}

func newScreen(f *os.File) *screen {
	s := &screen{changed: make(chan struct{}, 1)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			s.mu.Lock()
			s.b.Write(buf[:n])
			s.closed = err != nil
			s.mu.Unlock()
			select {
			case s.changed <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor blocks until text has appeared after position from, and returns
// the position after it; it fails the test at the deadline.
func (s *screen) waitFor(t *testing.T, text string, from int, deadline <-chan time.Time) int {
	t.Helper()
	for {
		s.mu.Lock()
		i := strings.Index(s.b.String()[from:], text)
		closed := s.closed
		s.mu.Unlock()
		if i >= 0 {
			return from + i + len(text)
		}
		if closed {
			t.Fatalf("the terminal closed before %q appeared:\n%s", text, s.String())
		}
		select {
		case <-s.changed:
		case <-deadline:
			t.Fatalf("%q did not appear:\n%s", text, s.String())
		}
	}
}

// TestRunPersonAnswers drives `runbook run` through a real pty, as a
// person at a terminal: a program asks what the guide does not answer, the
// prompt shows, the person's typing reaches the program and shows once; a
// password prompt turns the person's echo off, and the password shows
// nowhere. The idle limit is an hour: a prompt left to it would end in the
// timeout, and the test would fail on the output.
func TestRunPersonAnswers(t *testing.T) {
	src := "Questions\n=========\n\n.. code-block:: console\n\n" +
		"  [isabell@stardust ~]$ q=colour; read -r -p \"Favourite $q: \" c; echo \"got: $c\"\n  [...]\n  got: blue\n" +
		"  [isabell@stardust ~]$ python3 -c 'import getpass; s = getpass.getpass(\"Sec\" + \"ret: \"); print(\"length\", len(s))'\n" +
		"  [...]\n  length 6\n  [isabell@stardust ~]$\n"
	cmd, _ := guideCommand(t, "ask.rst", src, []string{"bash", "python3"}, "run", "--yes", "--idle", "1h", "--timeout", "60s")
	tty, sc := startOnPty(t, cmd, 120)
	deadline := time.After(90 * time.Second)
	at := sc.waitFor(t, "Favourite colour: ", 0, deadline)
	tty.WriteString("blue\n")
	at = sc.waitFor(t, "got: blue", at, deadline)
	at = sc.waitFor(t, "Secret: ", at, deadline)
	st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil || st.Lflag&unix.ECHO != 0 {
		t.Fatalf("the person's terminal echoes at the password prompt (%v):\n%q", err, sc.String())
	}
	tty.WriteString("hush12\n")
	sc.waitFor(t, "2 steps: 2 ok", at, deadline)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-deadline:
		cmd.Process.Kill()
		t.Fatalf("runbook did not end:\n%s", sc.String())
	}
	out := sc.String()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	if n := strings.Count(out, "blue"); n != 2 { // as typed, and in the program's "got: blue"
		t.Errorf("the answer shows %d times, want twice:\n%s", n, out)
	}
	for _, want := range []string{"Favourite colour: blue\r\n", "length 6", "a person answered 1 question"} {
		if !strings.Contains(out, want) {
			t.Errorf("the screen lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hush12") {
		t.Errorf("the password shows on the screen:\n%s", out)
	}
	if strings.Contains(out, "timed out") || strings.Contains(out, "waiting for input") {
		t.Errorf("a question was left unanswered:\n%s", out)
	}
	st, err = unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err == nil && st.Lflag&unix.ECHO == 0 {
		t.Errorf("runbook left the terminal without echo")
	}
}
