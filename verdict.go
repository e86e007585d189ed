package runbook

import "time"

// Verdict is the judgement on one step after it ran (or did not).
type Verdict string

const (
	// OK means the step ran and matched what the guide documents.
	OK Verdict = "ok"
	// Drift means the step ran but its documented output or prompt is wrong.
	Drift Verdict = "drift"
	// Failed means a non-zero exit, timeout, unanswered prompt or failed file write.
	Failed Verdict = "failed"
	// Skipped means the step did not run because an earlier one failed.
	Skipped Verdict = "skipped"
	// ManualStep means the step cannot be automated.
	ManualStep Verdict = "manual"
)

// Outcome is what happened when the executor ran one step, before any judgement.
type Outcome struct {
	Output    string        // captured terminal output, answers echoed as the terminal showed them; bounded
	Omitted   int           // lines dropped from the middle of Output to keep memory bounded
	Exit      int           // exit status; -1 when the command did not finish
	Dir       string        // $PWD after the step
	Duration  time.Duration // wall time of the step
	Simulated bool          // a stand-in ran instead of the real thing
	Stopped   bool          // a foreground program was stopped after its documented output (^C; ^D for a REPL left at its prompt)
	Err       error         // why the step could not complete: timeout, waiting for input, shell died, write failed
	Notes     []string      // facts worth reporting, e.g. "stopped with ^C after its documented output"
	Backup    string        // for a file step: where the previous content was saved
	// Answered are the answers the executor found by what the program did
	// rather than in the transcript: it waited for input right after
	// printing the start of documented line Line, so the rest of that line
	// was typed (Kind Hidden when the echo was off; Text is then empty).
	Answered []Answer
}

// Result is a step with its outcome and verdict; report writers consume a list of these.
type Result struct {
	Step    Step
	Outcome *Outcome // nil for skipped and manual steps
	Verdict Verdict
	Reason  string // one sentence for failed, skipped and manual
	Diff    string // unified line diff headed "file:line: documented=-, actual=+"; empty when none
	// Volatile counts the volatile tokens (timestamps, durations, pids, ...)
	// that differed without counting as drift.
	Volatile int
	// VolatileClasses are the classes of those tokens, each once, in the
	// order of the constants below; `check --report json` shows them.
	VolatileClasses []VolatileClass
	// Masked are those tokens, documented against actual, each pair once;
	// the verifier keeps only the first few (verifier.MaxMasked).
	Masked []Masked
	// Notes are facts the verifier found worth telling that are not drift,
	// e.g. where the shell was when the prompt shows no directory.
	Notes []string
	// Unselected marks a skipped step that was not chosen to run: its
	// section is not on the install path and was not asked for (--section,
	// --all), or the person said no to its section. It says nothing about
	// the guide, so it does not make the exit code 1.
	Unselected bool
}

// VolatileClass names a kind of token that is expected to change from run
// to run, so that a difference in it is not drift.
type VolatileClass string

// The volatile classes, in the order reports list them; the verifier's
// volatile.go says what each one matches.
const (
	Timestamp VolatileClass = "timestamp"
	Duration  VolatileClass = "duration"
	Size      VolatileClass = "size"
	Speed     VolatileClass = "speed"
	PID       VolatileClass = "pid"
	Uptime    VolatileClass = "uptime"
	Hash      VolatileClass = "hash"
	ID        VolatileClass = "id"
	Progress  VolatileClass = "progress"
	Version   VolatileClass = "version"
)

// Masked is one volatile token that differed: its class, and its text as
// documented and as the command printed it.
type Masked struct {
	Class      VolatileClass
	Documented string
	Actual     string
}
