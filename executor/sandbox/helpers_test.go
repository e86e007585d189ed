package sandbox

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
	"github.com/runbookdev/runbook/internal/integration"
)

// need skips a test when a program it drives is missing (fails it in CI).
func need(t testing.TB, progs ...string) { t.Helper(); integration.Need(t, progs...) }

// newTest makes a sandbox in the test's temporary folder, by default with
// the mini profile, and closes it when the test ends.
func newTest(t testing.TB, o Options) *Sandbox {
	t.Helper()
	need(t, "bwrap", "unshare", "setpriv", "timeout")
	if o.Profile == "" {
		o.Profile = filepath.Join("testdata", "profiles", "mini")
	}
	if o.Dir == "" {
		o.Dir = filepath.Join(t.TempDir(), "sandbox")
	}
	if o.CacheDir == "" {
		o.CacheDir = t.TempDir()
	}
	sb, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// startShell starts a shell in the sandbox and closes it when the test ends.
func startShell(t testing.TB, sb *Sandbox) *executor.Shell {
	t.Helper()
	sh, err := executor.StartShell(context.Background(), sb.ShellOptions(executor.ShellOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sh.Close() })
	return sh
}

// run types one command and returns its outcome.
func run(t testing.TB, sh *executor.Shell, cmd string) *runbook.Outcome {
	t.Helper()
	return sh.Run(context.Background(), &runbook.Command{Text: cmd})
}

// output runs a command that must succeed and returns its output, trimmed.
func output(t testing.TB, sh *executor.Shell, cmd string) string {
	t.Helper()
	out := run(t, sh, cmd)
	if out.Err != nil || out.Exit != 0 {
		t.Fatalf("%s: exit %d, %v\n%s", cmd, out.Exit, out.Err, out.Output)
	}
	return strings.TrimSpace(out.Output)
}
