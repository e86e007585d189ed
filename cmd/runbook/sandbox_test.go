package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// TestMissingBwrap: without bwrap, check, run --sandbox and learn stop before
// anything runs, with one error that names the package, exit 2.
func TestMissingBwrap(t *testing.T) {
	dir := t.TempDir()
	guide := filepath.Join(dir, "g.rst")
	os.WriteFile(guide, []byte("T\n=\n\n.. code-block:: console\n\n  [isabell@stardust ~]$ touch made\n  [isabell@stardust ~]$\n"), 0o644)
	t.Setenv("PATH", t.TempDir()) // no bwrap, no bash: nothing can run
	t.Setenv("HOME", dir)
	for _, args := range [][]string{{"check", guide}, {"run", "--sandbox", "--yes", guide}, {"learn", guide}} {
		var stdout, stderr bytes.Buffer
		code := runMain(args, env{stdin: os.Stdin, stdout: &stdout, stderr: &stderr})
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2; stderr %q", args, code, stderr.String())
		}
		if msg := stderr.String(); !strings.Contains(msg, "apt-get install bubblewrap") || strings.Count(msg, "\n") != 1 {
			t.Errorf("%v: want one line naming the package, got %q", args, msg)
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: printed a report: %q", args, stdout.String())
		}
	}
}

// TestSandboxNames: the sandbox's user, host and domains are the guide's
// parameters with their values as set.
func TestSandboxNames(t *testing.T) {
	ps := []runbook.Param{
		{Name: "user", Kind: runbook.ParamUser, Example: "isabell", Value: "alice"},
		{Name: "home:user", Kind: runbook.ParamUser, Example: "/home/isabell", Value: "/home/alice"},
		{Name: "host", Kind: runbook.ParamHost, Example: "stardust", Value: "stardust"},
		{Name: "domain", Kind: runbook.ParamDomain, Example: "example.org", Value: "alice.dev"},
		{Name: "domain:matrix", Kind: runbook.ParamDomain, Example: "matrix.example.org", Value: "matrix.alice.dev"},
		{Name: "port", Kind: runbook.ParamPlaceholder, Example: "<port>", Value: "8008"},
	}
	user, host, domains := sandboxNames(ps)
	if user != "alice" || host != "stardust" || strings.Join(domains, " ") != "alice.dev matrix.alice.dev" {
		t.Fatalf("got %q %q %q", user, host, domains)
	}
	if h := sandboxHome(ps); h != "/home/alice" {
		t.Fatalf("home %q", h)
	}
	if h := sandboxHome(nil); h != "/home/isabell" {
		t.Fatalf("home without a user parameter: %q", h)
	}
}
