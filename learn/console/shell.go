package console

import (
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/runbookdev/runbook/internal/quote"
)

//go:embed init.bash
var initScript string

// ShellOptions says how the trainee's shell starts.
type ShellOptions struct {
	// Argv starts bash: nil for bash itself, or a sandbox's wrapper that
	// ends in bash. The shell's own flags are added after it.
	Argv  []string
	Login bool     // a login shell (reads the profile), as on the real host
	Env   []string // the shell's whole environment
	Dir   string   // where it starts, as the shell names it; empty for its home
	// Prompt is PS1: the guide's user and host and bash's \W, so the shell
	// looks like the host the guide was written on.
	Prompt string
	// Replay are lines run before the first prompt, unseen, before the
	// shell changes to Dir: the cd and source of the steps done in an
	// earlier session.
	Replay []string
	// Setup is a folder the shell can read where its setup script is put
	// for it to source, on this host (Host) and as the shell names it
	// (Inside: the same, unless the shell runs in a sandbox).
	Setup Folder
}

// Folder is one folder as this host and as the shell name it.
type Folder struct {
	Host, Inside string
}

// shell is bash in a pty with readline, as the trainee types into it.
type shell struct {
	cmd    *exec.Cmd
	ptmx   *os.File
	tty    *os.File
	token  string
	chunks chan []byte   // what the terminal shows, as it arrives
	typed  chan []byte   // what goes to the terminal's input, in order
	exited chan struct{} // closed when bash has ended
	quit   chan struct{} // closed by close: stops the writer
	script string        // the setup script on this host, until the shell has read it
}

// startShell starts bash on a pty of the given size. Its setup is a script
// in the Setup folder that one short typed line sources; the script is
// removed once the shell is ready (forget).
func startShell(o ShellOptions, size *pty.Winsize) (*shell, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("no randomness for the session: %w", err)
	}
	s := &shell{token: hex.EncodeToString(b), chunks: make(chan []byte, 64),
		typed: make(chan []byte, 256), exited: make(chan struct{}), quit: make(chan struct{})}
	name := "learn-" + s.token + ".bash"
	s.script = filepath.Join(o.Setup.Host, name)
	if err := os.WriteFile(s.script, []byte(s.setup(o)), 0o600); err != nil {
		return nil, fmt.Errorf("cannot write the shell's setup: %w", err)
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("cannot open a pty: %w", err)
	}
	if size != nil {
		pty.Setsize(ptmx, size)
	}
	argv := append(append([]string(nil), o.Argv...), o.flags()...)
	if len(o.Argv) == 0 {
		argv = append([]string{"bash"}, o.flags()...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = o.Env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		ptmx.Close()
		tty.Close()
		s.forget()
		return nil, fmt.Errorf("cannot start %s: %w", argv[0], err)
	}
	s.cmd, s.ptmx, s.tty = cmd, ptmx, tty
	go s.read()
	go s.write()
	go func() {
		cmd.Wait()
		close(s.exited)
	}()
	s.send([]byte(" . " + quote.ShellWord(path.Join(o.Setup.Inside, name)) + "\n"))
	return s, nil
}

// forget removes the setup script, which the shell has read.
func (s *shell) forget() {
	if s.script != "" {
		os.Remove(s.script)
		s.script = ""
	}
}

func (o ShellOptions) flags() []string {
	if o.Login {
		return []string{"--login", "-i"}
	}
	return []string{"--noprofile", "--norc", "-i"}
}

// setup is the init script with the session's token and prompt, then the
// directory and the replayed lines.
func (s *shell) setup(o ShellOptions) string {
	script := strings.NewReplacer("@TOKEN@", s.token, "@PS1@", quote.ShellWord(o.Prompt)).Replace(initScript)
	var b strings.Builder
	b.WriteString(script)
	for _, line := range o.Replay {
		b.WriteString(line + " >/dev/null 2>&1\n")
	}
	if o.Dir != "" {
		b.WriteString("builtin cd -- " + shellPath(o.Dir) + " 2>/dev/null\n")
	}
	b.WriteString("builtin history -c\n")
	return b.String()
}

// read copies the terminal's output into chunks until the pty closes.
func (s *shell) read() {
	buf := make([]byte, 32<<10)
	for {
		n, err := s.ptmx.Read(buf)
		if n > 0 {
			s.chunks <- append([]byte(nil), buf[:n]...)
		}
		if err != nil {
			close(s.chunks)
			return
		}
	}
}

// write types into the terminal from its own goroutine, so that a program
// that reads no input cannot stop runbook from showing its output.
func (s *shell) write() {
	for {
		select {
		case p := <-s.typed:
			if _, err := s.ptmx.Write(p); err != nil {
				return
			}
		case <-s.quit:
			return
		}
	}
}

// send queues bytes for the terminal's input.
func (s *shell) send(p []byte) {
	select {
	case s.typed <- p:
	case <-s.exited:
	case <-s.quit:
	}
}

// resize passes the trainee's terminal size on; the kernel tells the
// program in the foreground (SIGWINCH).
func (s *shell) resize(size *pty.Winsize) { pty.Setsize(s.ptmx, size) }

// echoing reports whether the terminal echoes what is typed now: a
// program reading a password turns that off.
func (s *shell) echoing() bool {
	t, err := unix.IoctlGetTermios(int(s.tty.Fd()), unix.TCGETS)
	return err != nil || t.Lflag&unix.ECHO != 0
}

// close hangs up on bash, as closing a terminal window does, then kills what is left.
func (s *shell) close() {
	s.forget()
	s.cmd.Process.Signal(syscall.SIGHUP) // an error means it has ended already
	select {
	case <-s.exited:
	case <-time.After(2 * time.Second):
		s.cmd.Process.Kill()
	}
	close(s.quit)
	s.ptmx.Close()
	s.tty.Close()
}

// errShellEnded says the trainee's shell is gone (exit, or ^D).
var errShellEnded = errors.New("the shell ended")

// shellPath quotes a path for bash, leaving a leading ~/ or $HOME/ to expand.
func shellPath(p string) string {
	for _, home := range []string{"~/", "$HOME/", "${HOME}/"} {
		if rest, ok := strings.CutPrefix(p, home); ok {
			if rest == "" {
				return home
			}
			return home + quote.ShellWord(rest)
		}
	}
	if p == "~" {
		return p
	}
	return quote.ShellWord(p)
}
