package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestRunStatusLine runs a step that takes a few seconds through a real
// pty: its status line (elapsed time, the step, its last output line) is
// drawn in place, cleared and rewritten, with the secret in the command
// masked, and taken away before the step's result line.
func TestRunStatusLine(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		if os.Getenv("RUNBOOK_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("bash is missing")
		}
		t.Skip("bash is missing")
	}
	bin, err := exec.LookPath("runbook") // put on PATH by testscript.Main
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	guide := filepath.Join(dir, "slow.rst")
	src := "Slow\n====\n\n.. code-block:: console\n\n" +
		"  [isabell@stardust ~]$ s=MySuperSecretPassword; echo building; sleep 3; echo done\n  building\n  done\n  [isabell@stardust ~]$\n"
	if err := os.WriteFile(guide, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--yes", "--set", "MySuperSecretPassword=Hunter2Hunter", guide)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_STATE_HOME="+filepath.Join(dir, "state"), "NO_COLOR=1")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	sc := newScreen(tty)
	deadline := time.After(60 * time.Second)
	at := sc.waitFor(t, "\r\x1b[K[0:02] [1/1] ", 0, deadline)
	line := sc.String()[at:]
	line = line[:strings.IndexAny(line+"\r", "\r")]
	if !strings.Contains(line, "********") || !strings.HasSuffix(line, "| building") || len(line) > 100 {
		t.Errorf("status line %q: want the masked command and the last output line, within 100 columns", line)
	}
	sc.waitFor(t, "1 step: 1 ok", at, deadline)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v:\n%s", err, sc.String())
	}
	out := sc.String()
	if strings.Contains(out, "Hunter2Hunter") {
		t.Errorf("the secret shows:\n%q", out)
	}
	if i := strings.Index(out, "  => ok"); i < 0 || !strings.HasSuffix(out[:i], "\r\x1b[K") && !strings.Contains(out[at:i], "\r\x1b[K") {
		t.Errorf("the status line was not cleared before the result:\n%q", out)
	}
}
