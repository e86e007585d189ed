package executor

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// TestPromptChangesDoNotLeak activates a real venv (which puts "(venv) "
// in PS1), then changes PS1, PS2, PS0 and PROMPT_COMMAND by hand as other
// tools do (conda, nvm, starship, direnv), and runs the same commands many
// times: every run of a command must capture the same output.
func TestPromptChangesDoNotLeak(t *testing.T) {
	need(t, "python3")
	sh := startTest(t, ShellOptions{})
	ctx := context.Background()
	venv := filepath.Join(t.TempDir(), "venv")
	setups := []string{
		"python3 -m venv " + venv + " && source " + venv + "/bin/activate",
		`PS1='(base) \u@\h:\w\$ '`,
		`PS2='more> '; PS0='[running]'`,
		`PROMPT_COMMAND='__hook=1'`,
		`PROMPT_COMMAND="__other=1;$PROMPT_COMMAND"`,
	}
	for _, setup := range setups {
		if o := sh.Run(ctx, &runbook.Command{Text: setup}); o.Err != nil || o.Exit != 0 {
			t.Fatalf("%s: %s", setup, describe(o))
		}
		for i := 0; i < 15; i++ {
			for _, c := range []struct{ cmd, want string }{
				{"echo same", "same\n"},
				{"printf 'a\\nb\\n'", "a\nb\n"},
				{"echo multi\necho line", "multi\nline\n"},
				{"true", ""},
			} {
				o := sh.Run(ctx, &runbook.Command{Text: c.cmd})
				if o.Err != nil || o.Output != c.want {
					t.Fatalf("after %q, run %d of %q: %s", setup, i, c.cmd, describe(o))
				}
			}
		}
	}
	o := sh.Run(ctx, &runbook.Command{Text: "echo \"$VIRTUAL_ENV\""})
	if o.Output != fmt.Sprintf("%s\n", venv) {
		t.Fatalf("the venv is no longer active: %s", describe(o))
	}
}
