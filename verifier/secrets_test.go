package verifier

import (
	"errors"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// TestHiddenAnswerNeverShown checks that the value typed at a hidden prompt
// appears in no reason and no diff, even when a program echoes it back.
func TestHiddenAnswerNeverShown(t *testing.T) {
	const secret = "Tr0ub4dor&3"
	cmd := &runbook.Command{
		Header:  runbook.Header{Pos: runbook.Pos{File: "guide.rst", Line: 3}},
		Text:    "createuser synapse -P",
		Expect:  []string{"Enter password for new role: [hidden]", "Enter it again:", "Role created."},
		Answers: []runbook.Answer{{Kind: runbook.Hidden, Line: 0, Text: secret}, {Kind: runbook.Hidden, Line: 1, Text: secret}},
	}
	outcomes := []*runbook.Outcome{
		{Output: "Enter password for new role: " + secret + "\nEnter it again:\nRole created.\n"},
		{Output: "Enter password for new role:\nEnter it again:\nerror: weak password " + secret + "\n", Exit: 1},
		{Output: "Enter password for new role:\n", Exit: -1, Err: errors.New("waiting for input: " + secret)},
		{Output: "Enter password for new role:\nEnter it again:\nRole created with password " + runbook.Mask + "\n"},
	}
	for i, out := range outcomes {
		res := Verify(cmd, out, Options{})
		if res.Verdict == runbook.OK {
			t.Errorf("case %d: verdict ok, want a problem", i)
		}
		if strings.Contains(res.Reason+res.Diff, secret) {
			t.Errorf("case %d: the secret shows:\n%s\n%s", i, res.Reason, res.Diff)
		}
	}
	// What the runner already redacted stays redacted.
	res := Verify(cmd, outcomes[3], Options{})
	if !strings.Contains(res.Diff, "+Role created with password "+runbook.Mask) {
		t.Errorf("the mask is lost:\n%s", res.Diff)
	}
	// Echoed stars after a hidden prompt are not drift.
	ok := Verify(cmd, &runbook.Outcome{Output: "Enter password for new role: ******\nEnter it again:\nRole created.\n"}, Options{})
	if ok.Verdict != runbook.OK {
		t.Errorf("stars echoed: %s %s", ok.Verdict, ok.Diff)
	}
}

// TestMaskedNeverShowsSecret checks the documented→actual pairs of masked
// volatile tokens: a hidden answer's value that a program prints where the
// guide shows a hash is masked, and the pair shows the mask, not the value.
func TestMaskedNeverShowsSecret(t *testing.T) {
	const secret = "Lw5Jp0sD8fG3hK6qR2tV9xZ4"
	cmd := &runbook.Command{
		Text:    "read -s -p 'Secret: ' s; echo; ./register \"$s\"",
		Expect:  []string{"Secret:", "registration_shared_secret: 7QzX2kP9mW4vN8rT3yH6jB1c (in 6.1ms)"},
		Answers: []runbook.Answer{{Kind: runbook.Hidden, Line: 0, Text: secret}},
	}
	res := Verify(cmd, &runbook.Outcome{Output: "Secret:\nregistration_shared_secret: " + secret + " (in 5.2ms)\n"}, Options{})
	if res.Verdict != runbook.OK || res.Volatile != 2 || len(res.Masked) != 2 {
		t.Fatalf("verdict %s, %d volatile, masked %v", res.Verdict, res.Volatile, res.Masked)
	}
	for _, m := range res.Masked {
		if strings.Contains(m.Documented+m.Actual, secret) {
			t.Errorf("masked pair shows the secret: %+v", m)
		}
	}
	if res.Masked[0].Class != runbook.Hash || res.Masked[0].Actual != runbook.Mask {
		t.Errorf("hash pair %+v, want the mask as actual", res.Masked[0])
	}
}
