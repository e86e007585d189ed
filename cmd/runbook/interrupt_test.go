package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunInterrupt sends SIGINT to `runbook run` while a step runs: the run
// stops cleanly, says what happened, saves its state and exits 130.
func TestRunInterrupt(t *testing.T) {
	src := "Slow\n====\n\n.. code-block:: console\n\n  [isabell@stardust ~]$ sleep 60\n  [isabell@stardust ~]$ echo after\n  after\n  [isabell@stardust ~]$\n"
	cmd, dir := guideCommand(t, "slow.rst", src, []string{"bash"}, "run", "--yes")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var out strings.Builder
	for sc.Scan() { // wait until the step is under way, then interrupt
		out.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "sleep 60") {
			break
		}
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitSignal {
		t.Fatalf("exit: %v, want %d\n%s", err, exitSignal, out.String())
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %v to stop after SIGINT", took)
	}
	for _, want := range []string{"Interrupted.", "--resume", "skipped"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	states, _ := filepath.Glob(filepath.Join(dir, "state", "runbook", "slow.rst-*.json"))
	if len(states) != 1 {
		t.Errorf("state files: %v", states)
	}
}

// guideCommand writes a guide into a new temp dir and returns the command
// that runs runbook on it (the guide's path comes after args), with HOME
// and the state folder in that dir. It skips the test when one of progs
// is missing, or fails it when RUNBOOK_REQUIRE_INTEGRATION=1.
func guideCommand(t *testing.T, name, src string, progs []string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	for _, prog := range progs {
		if _, err := exec.LookPath(prog); err != nil {
			if os.Getenv("RUNBOOK_REQUIRE_INTEGRATION") == "1" {
				t.Fatalf("%s is required: %v", prog, err)
			}
			t.Skipf("%s is missing", prog)
		}
	}
	bin, err := exec.LookPath("runbook") // put on PATH by testscript.Main
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	guide := filepath.Join(dir, name)
	if err := os.WriteFile(guide, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append(args, guide)...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_STATE_HOME="+filepath.Join(dir, "state"), "NO_COLOR=1")
	return cmd, dir
}
