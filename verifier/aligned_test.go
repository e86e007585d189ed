package verifier

import (
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// TestAligned finds the actual line each documented line matched, across
// elisions, hidden prompts and changed volatile values; nothing when the
// output does not match.
func TestAligned(t *testing.T) {
	cmd := &runbook.Command{
		Expect:  []string{"Password:", "Confirm password:", "[...]", "$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02", "done"},
		Answers: []runbook.Answer{{Kind: runbook.Hidden, Line: 0}, {Kind: runbook.Hidden, Line: 1}},
	}
	out := &runbook.Outcome{Output: "Password: \r\nConfirm password: \r\nworking\r\n\r\nstill working\r\n" +
		"$2b$12$Qm3ZcW0p9R8sT7uV6wX5yOa1B2c3D4e5F6g7H8i9J0kL1mN2oP3qR\r\ndone\r\n"}
	lines := OutputLines(cmd, out)
	for doc, want := range map[int]string{3: "$2b$12$Qm3ZcW0p9R8sT7uV6wX5yOa1B2c3D4e5F6g7H8i9J0kL1mN2oP3qR", 4: "done", 1: "Confirm password:"} {
		j, ok := Aligned(cmd, out, doc)
		if !ok || j >= len(lines) || lines[j] != want {
			t.Errorf("documented line %d: got %d %v (%q), want %q", doc, j, ok, at(lines, j), want)
		}
	}
	if _, ok := Aligned(cmd, out, 2); ok {
		t.Error("an elision lines up with nothing")
	}
	drift := &runbook.Outcome{Output: "Password: \r\nConfirm password: \r\nerror: no such user\r\n"}
	if _, ok := Aligned(cmd, drift, 3); ok {
		t.Error("output that does not match the guide lined up")
	}
}

func at(lines []string, j int) string {
	if j < 0 || j >= len(lines) {
		return ""
	}
	return lines[j]
}
