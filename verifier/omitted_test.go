package verifier

import (
	"fmt"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// capturedOutput imitates the executor's bounded capture of n lines: the
// first OmittedAfter lines, then the last tailN, with the middle omitted.
func capturedOutput(full []string, tailN int) (string, int) {
	kept := append(append([]string(nil), full[:OmittedAfter]...), full[len(full)-tailN:]...)
	return strings.Join(kept, "\n") + "\n", len(full) - len(kept)
}

func buildLog(n int) []string {
	full := make([]string, n)
	for i := range full {
		full[i] = fmt.Sprintf("compiling unit %d", i)
	}
	full[0] = "start"
	full[n/2] = "linking the middle part"
	full[n-1] = "build finished"
	return full
}

func TestOmittedMiddle(t *testing.T) {
	full := buildLog(9000)
	output, omitted := capturedOutput(full, 2000)
	cases := []struct {
		name   string
		expect []string
		last   string // replaces the last actual line when set
		want   runbook.Verdict
	}{
		{"documented line in the gap", []string{"start", "[...]", "linking the middle part", "[...]", "build finished"}, "", runbook.OK},
		{"whole output documented", full, "", runbook.OK},
		{"changed last line", []string{"start", "[...]", "linking the middle part", "[...]", "build finished"}, "build FAILED", runbook.Drift},
		{"changed line outside the gap", append(append([]string{"begin"}, full[1:4500]...), "[...]"), "", runbook.Drift},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := output
			if c.last != "" {
				out = strings.TrimSuffix(strings.TrimSuffix(out, "\n"), "build finished") + c.last + "\n"
			}
			step := &runbook.Command{Expect: c.expect}
			res := Verify(step, &runbook.Outcome{Output: out, Omitted: omitted}, Options{})
			if res.Verdict != c.want {
				t.Fatalf("verdict %s, want %s (%s)\n%s", res.Verdict, c.want, res.Reason, res.Diff)
			}
			// Without the omission the documented line in the gap is missing.
			if c.want == runbook.OK && c.name == "documented line in the gap" {
				if r := Verify(step, &runbook.Outcome{Output: out}, Options{}); r.Verdict != runbook.Drift {
					t.Fatalf("without Omitted: verdict %s, want drift", r.Verdict)
				}
			}
		})
	}
}
