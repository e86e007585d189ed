package console

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/learn"
)

// runBroken runs a session whose "shell" is argv, on a real pty, and
// returns its error and what it printed.
func runBroken(t *testing.T, argv []string, start time.Duration) (string, error) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	go func() { // the terminal's other end: read what the session shows
		buf := make([]byte, 4096)
		for {
			if _, err := ptmx.Read(buf); err != nil {
				return
			}
		}
	}()
	g := &runbook.Guide{Name: "g.rst", Steps: []runbook.Step{&runbook.Command{Header: runbook.Header{ID: 1}, Text: "true"}}}
	l, err := learn.New(g, g, nil, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	dir := t.TempDir()
	_, err = Run(context.Background(), l, Config{Guide: "g.rst", In: tty, Out: &out, StartTimeout: start,
		Save:  func([]byte) error { return nil },
		Shell: ShellOptions{Argv: argv, Env: os.Environ(), Setup: Folder{Host: dir, Inside: dir}}})
	return out.String(), err
}

// TestShellNeverReady: a shell that ends, or hangs, before its first
// prompt ends the session with the reason and what the shell printed;
// runbook never waits for ever.
func TestShellNeverReady(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ptys as on Linux")
	}
	out, err := runBroken(t, []string{"sh", "-c", "echo the profile is broken; exit 3", "sh"}, 0)
	if err == nil || !strings.Contains(err.Error(), "ended before its first prompt") || !strings.Contains(out, "the profile is broken") {
		t.Errorf("a shell that ends: %v, printed %q", err, out)
	}
	_, err = runBroken(t, []string{"sh", "-c", "exec sleep 30", "sh"}, 300*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "no prompt within 300ms") {
		t.Errorf("a shell that hangs: %v", err)
	}
}
