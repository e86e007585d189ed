// Package console runs a learn.Lesson in the trainee's terminal: a real
// interactive bash (readline, history, job control) in a pty, with the
// trainee's keystrokes passed through and the shell's output shown as it
// comes. Invisible sentinels from the shell (see init.bash) tell it each
// command line that ran, where its output begins and ends, its exit status
// and $PWD; it judges each one with the lesson and prints what the lesson
// says between the output and the next prompt. Nothing here uses the
// alternate screen or the mouse, so scrollback stays intact, over ssh too.
package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/term"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
	"github.com/runbookdev/runbook/internal/ansi"
	"github.com/runbookdev/runbook/learn"
)

// Config is what a session needs beyond its lesson.
type Config struct {
	Guide string          // the guide as named on the command line
	Shell ShellOptions    // how the trainee's shell starts
	Files *executor.Files // writes a file step for the trainee (r) and finds its file
	// Save keeps the progress (learn.Lesson.Marshal), after every change.
	Save   func(progress []byte) error
	Editor string    // the command that edits a file (e): $EDITOR, else vi
	In     *os.File  // the trainee's terminal
	Out    io.Writer // where the terminal's output goes (the same terminal)
	// Record receives what the terminal shows, for a recording; it must
	// mask secrets itself (it may hold back text to do so). Nil for none.
	Record io.Writer
	// Resized is told each new terminal size, for the recording.
	Resized func(cols, rows int)
	// Mask hides secrets in the shell's output on the live terminal
	// without changing its length, so readline's cursor stays right.
	Mask  func(string) string
	Color bool
	// Mark, when set, is told each command's outcome after it ran, and
	// notes what stood in for the internet (a sandbox's stand-ins).
	Mark func(out *runbook.Outcome)
	// StartTimeout bounds how long the shell may take to show its first
	// prompt (a sandbox's init included); 0 means DefaultStartTimeout.
	StartTimeout time.Duration
}

// DefaultStartTimeout is how long a plain shell may take to start.
const DefaultStartTimeout = 30 * time.Second

// maxEarly bounds what is kept of the shell's output before its first
// prompt, shown only when it never gets there.
const maxEarly = 8 << 10

// End says how a session ended.
type End int

// The ways a session ends.
const (
	Finished   End = iota // every step was done or skipped
	Quit                  // the trainee pressed q
	ShellEnded            // the shell ended (exit, ^D)
	Stopped               // runbook was told to stop (SIGTERM, SIGHUP)
)

// session is the state of one Run.
type session struct {
	c      Config
	l      *learn.Lesson
	sh     *shell
	sc     *scanner
	look   learn.Look
	start  time.Time
	ready  bool // the shell has shown its first prompt
	atBOL  bool // the terminal's cursor is at the start of a line
	dir    string
	end    *End
	err    error
	cmd    *running  // the command under way, from its b sentinel to its e
	by     byRunbook // what runbook typed and is waiting to see run
	file   fileState
	answer *answerer // types a step's answers while runbook runs it (r)
	saved  time.Time
	early  []byte // the output before the first prompt (the tail of it)
}

// running is a command line between its start and its end.
type running struct {
	lines  []string
	out    executor.Capture
	before string
}

// Run runs the lesson until it is finished, the trainee quits, the shell
// ends or ctx is done; the lesson's progress is saved all along.
func Run(ctx context.Context, l *learn.Lesson, c Config) (End, error) {
	fd := int(c.In.Fd())
	if !term.IsTerminal(fd) {
		return Stopped, errors.New("runbook learn needs a terminal: its input is not one")
	}
	size, err := pty.GetsizeFull(c.In)
	if err != nil {
		size = &pty.Winsize{Cols: 80, Rows: 24}
	}
	sh, err := startShell(c.Shell, size)
	if err != nil {
		return Stopped, err
	}
	defer sh.close()
	old, err := term.MakeRaw(fd)
	if err != nil {
		return Stopped, fmt.Errorf("cannot put the terminal in raw mode: %w", err)
	}
	defer term.Restore(fd, old)
	s := &session{c: c, l: l, sh: sh, sc: newScanner(sh.token), start: time.Now(), atBOL: true,
		look: learn.Look{Width: int(size.Cols), Color: c.Color}}
	s.saved = s.start
	return s.loop(ctx)
}

