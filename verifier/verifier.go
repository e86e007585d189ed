// Package verifier compares what a step did with what the guide documents:
// it normalises both sides, matches with elisions and volatile tokens, and
// gives each step a verdict and a diff.
package verifier

import runbook "github.com/runbookdev/runbook"

// Options carry what judging needs beyond the step and its outcome.
type Options struct {
	Home string // the shell's $HOME, so a documented "~" prompt dir can be checked against $PWD
}

// Verify judges one executed step. out is nil for a step that did not run.
// The outcome's Output must already be reverse-substituted (real values
// turned back into the guide's examples) by the caller.
func Verify(step runbook.Step, out *runbook.Outcome, opts Options) runbook.Result {
	return runbook.Result{Step: step, Outcome: out, Verdict: runbook.OK} // STUB: owned by the verifier helper
}
