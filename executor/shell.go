// Package executor runs a guide's steps for real: commands in one persistent
// bash in a pty, answers typed at the prompts that wait for them, and file
// steps written atomically or merged by structure.
package executor

import (
	"context"
	"io"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// ShellOptions configures the one shell a run uses.
type ShellOptions struct {
	Login   bool          // start a login shell (real host, `run`); otherwise --norc --noprofile
	Dir     string        // initial working directory; empty means $HOME
	Env     []string      // extra environment, KEY=VALUE
	Idle    time.Duration // how long a program may wait for input nobody gives before ^C (default 60s)
	Timeout time.Duration // per-step limit (default 10m)
	Tee     io.Writer     // receives the raw terminal output as it arrives (for live display and .cast recording); may be nil
	Argv    []string      // the shell command; nil means bash. A sandbox passes its bwrap wrapper here.
}

// Shell is one bash process in a pty that keeps its state across steps.
type Shell struct{}

// StartShell starts the shell and waits for its first sentinel prompt.
func StartShell(ctx context.Context, opts ShellOptions) (*Shell, error) {
	return &Shell{}, nil // STUB: owned by the shell helper
}

// Run types one command, answers it as the transcript says, and returns what happened.
// Hidden answers carry their secret value in Answer.Text (filled in by params.Apply).
func (s *Shell) Run(ctx context.Context, cmd *runbook.Command) *runbook.Outcome {
	return &runbook.Outcome{} // STUB
}

// Dir returns the shell's working directory as of the last sentinel.
func (s *Shell) Dir() string { return "" } // STUB

// Alive reports whether the shell process is still running.
func (s *Shell) Alive() bool { return false } // STUB

// Close ends the shell and releases the pty.
func (s *Shell) Close() error { return nil } // STUB
