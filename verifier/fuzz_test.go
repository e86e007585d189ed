package verifier

import (
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// FuzzVerify checks that no output or documentation makes the verifier
// panic, and that output equal to what the guide documents is always ok.
func FuzzVerify(f *testing.F) {
	f.Add("Success!\n[...]\ndone", "Success!\nx\ndone\n", 0)
	f.Add("a [...] b\n…", "\x1b[31ma  b\x1b[0m\r\n", 1)
	f.Add("Password: [hidden]\nsynapse=>", "Password:\nsynapse=> \\q", 0)
	f.Add("\t\x1b]0;t\x07x\r50%\ry", "\xff\xfe\x00\b", 2)
	f.Add("$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02", "v1.2.3 0:03:14 3.0 MB/s", 0)
	f.Fuzz(func(t *testing.T, expect, actual string, exit int) {
		lines := strings.Split(expect, "\n")
		cmd := &runbook.Command{Expect: lines, Answers: []runbook.Answer{
			{Kind: runbook.Hidden, Line: 0}, {Kind: runbook.EndInput, Line: len(lines) - 1},
		}}
		res := Verify(cmd, &runbook.Outcome{Output: actual, Exit: exit}, Options{})
		if res.Verdict == "" {
			t.Fatal("no verdict")
		}
		if res.Verdict == runbook.Drift && res.Diff == "" {
			t.Fatal("drift without a diff")
		}
		// The documented text itself, printed, must match it.
		var plain []string
		for _, l := range lines {
			if !runbook.IsElisionLine(l) && !runbook.HasInlineElision(l) && !strings.ContainsAny(l, "\uE000\uE001") {
				plain = append(plain, l)
			}
		}
		self := &runbook.Command{Expect: plain}
		if r := Verify(self, &runbook.Outcome{Output: strings.Join(plain, "\n")}, Options{}); r.Verdict != runbook.OK {
			t.Fatalf("documented text does not match itself: %s\n%s", r.Reason, r.Diff)
		}
	})
}
