package statusline

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/golden"
)

// TestDisplay plays each testdata/*.txtar "events" section against a
// Display and compares what it wrote with the "want" section, one Go-quoted
// string per write. The comment's settings: tty (true|false), width N,
// secret S (masked as ****). Events: start LABEL, output TEXT (the task's
// output), write TEXT (other output), tick SECONDS (the clock then; a tick
// as its timer would fire it), stop. TEXT is Go-quoted.
func TestDisplay(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", "want", func(t *testing.T, ar *txtar.Archive) string {
		var w recorder
		tty, width, secret := false, 0, ""
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			k, v, _ := strings.Cut(line, " ")
			switch k {
			case "tty":
				tty = v == "true"
			case "width":
				width, _ = strconv.Atoi(v)
			case "secret":
				secret = v
			}
		}
		redact := func(s string) string {
			if secret == "" {
				return s
			}
			return strings.ReplaceAll(s, secret, "****")
		}
		d := NewDisplay(&w, tty, width, redact)
		d.first, d.every = time.Hour, time.Hour // ticks come from the events only
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		now := t0
		d.now = func() time.Time { return now }
		for _, ev := range strings.Split(strings.TrimSpace(golden.Section(ar, "events")), "\n") {
			verb, arg, _ := strings.Cut(ev, " ")
			switch verb {
			case "start":
				d.Start(arg)
			case "output":
				d.Task().Write([]byte(unquote(t, arg)))
			case "write":
				d.Write([]byte(unquote(t, arg)))
			case "tick":
				s, _ := strconv.Atoi(arg)
				now = t0.Add(time.Duration(s) * time.Second)
				d.tick()
			case "stop":
				d.Stop()
			default:
				t.Fatalf("unknown event %q", ev)
			}
		}
		return w.String()
	})
}

func unquote(t *testing.T, s string) string {
	t.Helper()
	u, err := strconv.Unquote(s)
	if err != nil {
		t.Fatalf("unquote %s: %v", s, err)
	}
	return u
}

// recorder keeps each write as one Go-quoted line.
type recorder struct{ b bytes.Buffer }

func (r *recorder) Write(p []byte) (int, error) {
	r.b.WriteString(strconv.Quote(string(p)) + "\n")
	return len(p), nil
}

func (r *recorder) String() string { return r.b.String() }

// TestTaskLastLine keeps the last non-blank line of the output: a carriage
// return ends a line (a progress bar's latest state), escape sequences and
// control characters go, and a line still being printed (a prompt) counts.
func TestTaskLastLine(t *testing.T) {
	var task Task
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, ok := task.Line(t0, 0, nil); ok {
		t.Fatal("a task that has not started has a line")
	}
	task.Start("build", t0)
	for _, c := range []struct{ out, want string }{
		{"", "[1:05] build"},
		{"Compiling\n\n  \n", "[1:05] build | Compiling"},
		{"\x1b[32m 10%\x1b[0m\r 55%\r", "[1:05] build | 55%"},
		{"a\tb\x07c\n", "[1:05] build | a b c"},
		{"Password: ", "[1:05] build | Password:"},
	} {
		task.Write([]byte(c.out))
		if got, ok := task.Line(t0.Add(65*time.Second), 0, nil); !ok || got != c.want {
			t.Errorf("after %q: %q, want %q", c.out, got, c.want)
		}
	}
	task.Start("make -C /very/long/path/to/the/build install", t0)
	task.Write([]byte("installing /usr/local/bin/tool\n"))
	for width, want := range map[int]string{
		0:  "[60:02] make -C /very/long/path/to/the/build install | installing /usr/local/bin/tool",
		60: "[60:02] make -C /very/long/path… | installing /usr/local/bi…",
		90: "[60:02] make -C /very/long/path/to/the/build install | installing /usr/local/bin/tool",
		70: "[60:02] make -C /very/long/path/to/t… | installing /usr/local/bin/tool",
		30: "[60:02] make -C … | installin…",
	} {
		if got, _ := task.Line(t0.Add(time.Hour+2*time.Second), width, nil); got != want {
			t.Errorf("width %d: %q, want %q", width, got, want)
		}
	}
	task.Stop()
	if _, ok := task.Line(t0, 0, nil); ok {
		t.Fatal("a stopped task has a line")
	}
}
