package verifier

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/golden"
)

// TestData runs every testdata/*.txtar case: the comment holds the step's
// settings (key: value lines), "expect" the documented output, "actual"
// the raw terminal output and "want" the verdict, volatile count, reason
// and diff.
func TestData(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", "want", func(t *testing.T, ar *txtar.Archive) string {
		step, out, opts := caseFromArchive(t, ar)
		return formatResult(Verify(step, out, opts))
	})
}

// caseFromArchive builds the step and outcome a test case describes.
func caseFromArchive(t *testing.T, ar *txtar.Archive) (runbook.Step, *runbook.Outcome, Options) {
	t.Helper()
	cmd := &runbook.Command{Header: runbook.Header{ID: 1, Pos: runbook.Pos{File: "guide.rst", Line: 10}}, Text: "true", ExpectLine: 11}
	out := &runbook.Outcome{Dir: "/home/isabell", Duration: time.Second}
	opts := Options{Home: "/home/isabell"}
	quoted := false
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(key) {
		case "command":
			cmd.Text = val
		case "prompt":
			cmd.Prompt = promptFrom(t, val)
		case "closing":
			cmd.Closing = &runbook.Closing{Prompt: promptFrom(t, val), Pos: runbook.Pos{File: "guide.rst", Line: 20}}
		case "pinned":
			opts.Pinned = Pin(val)
		case "pwd":
			out.Dir = val
		case "before":
			opts.Before = val
		case "exit":
			out.Exit = atoi(t, val)
		case "err":
			out.Err = errors.New(val)
		case "stopped":
			out.Stopped = val == "true"
		case "omitted":
			out.Omitted = atoi(t, val)
		case "quoted":
			quoted = val == "true"
		case "hidden", "eof", "reply":
			kind := map[string]runbook.AnswerKind{"hidden": runbook.Hidden, "eof": runbook.EndInput, "reply": runbook.Reply}[strings.TrimSpace(key)]
			idx, text, _ := strings.Cut(val, " ")
			cmd.Answers = append(cmd.Answers, runbook.Answer{Kind: kind, Line: atoi(t, idx), Text: text})
		case "answered": // KIND LINE PROMPT: an answer the executor found by the program's waiting
			kind, rest, _ := strings.Cut(val, " ")
			idx, prompt, _ := strings.Cut(rest, " ")
			k := map[string]runbook.AnswerKind{"hidden": runbook.Hidden, "reply": runbook.Reply}[kind]
			out.Answered = append(out.Answered, runbook.Answer{Kind: k, Line: atoi(t, idx), Prompt: prompt})
		}
	}
	cmd.Expect = splitLines(golden.Section(ar, "expect"))
	out.Output = golden.Section(ar, "actual")
	opts.Shown = golden.Section(ar, "shown")
	if quoted {
		out.Output = unquoteLines(t, out.Output)
	}
	return cmd, out, opts
}

// promptFrom reads a prompt setting: a whole prompt such as
// "[isabell@stardust ~]$" or "[isabell@stardust]$", or only its directory.
func promptFrom(t *testing.T, val string) runbook.Prompt {
	t.Helper()
	inner, ok := strings.CutPrefix(strings.TrimSuffix(val, "$"), "[")
	if !ok {
		return runbook.Prompt{Dir: val}
	}
	inner = strings.TrimSuffix(inner, "]")
	who, dir, _ := strings.Cut(inner, " ")
	user, host, ok := strings.Cut(who, "@")
	if !ok {
		t.Fatalf("bad prompt %q", val)
	}
	return runbook.Prompt{User: user, Host: host, Dir: dir}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// unquoteLines reads each line as the body of a Go string literal, so that
// test data can spell escapes, carriage returns and invalid bytes.
func unquoteLines(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for _, l := range splitLines(s) {
		u, err := strconv.Unquote(`"` + l + `"`)
		if err != nil {
			t.Fatalf("unquote %q: %v", l, err)
		}
		b.WriteString(u + "\n")
	}
	return b.String()
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// formatResult prints the parts of a result the test data pins down.
func formatResult(r runbook.Result) string {
	s := fmt.Sprintf("verdict: %s\nvolatile: %d\n", r.Verdict, r.Volatile)
	if len(r.VolatileClasses) > 0 {
		s += fmt.Sprintf("classes: %v\n", r.VolatileClasses)
	}
	for _, m := range r.Masked {
		s += fmt.Sprintf("masked: %s %q -> %q\n", m.Class, m.Documented, m.Actual)
	}
	if r.Reason != "" {
		s += "reason: " + r.Reason + "\n"
	}
	for _, n := range r.Notes {
		s += "note: " + n + "\n"
	}
	if r.Diff != "" {
		s += "diff:\n" + r.Diff
	}
	return s
}