// loop handles the shell's output, the trainee's keys, resizes and signals.
func (s *session) loop(ctx context.Context) (End, error) {
	keys := readKeys(s.c.In)
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	defer signal.Stop(winch)
	var input <-chan []byte // nil until the shell is ready, so early keys wait
	wait := s.c.StartTimeout
	if wait <= 0 {
		wait = DefaultStartTimeout
	}
	starting := time.NewTimer(wait)
	defer starting.Stop()
	var ahead []byte // typed before the first prompt, typed into the shell once it shows
	for s.end == nil {
		if s.ready && input == nil {
			input, keys = keys, nil
			starting.Stop()
			s.sh.send(ahead)
		}
		select {
		case p, ok := <-keys: // before the first prompt: only ^C means something now
			if !ok || bytes.IndexByte(p, 0x03) >= 0 {
				s.fail(errors.New("interrupted before the shell showed its first prompt"))
			}
			ahead = append(ahead, p...)
		case <-starting.C:
			s.fail(fmt.Errorf("the shell showed no prompt within %v", wait))
		case chunk, ok := <-s.sh.chunks:
			if !ok {
				if !s.ready {
					s.fail(errors.New("the shell ended before its first prompt"))
				}
				s.stop(ShellEnded)
				continue
			}
			s.sc.feed(chunk, s.text, s.event)
		case p, ok := <-input:
			if !ok {
				s.stop(Stopped)
				continue
			}
			s.sh.send(p)
		case <-winch:
			s.resize()
		case <-s.answerRecheck():
			s.answer.recheck = nil
			s.typeAnswer()
		case <-s.sh.exited:
			s.drain()
			if !s.ready {
				s.fail(errors.New("the shell ended before its first prompt"))
				continue
			}
			s.stop(ShellEnded)
		case <-ctx.Done():
			s.stop(Stopped)
		}
	}
	return *s.end, s.err
}

// fail ends a session whose shell never got ready, showing what it printed.
func (s *session) fail(err error) {
	if s.end != nil {
		return
	}
	if len(s.early) > 0 {
		early := string(s.early)
		if s.c.Mask != nil {
			early = s.c.Mask(early)
		}
		s.print("What the shell printed:\n" + ansi.Strip(strings.ReplaceAll(early, "\r\n", "\n")) + "\n")
	}
	e := Stopped
	s.end, s.err = &e, err
}

