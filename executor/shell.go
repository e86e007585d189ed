// Package executor runs a guide's steps for real: commands in one persistent
// bash in a pty, answers typed at the prompts that wait for them, and file
// steps written atomically or merged by structure.
package executor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
	"github.com/runbookdev/runbook/internal/quote"
	"golang.org/x/sys/unix"
)

// Defaults for ShellOptions.
const (
	DefaultIdle    = 60 * time.Second
	DefaultTimeout = 10 * time.Minute
	// DefaultStartTimeout bounds how long a shell (and a login profile) may take to show its first prompt.
	DefaultStartTimeout = 30 * time.Second
	// Terminal size, fixed so that output wraps the same way on every run.
	termCols = 200
	termRows = 50
)

// ShellOptions configures the one shell a run uses.
type ShellOptions struct {
	Login   bool          // start a login shell (real host, `run`); otherwise --norc --noprofile
	Dir     string        // initial working directory; empty means $HOME
	Env     []string      // extra environment, KEY=VALUE
	Idle    time.Duration // how long a program may wait for input nobody gives before ^C (default 60s)
	Timeout time.Duration // per-step limit (default 10m)
	// StartTimeout bounds how long the shell may take to show its first
	// prompt (default 30s); a sandbox that starts services first needs more.
	StartTimeout time.Duration
	Tee          io.Writer // receives the raw terminal output as it arrives (for live display and .cast recording); may be nil
	// Ask, when set, puts a question the transcript does not answer to a
	// person and returns their answer (one line, no newline needed); nil
	// means nobody is there, and such a prompt fails the step after Idle.
	// It is called from a goroutine of its own; ctx ends with the step.
	Ask func(ctx context.Context, q Question) (string, error)
	// Argv is the command that starts bash, e.g. a bwrap wrapper ending in
	// "bash"; nil means bash. The executor appends bash's own flags to it.
	Argv []string
}

// Shell is one bash process in a pty that keeps its state across steps.
// Its methods are not safe for concurrent use: a run drives it step by step.
type Shell struct {
	opts   ShellOptions
	cmd    *exec.Cmd
	ptmx   *os.File // the terminal's master side, which runbook reads and types into
	tty    *os.File // the slave side, kept open to ask about its input queue and modes
	master int
	slave  int
	token  string
	st     *stream // the sentinel scanner, reset for each step rather than made anew
	// Each step's timers, reset for each step rather than made anew: the
	// idle and deadline limits, the probe that looks whether a program
	// waits for input, and the settle time after the documented output.
	idle, deadline, probe, settle *time.Timer
	chunks                        chan []byte
	quit                          chan struct{} // closed by Close: stops the reader
	exited                        chan struct{} // closed when the shell process has ended
	state                         *os.ProcessState
	dir                           string
	pgrp                          int // the shell's own process group, foreground whenever it is at its prompt
	// taken counts the bytes the reader has taken from the pty, consumed those
	// the step loop has handled: a difference means output is on its way.
	taken    atomic.Int64
	consumed int64
	fences   int // fences typed so far, numbering them
	once     sync.Once
}

