// Package verifier compares what a step did with what the guide documents:
// it normalises both sides, matches with elisions and volatile tokens, and
// gives each step a verdict and a diff.
package verifier

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	runbook "github.com/runbookdev/runbook"
)

// Options carry what judging needs beyond the step and its outcome.
type Options struct {
	Home string // the shell's $HOME, so a documented "~" prompt dir can be checked against $PWD
	// Before is $PWD when the command was typed (the previous command's
	// Outcome.Dir), which is what the documented prompt shows. When empty,
	// Outcome.Dir (after the step) is used, except for a command that
	// changes directory, whose prompt is then not checked.
	Before string
	// Pinned are the tokens the guide's file steps spell out (Pin); the
	// command's own text and typed answers are added for each step.
	Pinned *Pinned
	// Shown is the step's output as a reason may quote it to a person: the
	// user's values turned back into the guide's, but this host's paths
	// left true (the compared output maps this host's home to the guide's,
	// which is right for the comparison and wrong in a message). Empty
	// means the compared output.
	Shown string
}

// OmittedAfter is how many lines of output the executor keeps before the
// lines it leaves out (Outcome.Omitted); it must agree with the executor's
// capture, which keeps the first 2000 lines and the last 2000.
const OmittedAfter = 2000

// SkipReason is the reason Verify gives a step that did not run.
const SkipReason = "not run: an earlier step failed"

// Verify judges one executed step. out is nil for a step that did not run.
// The outcome's Output must already be reverse-substituted (real values
// turned back into the guide's examples) by the caller.
func Verify(step runbook.Step, out *runbook.Outcome, opts Options) runbook.Result {
	res := runbook.Result{Step: step, Outcome: out}
	switch s := step.(type) {
	case *runbook.Manual:
		res.Verdict = runbook.ManualStep
		res.Reason = s.Reason
		if res.Reason == "" {
			res.Reason = "this step has to be done by hand"
		}
	case *runbook.File:
		switch {
		case out == nil:
			res.Verdict, res.Reason = runbook.Skipped, SkipReason
		case out.Err != nil:
			res.Verdict, res.Reason = runbook.Failed, out.Err.Error()
		default:
			res.Verdict = runbook.OK
		}
	case *runbook.Command:
		verifyCommand(&res, s, out, opts)
		hideSecrets(&res, secrets(s))
	default:
		res.Verdict = runbook.Failed
		res.Reason = fmt.Sprintf("unknown step kind %T", step)
	}
	return res
}

// verifyCommand applies the rules for a command: errors and undocumented
// non-zero exits fail, documented output and prompt dir must match.
func verifyCommand(res *runbook.Result, cmd *runbook.Command, out *runbook.Outcome, opts Options) {
	if out == nil {
		res.Verdict, res.Reason = runbook.Skipped, SkipReason
		return
	}
	if out.Err != nil {
		res.Verdict, res.Reason = runbook.Failed, out.Err.Error()
		return
	}
	answers := cmd.Answers
	if len(out.Answered) > 0 { // typed where the program waited: a hidden one shows no echo
		answers = append(slices.Clip(answers), out.Answered...)
	}
	exp := CompilePinned(cmd.Expect, answers, PinCommand(opts.Pinned, cmd))
	act := NewActual(OutputLines(cmd, out))
	m := Match{OK: true}
	switch {
	case exp.HasContent() && out.Omitted > 0:
		m = exp.MatchOmitted(act, OmittedAfter, out.Omitted)
	case exp.HasContent():
		m = exp.Match(act)
	}
	if out.Exit != 0 && !out.Stopped && !(exp.HasContent() && m.OK) {
		res.Verdict = runbook.Failed
		shown := act.text
		if opts.Shown != "" {
			shown = Normalize(opts.Shown)
		}
		res.Reason = exitReason(out.Exit, shown)
		return
	}
	var reasons, diffs []string
	if !m.OK {
		reason := "the output differs from the guide"
		if out.Omitted > 0 {
			reason += fmt.Sprintf(" (%d lines in the middle of the output were not kept)", out.Omitted)
		}
		reasons = append(reasons, reason)
		diffs = append(diffs, exp.Diff(act, DiffOptions{
			Header:     cmd.Pos.String(),
			ExpectLine: cmd.ExpectLine,
			Secrets:    secrets(cmd),
		}))
	}
	promptMsg := checkPrompt(cmd, out, opts)
	if promptMsg != "" {
		reasons = append(reasons, promptMsg)
	}
	// A closing prompt that repeats a prompt already found wrong says the
	// same thing again (the shell never got there); only a new claim counts.
	if msg, diff := checkClosing(cmd, out, opts); msg != "" && (promptMsg == "" || cmd.Closing.Dir != cmd.Prompt.Dir) {
		reasons = append(reasons, msg)
		diffs = append(diffs, diff)
	}
	res.Notes = promptNotes(cmd, out, opts)
	if len(reasons) > 0 {
		res.Verdict = runbook.Drift
		res.Reason = strings.Join(reasons, "; ")
		res.Diff = strings.Join(diffs, "")
		return
	}
	res.Verdict = runbook.OK
	res.Volatile, res.VolatileClasses, res.Masked = m.Volatile, m.Classes, m.Masked
}