// drain shows what the shell printed before it ended.
func (s *session) drain() {
	for {
		select {
		case chunk, ok := <-s.sh.chunks:
			if !ok {
				return
			}
			s.sc.feed(chunk, s.text, s.event)
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

// stop ends the session, saving the progress with the time spent.
func (s *session) stop(e End) {
	if s.end != nil {
		return
	}
	s.end = &e
	if err := s.save(); err != nil && s.err == nil {
		s.err = err
	}
	switch e {
	case Quit:
		s.print(fmt.Sprintf("\nProgress saved. `runbook learn %s` goes on from here; --restart starts over.\n", s.c.Guide))
	case ShellEnded:
		s.print(fmt.Sprintf("\nThe shell ended. Progress saved: `runbook learn %s` goes on from here.\n", s.c.Guide))
	case Stopped:
		s.print("\nStopped. Progress saved.\n")
	}
}

// save writes the progress, adding the time since the last save.
func (s *session) save() error {
	now := time.Now()
	s.l.AddTime(now.Sub(s.saved))
	s.saved = now
	data, err := s.l.Marshal(s.c.Guide, s.dir)
	if err == nil {
		err = s.c.Save(data)
	}
	if err != nil {
		return fmt.Errorf("saving the progress: %w", err)
	}
	return nil
}

// resize passes the trainee's new terminal size to the shell and to the screens.
func (s *session) resize() {
	size, err := pty.GetsizeFull(s.c.In)
	if err != nil {
		return
	}
	s.sh.resize(size)
	s.look.Width = int(size.Cols)
	if s.c.Resized != nil {
		s.c.Resized(int(size.Cols), int(size.Rows))
	}
}

// text is output of the shell: shown (once the shell is ready), and kept
// while a command runs.
func (s *session) text(p []byte) {
	if !s.ready {
		s.early = append(s.early, p...)
		if len(s.early) > maxEarly {
			s.early = s.early[len(s.early)-maxEarly:]
		}
		return
	}
	if s.end != nil {
		return
	}
	if s.cmd != nil {
		s.cmd.out.Write(p)
		s.sawOutput()
	}
	s.show(p)
}

// show writes the shell's output to the terminal and the recording.
func (s *session) show(p []byte) {
	if len(p) == 0 {
		return
	}
	live := p
	if s.c.Mask != nil {
		live = []byte(s.c.Mask(string(p)))
	}
	s.c.Out.Write(live)
	if s.c.Record != nil {
		s.c.Record.Write(p)
	}
	s.atBOL = atLineStart(p, s.atBOL)
}

// atLineStart reports whether the cursor is at the start of a line after
// p: nothing visible after its last line end or carriage return (bash ends
// a command line with "\r\n", then turns bracketed paste off and returns).
func atLineStart(p []byte, before bool) bool {
	i := bytes.LastIndexAny(p, "\r\n")
	if i < 0 {
		return before && ansi.Strip(string(p)) == ""
	}
	return ansi.Strip(string(p[i+1:])) == ""
}

// print writes runbook's own text, starting on a line of its own; the
// terminal is raw, so each newline gets its carriage return.
func (s *session) print(text string) {
	if text == "" {
		return
	}
	if !s.atBOL {
		text = "\n" + text
	}
	s.show([]byte(strings.ReplaceAll(text, "\n", "\r\n")))
}

// event handles a sentinel.
func (s *session) event(e event) {
	switch e.kind {
	case 'e':
		if !s.ready {
			s.ready = true
			s.sh.forget()
			s.dir = e.dir
			s.begin()
			return
		}
		s.ended(e)
	case 'b':
		if !s.ready {
			return
		}
		if s.cmd == nil {
			s.cmd = &running{before: s.dir}
		}
		s.cmd.lines = append(s.cmd.lines, e.text)
	case 'k':
		if s.ready {
			s.sh.send([]byte(s.key(e.text) + "."))
		}
	}
}

// begin shows where the lesson stands when the shell is ready.
func (s *session) begin() {
	if s.l.Finished() {
		s.finish()
		return
	}
	s.stepStarts()
}

// ended handles the end of a command line, or a prompt with no command
// (Enter on an empty line, ^C).
func (s *session) ended(e event) {
	cmd := s.cmd
	s.cmd = nil
	before := s.dir
	s.dir = e.dir
	if cmd == nil {
		return
	}
	s.answer = nil
	out, omitted := cmd.out.Output()
	a := learn.Attempt{Line: strings.Join(cmd.lines, "\n"), Output: out, Omitted: omitted, Exit: e.status,
		Before: before, After: e.dir, ByRunbook: s.by.command}
	var notes []string
	if s.c.Mark != nil {
		o := &runbook.Outcome{Exit: e.status, Dir: e.dir}
		s.c.Mark(o)
		notes = o.Notes
	}
	s.afterCommand(a, notes)
}

// finish ends a lesson whose steps are all done or skipped.
func (s *session) finish() {
	s.print(learn.Render(learn.Text{{Text: "You have been through every step of " + s.c.Guide + ".", Style: learn.Good}},
		s.look.Width, "", s.look.Color))
	s.stop(Finished)
}
