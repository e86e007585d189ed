// Package integration decides what a test does when a program it drives is
// missing: skip it, or, when RUNBOOK_REQUIRE_INTEGRATION=1 says the machine
// must have everything (CI), fail it. A skipped test is never a pass in CI.
package integration

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Required reports whether RUNBOOK_REQUIRE_INTEGRATION=1 is set.
func Required() bool { return os.Getenv("RUNBOOK_REQUIRE_INTEGRATION") == "1" }

// Missing returns nil when prog is on PATH, else an error that says so.
func Missing(prog string) error {
	if _, err := exec.LookPath(prog); err != nil {
		return fmt.Errorf("%s is not installed: %v", prog, err)
	}
	return nil
}

// Need skips the test when a program is missing, or fails it when required.
func Need(t testing.TB, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if err := Missing(p); err != nil {
			if Required() {
				t.Fatalf("%v (RUNBOOK_REQUIRE_INTEGRATION=1)", err)
			}
			t.Skip(err)
		}
	}
}
