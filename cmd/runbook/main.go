// Command runbook makes install guides executable: it lists a guide's steps,
// runs them in one persistent shell, and checks what happened against what the
// guide documents.
//
// Exit codes: 0 when every step was ok or manual (or lint found nothing), 1 when
// a step drifted, failed or was skipped (or lint found something), 2 when the
// invocation was wrong or a guide cannot be read or parsed. A step left out on
// purpose (its section is off the install path, or the person said no to it)
// is skipped without making the code 1.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Exit codes of the command-line contract.
const (
	exitOK      = 0
	exitFound   = 1   // drift, failure, skip, or lint findings
	exitUsage   = 2   // wrong invocation, unreadable or unparsable guide
	exitSignal  = 130 // interrupted with Ctrl-C
	programName = "runbook"
)

// version is set at link time with -ldflags "-X main.version=v1.2.3"; the
// module version from the build info is used otherwise.
var version = ""

// exitError carries the exit code a subcommand wants, with an optional
// message; errors that are not exitErrors come from cobra itself (unknown
// flags, wrong argument counts) and are invocation errors.
type exitError struct {
	code int
	err  error // printed as "runbook: <err>" when not nil
}

// Error returns the wrapped error's message, or the exit status when there is none.
func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

// usageErrorf reports a wrong invocation (exit 2).
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// exitCode ends the command with code without printing anything more.
func exitCode(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

// env is what a command reads and writes besides its flags, so tests and main
// share one path through the code.
type env struct {
	stdin  *os.File
	stdout io.Writer
	stderr io.Writer
}

func main() {
	os.Exit(runMain(os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

// runMain executes one command line and returns the process exit code.
// A panic in any stage becomes one line on stderr rather than a stack trace
// (set RUNBOOK_TRACEBACK=1 to see the trace).
func runMain(args []string, e env) (code int) {
	defer func() {
		if r := recover(); r != nil {
			if os.Getenv("RUNBOOK_TRACEBACK") == "1" {
				panic(r)
			}
			fmt.Fprintf(e.stderr, "%s: internal error: %v (this is a bug in runbook; RUNBOOK_TRACEBACK=1 shows where)\n", programName, r)
			code = exitUsage
		}
	}()
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", programName, ee.err)
		}
		return ee.code
	}
	// Anything else is cobra rejecting the command line.
	fmt.Fprintf(e.stderr, "%s: %v\n", programName, err)
	fmt.Fprintf(e.stderr, "Run '%s --help' for usage.\n", programName)
	return exitUsage
}

func newRootCmd(e env) *cobra.Command {
	root := &cobra.Command{
		Use:   "runbook",
		Short: "Run install guides, and check them against reality",
		Long: `runbook makes install guides executable. It reads a reStructuredText or
Markdown guide, finds its console sessions and config-file blocks and the example
values a reader is meant to replace (isabell, stardust, example.org, passwords),
then runs the commands in one real shell, writes the files, and compares what
happened with what the guide documents.

Start by reading what a guide would do; nothing runs:

  runbook steps guides/synapse.rst
  runbook params guides/synapse.rst

Then run it with your own values, or check that it still works:

  runbook run guides/synapse.rst --set isabell=alice --set example.org=alice.dev
  runbook check --no-sandbox guides/synapse.rst --report junit:report.xml

Exit codes: 0 every step was ok or manual; 1 a step drifted, failed or was
skipped (not counting sections left out on purpose, such as Updates), or lint
found something; 2 the invocation was wrong, or a guide cannot be read or parsed.`,
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetIn(e.stdin)
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetVersionTemplate("runbook {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%v (see '%s --help')", err, c.CommandPath())
	})
	root.AddCommand(
		newStepsCmd(e),
		newParamsCmd(e),
		newLintCmd(e),
		newRunCmd(e),
		newCheckCmd(e),
		newUpdateCmd(e),
		newLearnCmd(e),
	)
	return root
}

// buildVersion names the version of this binary.
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