// StartShell starts the shell and waits for its first sentinel prompt.
func StartShell(ctx context.Context, opts ShellOptions) (*Shell, error) {
	if opts.Idle <= 0 {
		opts.Idle = DefaultIdle
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = DefaultStartTimeout
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	s := &Shell{opts: opts, token: token, chunks: make(chan []byte, 64),
		quit: make(chan struct{}), exited: make(chan struct{}),
		idle: stoppedTimer(), deadline: stoppedTimer(), probe: stoppedTimer(), settle: stoppedTimer()}
	if err := s.start(); err != nil {
		return nil, err
	}
	if err := s.handshake(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// stoppedTimer is a timer to be Reset when needed; since Go 1.23 a stopped
// timer delivers no stale tick after Reset.
func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

func newToken() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("no randomness for the sentinel: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// start runs bash on a fresh pty, with the reader and the reaper goroutines.
func (s *Shell) start() error {
	argv := s.argv()
	ptmx, tty, err := openPty()
	if err != nil {
		return err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = shellEnv(s.opts.Env)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		ptmx.Close()
		tty.Close()
		return fmt.Errorf("cannot start %s: %w", argv[0], err)
	}
	s.cmd, s.ptmx, s.tty = cmd, ptmx, tty
	s.master, s.slave = rawFd(ptmx), int(tty.Fd())
	go s.read()
	go func() {
		cmd.Wait()
		s.state = cmd.ProcessState
		close(s.exited)
	}()
	return nil
}

// argv is bash (or the caller's wrapper) with the flags that make it quiet
// and predictable: no readline, so the terminal echoes exactly what is typed.
func (s *Shell) argv() []string {
	argv := append([]string(nil), s.opts.Argv...)
	if len(argv) == 0 {
		argv = []string{"bash"}
	}
	if s.opts.Login {
		return append(argv, "--noediting", "--login", "-i")
	}
	return append(argv, "--norc", "--noprofile", "--noediting", "-i")
}

// shellEnv is the caller's environment without anything that would change
// the prompt, plus a fixed terminal description, plus extra.
func shellEnv(extra []string) []string {
	drop := map[string]bool{"PROMPT_COMMAND": true, "PS0": true, "PS1": true, "PS2": true,
		"BASH_ENV": true, "ENV": true, "HISTFILE": true, "TERM": true, "LANG": true,
		"COLUMNS": true, "LINES": true, "TMOUT": true, "MAILCHECK": true}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] && !strings.HasPrefix(k, "BASH_FUNC_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TERM=xterm", "LANG=C.UTF-8",
		fmt.Sprintf("COLUMNS=%d", termCols), fmt.Sprintf("LINES=%d", termRows))
	return append(env, extra...)
}

// read copies the terminal's output into chunks until the pty is closed.
func (s *Shell) read() {
	buf := make([]byte, 32<<10)
	for {
		n, err := s.ptmx.Read(buf)
		if n > 0 {
			s.taken.Add(int64(n))
			c := make([]byte, n)
			copy(c, buf[:n])
			select {
			case s.chunks <- c:
			case <-s.quit:
				return
			}
		}
		if err != nil {
			close(s.chunks)
			return
		}
	}
}

// setup is typed once: it installs the sentinel and turns off what would
// make typed text mean something else (history expansion of "!", history
// files that would keep secrets).
//
// The sentinel is PS1 itself, so it is the last thing bash prints before it
// reads the next command; $? in PS1 is the command's status, whatever
// PROMPT_COMMAND does. A fence number shows once: the arithmetic in the
// array subscripts tests it and then resets it, inside PS1. Steps change
// the prompt (a venv's activate puts "(venv) " in PS1, conda and starship do
// the same, a PS2 would show between heredoc lines), so PROMPT_COMMAND puts
// runbook's prompts back before every prompt. It is the second element of an
// array (bash 5.1 runs each): a step that assigns PROMPT_COMMAND, or
// prepends to it, changes the first.
func (s *Shell) setup() string {
	line := `__rb_m=('' f); __rb_f=0; ` +
		`__rb_ps1='\036` + s.token + `${__rb_m[__rb_f>0]}${__rb_f#0}${__rb_m[__rb_f=0]}:$?:$PWD\036'; ` +
		`__rb_pc='PS1=$__rb_ps1; PS2=; PS0=; shopt -s promptvars'; ` +
		`unset HISTFILE MAILCHECK TMOUT PROMPT_COMMAND; set +H; PS2=; PS0=; ` +
		`if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)); then PROMPT_COMMAND=('' "$__rb_pc"); ` +
		`else PROMPT_COMMAND=$__rb_pc; fi; PS1=$__rb_ps1`
	if s.opts.Dir != "" {
		line += "; cd -- " + quote.ShellWord(s.opts.Dir)
	}
	return line + "\n"
}

// handshake types the setup and waits for the first sentinel; whatever a
// login profile printed before it is shown on Tee but belongs to no step.
func (s *Shell) handshake(ctx context.Context) error {
	if _, err := s.ptmx.WriteString(s.setup()); err != nil {
		return fmt.Errorf("cannot type into the shell: %w", err)
	}
	s.st = newStream(s.token, nil, func([]byte) {})
	timer := time.NewTimer(s.opts.StartTimeout)
	defer timer.Stop()
	for {
		select {
		case c, ok := <-s.chunks:
			if !ok {
				return errors.New("the shell closed its terminal before its first prompt")
			}
			s.tee(c)
			if sent, _ := s.st.feed(c); sent != nil {
				s.dir = sent.dir
				if g, err := foreground(s.master); err == nil {
					s.pgrp = g
				}
				if sent.status != 0 && s.opts.Dir != "" {
					return fmt.Errorf("cannot change to %s in the new shell", s.opts.Dir)
				}
				return nil
			}
		case <-s.exited:
			return fmt.Errorf("the shell ended before its first prompt: %v", s.died())
		case <-timer.C:
			return fmt.Errorf("the shell showed no prompt within %v", s.opts.StartTimeout)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// tee passes output that belongs to no step to the tee and counts it as handled.
func (s *Shell) tee(c []byte) {
	s.consumed += int64(len(c))
	if s.opts.Tee != nil {
		s.opts.Tee.Write(c)
	}
}

// outputPending reports whether the terminal has output that the step loop
// has not handled yet: in the kernel, in the reader, or in the channel.
func (s *Shell) outputPending() bool {
	if s.taken.Load() != s.consumed || len(s.chunks) > 0 {
		return true
	}
	n, err := unix.IoctlGetInt(s.master, unix.TIOCINQ)
	return err == nil && n > 0
}

// died describes how the shell process ended; call it only after exited is closed.
func (s *Shell) died() *ShellDiedError {
	e := &ShellDiedError{Status: -1}
	if s.state == nil {
		return e
	}
	if ws, ok := s.state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		e.Signal = ws.Signal().String()
		return e
	}
	e.Status = s.state.ExitCode()
	return e
}

// Dir returns the shell's working directory as of the last sentinel.
func (s *Shell) Dir() string { return s.dir }

// Alive reports whether the shell process is still running.
func (s *Shell) Alive() bool {
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// Close ends the shell and releases the pty. Like closing a terminal window,
// it hangs up on bash (which passes the hangup to its jobs), then kills what
// is left.
func (s *Shell) Close() error {
	s.once.Do(func() {
		if s.Alive() {
			s.cmd.Process.Signal(syscall.SIGHUP)
			t := time.NewTimer(time.Second)
			select {
			case <-s.exited:
			case <-t.C:
				s.cmd.Process.Kill()
				<-s.exited
			}
			t.Stop()
		}
		close(s.quit)
		s.ptmx.Close()
		s.tty.Close()
	})
	return nil
}

// openPty opens a sized pty whose master is in non-blocking mode, so that
// reads go through Go's poller and Close wakes the reader up. (pty.Open
// leaves the master blocking, and a blocked read survives a close.)
func openPty() (master, slave *os.File, err error) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open a pty: %w", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: termRows, Cols: termCols}); err != nil {
		tty.Close()
		return nil, nil, fmt.Errorf("cannot size the pty: %w", err)
	}
	fd, err := unix.FcntlInt(ptmx.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err != nil {
		tty.Close()
		return nil, nil, fmt.Errorf("cannot set up the pty: %w", err)
	}
	return os.NewFile(uintptr(fd), ptmx.Name()), tty, nil
}

// rawFd returns a file's descriptor without switching it to blocking mode, as File.Fd would.
func rawFd(f *os.File) int {
	fd := -1
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(u uintptr) { fd = int(u) })
	}
	return fd
}
