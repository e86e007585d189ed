package main

import (
	"strings"
	"testing"
	"time"
)

// TestRunStatusLine runs a step that takes a few seconds through a real
// pty: its status line (elapsed time, the step, its last output line) is
// drawn in place, cleared and rewritten, with the secret in the command
// masked, and taken away before the step's result line.
func TestRunStatusLine(t *testing.T) {
	src := "Slow\n====\n\n.. code-block:: console\n\n" +
		"  [isabell@stardust ~]$ s=MySuperSecretPassword; echo building; sleep 3; echo done\n  building\n  done\n  [isabell@stardust ~]$\n"
	cmd, _ := guideCommand(t, "slow.rst", src, []string{"bash"}, "run", "--yes", "--set", "MySuperSecretPassword=Hunter2Hunter")
	_, sc := startOnPty(t, cmd, 100)
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
