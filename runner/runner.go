// Package runner drives one guide through the executor and the verifier,
// step by step: selection (--from/--to/--resume), confirmation, progress,
// the state file, recording, and stopping at the first bad step.
//
// Everything that leaves the runner (results, events, the state file, the
// recording and the live output) has had its secrets masked; results and
// events also carry the guide's example values again (Replacer.Reverse), so
// that they compare with, and can be written back into, the guide. The state
// file holds the guide's name, a fingerprint of the steps done, the id of the
// last good step, the shell's directory and the time: no values, no output.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
	"github.com/runbookdev/runbook/verifier"
	"github.com/runbookdev/runbook/verifier/report"
)

// Options configures one run of one guide.
type Options struct {
	From, To  int  // 1-based inclusive step range; 0 means open
	KeepGoing bool // run the steps after a failure instead of skipping them
	// PastDrift keeps going after a drifted step (check): the step did its
	// work, only its documentation is wrong, so later steps still mean something.
	PastDrift bool
	DryRun    bool                            // print what would run and each file change as a diff; run nothing
	Login     bool                            // start a login shell (run on the real host)
	Timeout   time.Duration                   // per step
	Idle      time.Duration                   // unanswered-prompt limit
	Dir       string                          // initial working directory
	Confirm   func(section []string) Decision // asked before each section that runs; nil means run them all
	Progress  func(Event)                     // called as steps start and end; may be nil
	Record    io.Writer                       // asciinema v2 .cast output; may be nil
	StatePath string                          // where progress is saved for --resume; empty means none
	Resume    bool                            // continue after the last good step recorded in StatePath
	// Sections names sections (titles at any level, any case) that run
	// although their role (maintenance, alternative, optional,
	// troubleshooting) does not run by default; AllSections runs them all.
	Sections    []string
	AllSections bool

	// Env is extra environment for the shell (KEY=VALUE); a HOME or USER
	// given here is also what file steps expand ~ and $USER with.
	Env []string
	// Home overrides the home directory file steps and the prompt check use
	// (a sandbox's /home/isabell); empty means HOME from Env, else the user's.
	Home string
	// Argv is the shell command (a sandbox passes its bwrap wrapper); nil means bash.
	Argv []string
	// BackupDir is where files are saved before their first change; empty means beside the file.
	BackupDir string
	// Output receives the terminal output as it arrives, secrets redacted, for live display.
	Output io.Writer
	// Blocked fails steps without running them, by step ID, with the reason
	// given: a check with no value for a secret a step types or writes.
	Blocked map[int]string
	// Messages turns real values back into the guide's in what a person
	// reads as a reason: the user's values, but not this host's home, which
	// the Replacer given to Run maps to the guide's for the comparison. A
	// reason that said /home/isabell/x for a file in /root/x would send the
	// reader to the wrong place. Nil means the Replacer given to Run.
	Messages *runbook.Replacer
	// Sandbox, when set, is where the guide runs instead of this host: its
	// shell, its home and user, its files (Root) and its stand-ins' marks.
	// It overrides Argv, Home, Login and the user from Env.
	Sandbox Sandbox
	// Ask puts a question the guide does not answer to a person (run on a
	// terminal); nil fails such a prompt after Idle.
	Ask func(ctx context.Context, q Question) (string, error)
}

// Sandbox is a throwaway host a run happens in (*sandbox.Sandbox).
type Sandbox interface {
	// ShellOptions changes a shell's options to start it inside.
	ShellOptions(executor.ShellOptions) executor.ShellOptions
	Home() string
	User() string
	Host() string
	// Root maps file steps' paths to the host folders that back them.
	Root() executor.Root
	// MarkSimulated marks a command's outcome when a stand-in ran during it.
	MarkSimulated(*runbook.Outcome)
}

// Question is a prompt the guide does not answer, for Options.Ask.
type Question struct {
	executor.Question // its prompt has its secrets masked
	// Show releases the program's prompt, held back in the live output
	// until its line ends, so the person sees it. Call it once the terminal
	// is ready for the answer (its echo off for a hidden one).
	Show func()
}

// Event reports progress to the CLI. A step that runs gets a start event
// (Result nil) and an end event; a step that is skipped gets only the end event.
type Event struct {
	Step runbook.Step
	// Index and Total are the i/N of the progress counter: the step's own
	// number in the guide and the guide's step count, so that a run with
	// --from or --resume counts as `runbook steps` numbers (17/56, not 1/40).
	Index   int
	Total   int
	Result  *runbook.Result // nil when the step is starting
	Elapsed time.Duration
}

// shell is the part of *executor.Shell the runner uses; tests substitute a fake.
type shell interface {
	Run(ctx context.Context, cmd *runbook.Command) *runbook.Outcome
	Dir() string
	Alive() bool
	Close() error
}

// parts are the executor entry points one run uses.
type parts struct {
	startShell func(ctx context.Context, o executor.ShellOptions) (shell, error)
	applyFile  func(f *executor.Files, step *runbook.File) *runbook.Outcome
	verify     func(step runbook.Step, out *runbook.Outcome, o verifier.Options) runbook.Result
}