// PinCommand adds to the guide's pinned tokens those of the command and of
// the answers typed into it: a value the command itself spells out is not
// volatile in its output. It also notes a command that asks for versions.
func PinCommand(guide *Pinned, cmd *runbook.Command) *Pinned {
	texts := []string{cmd.Text}
	for _, a := range cmd.Answers {
		if !a.Secret() && a.Text != "" {
			texts = append(texts, a.Text)
		}
	}
	p := guide.With(texts...)
	if asksForVersions(cmd.Text) {
		p = &Pinned{parent: p, versions: true}
	}
	return p
}

// hideSecrets masks the values of hidden answers in everything a result
// says in words.
func hideSecrets(res *runbook.Result, secrets []string) {
	res.Reason = redact(res.Reason, secrets)
	for i, n := range res.Notes {
		res.Notes[i] = redact(n, secrets)
	}
	for i, p := range res.Masked {
		res.Masked[i].Documented, res.Masked[i].Actual = redactPiece(p.Documented, secrets), redactPiece(p.Actual, secrets)
	}
}

// redactPiece masks secrets in a masked token, and the token itself when it
// is a piece of a secret (a salt or digest of one the scanner split).
func redactPiece(tok string, secrets []string) string {
	for _, sec := range secrets {
		if len(tok) >= 4 && strings.Contains(sec, tok) {
			return runbook.Mask
		}
	}
	return redact(tok, secrets)
}

// OutputLines are the lines of a command's output as they are compared with
// the guide: normalised, without the ^C of a stopped program, with a REPL's
// quit on the prompt line. `runbook update` writes these same lines.
func OutputLines(cmd *runbook.Command, out *runbook.Outcome) []string {
	lines := Normalize(out.Output)
	if out.Stopped {
		lines = dropInterrupt(lines)
	}
	return joinQuit(lines, cmd)
}

// dropInterrupt removes the "^C" a terminal echoes at the end when a
// foreground program is stopped; the guide does not show it.
func dropInterrupt(lines []string) []string {
	for len(lines) > 0 {
		last := strings.TrimSpace(lines[len(lines)-1])
		if last != "" && last != "^C" {
			if trimmed, ok := strings.CutSuffix(lines[len(lines)-1], "^C"); ok {
				lines[len(lines)-1] = strings.TrimRight(trimmed, " ")
			}
			break
		}
		lines = lines[:len(lines)-1]
	}
	return lines
}

// joinQuit puts the "\q" a REPL prints at EOF back on the line of the bare
// prompt that the transcript closes with. Readline 8 moves to a new line at
// EOF, so psql shows "synapse=> " and "\q" below it, where older terminals
// show "synapse=> \q", the form the closing prompt already matches.
func joinQuit(lines []string, cmd *runbook.Command) []string {
	n := len(cmd.Answers)
	if n == 0 || cmd.Answers[n-1].Kind != runbook.EndInput {
		return lines
	}
	prompt := cmd.Answers[n-1].Prompt
	if i := cmd.Answers[n-1].Line; i >= 0 && i < len(cmd.Expect) {
		prompt = cmd.Expect[i] // the bare prompt as documented, which Compile matches
	}
	last := len(lines) - 1
	for last >= 0 && strings.TrimSpace(lines[last]) == "" {
		last--
	}
	if last < 1 || !replQuits[strings.TrimSpace(lines[last])] ||
		strings.TrimSpace(lines[last-1]) != strings.TrimSpace(prompt) {
		return lines
	}
	joined := strings.TrimRight(lines[last-1], " ") + " " + strings.TrimSpace(lines[last])
	return append(append(lines[:last-1:last-1], joined), lines[last+1:]...)
}

// The reason of a failed command quotes at most reasonLines of its output,
// each cut at reasonWidth bytes: enough for an error and the lines that
// lead to it, short enough for a report.
const reasonLines, reasonWidth = 5, 200

// exitReason names the exit status and the last non-empty lines the
// command printed, which usually say why it failed: one line on the same
// line as the status, more below it.
func exitReason(code int, output []string) string {
	reason := fmt.Sprintf("exit status %d", code)
	if code < 0 {
		reason = "the command did not finish"
	}
	var last []string
	for i := len(output) - 1; i >= 0 && len(last) < reasonLines; i-- {
		if l := strings.TrimSpace(output[i]); l != "" {
			last = append(last, cut(l, reasonWidth))
		}
	}
	slices.Reverse(last)
	switch len(last) {
	case 0:
		return reason
	case 1:
		return reason + ": " + last[0]
	}
	return reason + "; its last lines:\n" + strings.Join(last, "\n")
}

// cut shortens s to at most n bytes, on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// secrets lists the hidden answers' values, which a diff must never show.
func secrets(cmd *runbook.Command) []string {
	var s []string
	for _, a := range cmd.Answers {
		if a.Secret() && a.Text != "" {
			s = append(s, a.Text)
		}
	}
	return s
}
