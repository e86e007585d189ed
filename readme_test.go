package runbook_test

import (
	"os"
	"strings"
	"testing"
)

// freshMachineCommands are the commands of README's "On a fresh machine"
// section, one per fenced block, in order.
func freshMachineCommands(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## On a fresh machine\n")
	if !ok {
		t.Fatal(`README.md has no "## On a fresh machine" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var cmds []string
	parts := strings.Split(section, "```")
	for i := 1; i < len(parts); i += 2 {
		cmds = append(cmds, strings.TrimSpace(parts[i]))
	}
	return cmds
}

// logicalLines joins a shell script's backslash-continued lines.
func logicalLines(script string) []string {
	var out []string
	cur := ""
	for _, l := range strings.Split(script, "\n") {
		if s, ok := strings.CutSuffix(l, "\\"); ok {
			cur += strings.TrimSpace(s) + " "
			continue
		}
		out = append(out, strings.TrimSpace(cur+strings.TrimSpace(l)))
		cur = ""
	}
	return out
}

// TestReadmeCommandsInCI keeps README's two fresh-machine commands and
// .ci/run the same: CI runs each of them, in README's order, as a user
// would type it (extra flags such as --report may follow).
func TestReadmeCommandsInCI(t *testing.T) {
	cmds := freshMachineCommands(t)
	if len(cmds) != 2 {
		t.Fatalf("README's fresh-machine section has %d commands, want 2 (setup and check, the tests): %q", len(cmds), cmds)
	}
	if !strings.Contains(cmds[0], "guides/synapse.rst") || !strings.Contains(cmds[1], "go test ./...") {
		t.Errorf("README's commands are not the Synapse check and the tests: %q", cmds)
	}
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	at := 0
	lines := logicalLines(string(ci))
	for _, c := range cmds {
		found := false
		for at < len(lines) && !found {
			l := lines[at]
			at++
			found = l == c || strings.HasPrefix(l, c+" ")
		}
		if !found {
			t.Errorf(".ci/run does not run README's command %q (after the one before it)", c)
		}
	}
}