// realParts binds the runner to the real executor.
func realParts() parts {
	return parts{
		startShell: func(ctx context.Context, o executor.ShellOptions) (shell, error) {
			return executor.StartShell(ctx, o)
		},
		applyFile: func(f *executor.Files, step *runbook.File) *runbook.Outcome { return f.Apply(step) },
		verify:    verifier.Verify,
	}
}

// Run executes the guide (already parameterised) and returns the report.
// Only the selected steps (--from/--to, or after the last good step on
// --resume) appear in the report. Every string in the report, the events,
// the state file and the recording has had its secrets redacted and its
// real values turned back into the guide's examples (the recording is only
// redacted). When ctx is cancelled, the step under way is interrupted, the
// state is saved and Run returns the partial report (the rest skipped,
// reason "interrupted") together with ctx.Err().
func Run(ctx context.Context, g *runbook.Guide, r *runbook.Replacer, opts Options) (report.Report, error) {
	return runWith(ctx, g, r, opts, realParts())
}

func runWith(ctx context.Context, g *runbook.Guide, r *runbook.Replacer, opts Options, p parts) (report.Report, error) {
	rep := report.Report{Guide: g.Name, Title: g.Title}
	if r == nil {
		r = runbook.NewReplacer(nil)
	}
	ru, err := newRun(g, r, opts, p)
	if err != nil {
		return rep, err
	}
	ru.loop(ctx)
	closeErr := ru.close()
	rep.Results = ru.results
	return rep, errors.Join(ru.err, closeErr)
}

// loop runs or skips each selected step in order.
func (ru *run) loop(ctx context.Context) {
	var section []string
	for i, st := range ru.sel {
		idx := ru.ids[i]
		newSection := i == 0 || !slices.Equal(section, st.Head().Section)
		section = st.Head().Section
		if ru.offPath(st) == "" { // nobody is asked about a section that does not run
			ru.gate(ctx, newSection, section)
		}
		if reason, unselected := ru.skipReason(st); reason != "" {
			res := runbook.Result{Step: ru.public(st), Verdict: runbook.Skipped, Reason: reason, Unselected: unselected}
			ru.finish(idx, res)
			if unselected {
				ru.settle(ctx, res)
			}
			continue
		}
		st, notes := ru.withFlows(st)
		ru.event(Event{Step: ru.public(st), Index: idx})
		res := ru.step(ctx, st)
		if res.Outcome != nil {
			res.Outcome.Notes = append(res.Outcome.Notes, notes...)
		}
		if ctx.Err() != nil && res.Verdict == runbook.Failed && res.Outcome != nil && errors.Is(res.Outcome.Err, ctx.Err()) {
			res.Reason = "interrupted"
		}
		ru.finish(idx, res)
		ru.settle(ctx, res)
	}
}

// gate stops the run before a step when Ctrl-C has come, and asks the
// person about the step's section as it begins: run it, skip it, or stop.
func (ru *run) gate(ctx context.Context, newSection bool, section []string) {
	if ru.stop == "" && ctx.Err() != nil {
		ru.halt("interrupted", ctx.Err())
	}
	if ru.stop == "" && newSection {
		ru.ask(section)
	}
	if ru.stop == "" && ctx.Err() != nil { // Ctrl-C while the question was open
		ru.halt("interrupted", ctx.Err())
	}
}

// finish records a result and reports it.
func (ru *run) finish(idx int, res runbook.Result) {
	ru.results = append(ru.results, res)
	last := &ru.results[len(ru.results)-1]
	ru.event(Event{Step: res.Step, Index: idx, Result: last})
}

// settle advances the saved progress after a step and decides whether to stop.
func (ru *run) settle(ctx context.Context, res runbook.Result) {
	id := res.Step.Head().ID
	// A step not chosen to run (off the install path, or its section
	// declined) does not hold back --resume: it was meant to be left out.
	good := res.Verdict == runbook.OK || res.Verdict == runbook.ManualStep || res.Unselected
	if good && !ru.broken {
		ru.state.LastGood = id
	}
	if ctx.Err() != nil {
		ru.halt("interrupted", ctx.Err())
	}
	if !good && res.Verdict != runbook.Skipped {
		ru.broken = true
		if !ru.opts.KeepGoing && !(ru.opts.PastDrift && res.Verdict == runbook.Drift) {
			word := "failed"
			if res.Verdict == runbook.Drift {
				word = "drifted"
			}
			ru.halt(fmt.Sprintf("not run: step %d %s", id, word), nil)
		}
	}
	if err := ru.saveState(); err != nil {
		ru.halt("not run: cannot save the state", err)
	}
}

// halt makes every later step skipped with reason; err, if any, is returned by Run.
func (ru *run) halt(reason string, err error) {
	if ru.stop == "" {
		ru.stop = reason
	}
	if err != nil && ru.err == nil {
		ru.err = err
	}
}

// event calls the progress callback with the elapsed time filled in.
func (ru *run) event(e Event) {
	if ru.opts.Progress == nil {
		return
	}
	e.Total = len(ru.g.Steps)
	e.Elapsed = time.Since(ru.start)
	ru.opts.Progress(e)
}
