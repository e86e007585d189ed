package executor

import (
	"fmt"
	"time"
)

// WaitingError says a program waited for terminal input that nobody gave.
type WaitingError struct {
	Line string // the last line the program printed, usually its prompt
}

// Error renders the message the step fails with.
func (e *WaitingError) Error() string { return "waiting for input: " + e.Line }

// TimeoutError says a step ran longer than its timeout and was interrupted.
type TimeoutError struct {
	After time.Duration
}

// Error renders the message the step fails with.
func (e *TimeoutError) Error() string { return "timed out after " + e.After.String() }

// ShellDiedError says the shell itself ended during a step, so later steps need a new one.
type ShellDiedError struct {
	Status int    // exit status when the shell exited; -1 when a signal killed it
	Signal string // the signal that killed it, if any
}

// Error renders the message the step fails with.
func (e *ShellDiedError) Error() string {
	if e.Signal != "" {
		return "the shell was killed"
	}
	return fmt.Sprintf("the shell exited (status %d)", e.Status)
}

// NoSecretError says a hidden prompt appeared but its secret parameter has no value.
type NoSecretError struct {
	Param  string // the secret's parameter name, if known
	Prompt string // the prompt as documented
}

// Error renders the message the step fails with.
func (e *NoSecretError) Error() string {
	if e.Param != "" {
		return "no value for secret " + e.Param
	}
	return fmt.Sprintf("no value for secret at prompt %q", e.Prompt)
}
