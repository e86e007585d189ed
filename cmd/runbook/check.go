package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/statusline"
	"github.com/runbookdev/runbook/runner"
	"github.com/runbookdev/runbook/verifier/report"
)

// reportFormats names the writers report.Write knows.
const reportFormats = "text, json, junit, markdown, github"

type checkFlags struct {
	pf            paramFlags
	sections      sectionFlags
	noSandbox     bool
	keepGoing     bool
	reports       []string
	jobs          int
	timeout, idle time.Duration
	record        string
	generate      bool // random values for secrets that have none
	verbose       bool // the text report lists the volatile tokens masked per step
	sf            sandboxFlags
}

// reportSpec is one --report FMT[:FILE]; an empty file means stdout.
type reportSpec struct {
	format, file string
}

func newCheckCmd(e env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check GUIDE...",
		Short: "Run guides and report where they drifted from reality",
		Long: `Run each guide from start to end and judge every step: ok, drift (it ran, but
the documented output or prompt directory is wrong), failed, skipped (after a
failure, unless --keep-going; also the steps of sections off the install path,
such as Updates or an "Option B", unless --section TITLE or --all asks for them:
these do not make the exit code 1) or manual. The text report shows diffs under drifted
steps; --report writes text, json, junit, markdown or github annotations, to
stdout or to a file, and may be given more than once.

check runs each guide in its own throwaway sandbox (bubblewrap): a host that
looks like the one the guide was written for, by default Uberspace's stardust
(--profile), with the guide's own user, host name and domains (after --set), its
own network (loopback only) and its real services (PostgreSQL, supervisord).
Nothing is written outside the sandbox's folder, which is removed afterwards
unless --keep. What only the internet could give (a pip install from PyPI, a git
clone from GitHub) is done by a stand-in, and the step is marked simulated.
--no-sandbox runs the commands on this host for real instead, as you, in a plain
non-login bash starting in $HOME: use a throwaway machine, container or user.

A step that types or writes a secret with no value fails with the reason; give
values with --set or --params, or pass --generate-secrets for random ones.
Secrets are never printed.

Times, durations, sizes, speeds, pids, uptimes, hashes, ids, progress figures
and versions may differ from the guide without counting as drift; -v lists, per
step, which were masked (documented→actual). A number the command computed (a
count, a port, an exit code) or one the guide itself spells out must match.

Examples:
  runbook check guides/synapse.rst --generate-secrets
  runbook check -v guides/synapse.rst --generate-secrets
  runbook check guides/synapse.rst --set isabell=alice --set example.org=alice.dev --keep
  runbook check --keep-going guides/*.rst -j 4 \
      --report text --report junit:report.xml --report github
  runbook check --no-sandbox fixtures/drift.rst

Exit codes: 0 every step ok or manual, 1 something drifted, failed or was
skipped, 2 wrong invocation, a guide that cannot be read or parsed, or no
sandbox (bwrap missing: apt-get install bubblewrap).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !f.noSandbox {
				if err := sandboxReady(); err != nil {
					return err
				}
			}
			specs, err := parseReports(f.reports)
			if err != nil {
				return err
			}
			if f.jobs < 1 {
				return usageErrorf("-j wants at least 1, got %d", f.jobs)
			}
			if f.record != "" && len(args) > 1 {
				return usageErrorf("--record records one guide; %d were given", len(args))
			}
			if err := checkOutputs(specs, f.record); err != nil {
				return err
			}
			return checkGuides(e, args, &f, specs)
		},
	}
	fl := cmd.Flags()
	f.pf.register(fl)
	f.sections.register(fl)
	fl.BoolVar(&f.noSandbox, "no-sandbox", false, "run on this host, for real, instead of in a sandbox")
	f.sf.register(fl)
	fl.BoolVar(&f.keepGoing, "keep-going", false, "run the steps after a failed or drifted one instead of skipping them")
	fl.StringArrayVar(&f.reports, "report", nil,
		"write a report as `FMT[:FILE]`: text, json, junit, markdown or github, to FILE or stdout; repeatable (default text)")
	fl.IntVarP(&f.jobs, "jobs", "j", 1, "check `N` guides at once, each in its own shell")
	fl.DurationVar(&f.timeout, "timeout", defaultTimeout, "stop a step that runs longer than `D`")
	fl.DurationVar(&f.idle, "idle", defaultIdle, "interrupt a prompt nobody answers after `D`")
	fl.StringVar(&f.record, "record", "", "write an asciinema v2 recording to `FILE.cast` (one guide; secrets masked)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "in the text report, list the volatile tokens each step masked (e.g. duration 6.1ms→5.2ms)")
	fl.BoolVar(&f.generate, "generate-secrets", false, "make random values for secrets that have none, instead of failing the steps that use them")
	return cmd
}

// parseReports reads the --report values; none means text on stdout.
func parseReports(vals []string) ([]reportSpec, error) {
	if len(vals) == 0 {
		return []reportSpec{{format: "text"}}, nil
	}
	var specs []reportSpec
	for _, v := range vals {
		format, file, _ := strings.Cut(v, ":")
		if format == "" || !slices.Contains(strings.Split(reportFormats, ", "), format) {
			return nil, usageErrorf("--report %q: want FMT[:FILE] with FMT one of %s", v, reportFormats)
		}
		specs = append(specs, reportSpec{format: format, file: file})
	}
	return specs, nil
}

// checkOutputs refuses, before anything runs, report and recording files
// that could not be written where they were asked for.
func checkOutputs(specs []reportSpec, record string) error {
	for _, s := range specs {
		if s.file == "" {
			continue
		}
		if err := checkOutputFile(s.file); err != nil {
			return usageErrorf("--report %s:%s: %v", s.format, s.file, err)
		}
	}
	return checkRecordFile(record)
}

// checkRecordFile refuses a --record file that could not be written.
func checkRecordFile(path string) error {
	if path == "" {
		return nil
	}
	if err := checkOutputFile(path); err != nil {
		return usageErrorf("--record %s: %v", path, err)
	}
	return nil
}

// checkJob is one guide to check, ready to run.
type checkJob struct {
	path      string
	guide     *runbook.Guide
	params    []runbook.Param
	report    report.Report
	err       error
	skipped   bool           // could not be read or parsed
	noSandbox bool           // its sandbox could not be made: the machine's fault, not the guide's
	blocked   map[int]string // steps that need a secret with no value, and why
}

// blockedBySecrets fails, by step ID, each step that types or writes a secret
// that has no value, with a reason that says how to give one.
func blockedBySecrets(g *runbook.Guide, ps []runbook.Param) map[int]string {
	unset := map[string]bool{}
	for _, p := range ps {
		if p.Secret && p.Value == "" {
			unset[p.Name] = true
		}
	}
	blocked := map[int]string{}
	for _, st := range g.Steps {
		for _, name := range stepSecrets(g, st) {
			if unset[name] {
				blocked[st.Head().ID] = fmt.Sprintf("no value for the secret %s; set it with --set %s=VALUE or --params FILE, "+
					"or pass --generate-secrets", name, name)
				break
			}
		}
	}
	return blocked
}

func checkGuides(e env, paths []string, f *checkFlags, specs []reportSpec) error {
	if err := checkDurations(f.timeout, f.idle); err != nil {
		return err
	}
	code := exitOK
	home, homeErr := "", error(nil) // in a sandbox, each guide has its user's home there
	if f.noSandbox {
		home, homeErr = homeDir()
	}
	f.pf.lenient = len(paths) > 1
	jobs := make([]*checkJob, len(paths))
	runnable := false
	for i, path := range paths {
		jobs[i] = prepareCheck(e, path, &f.pf, home, f.generate)
		if jobs[i].skipped {
			code = exitUsage
		}
		runnable = runnable || !jobs[i].skipped
	}
	if homeErr != nil && runnable { // after the guides' own errors, which say more
		return homeErr
	}
	for _, j := range jobs {
		if !j.skipped && f.noSandbox {
			warnUser(e.stderr, j.params)
			break
		}
	}
	if keys := f.pf.unmatched(); f.pf.lenient && len(keys) > 0 {
		return usageErrorf("no guide has the parameter %q; 'runbook params GUIDE' lists a guide's parameters", keys[0])
	}
	if err := f.sections.check(readGuides(jobs)...); err != nil {
		return err
	}
	var allParams [][]runbook.Param
	for _, j := range jobs {
		allParams = append(allParams, j.params)
	}
	sec := newSecrets(nil, allParams...)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runChecks(ctx, e, jobs, f, sec, home); err != nil {
		return err
	}
	reps, code := collectReports(e, jobs, sec, ctx.Err() != nil, code)
	if len(reps) == 0 { // no guide could be read: no report (an empty one would read as "nothing wrong")
		return exitCode(code)
	}
	if err := writeReports(e, specs, reps, sec, f.verbose); err != nil {
		return err
	}
	if ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "runbook: interrupted")
		return exitCode(exitSignal)
	}
	return exitCode(code)
}

// collectReports gathers the reports of the guides that ran, says what went
// wrong in a run besides its verdicts, and raises the exit code to match.
func collectReports(e env, jobs []*checkJob, sec *secrets, interrupted bool, code int) ([]report.Report, int) {
	var reps []report.Report
	for _, j := range jobs {
		if j.skipped {
			continue
		}
		reps = append(reps, j.report)
		if j.err != nil && !interrupted {
			fmt.Fprintf(e.stderr, "%s: %s: %v\n", programName, j.path, sec.redact(j.err.Error()))
			code = max(code, exitFound)
		}
		if j.noSandbox {
			code = max(code, exitUsage)
		}
		code = max(code, verdictCode(j.report.Results))
	}
	return reps, code
}

// readGuides are the guides of the jobs that could be read.
func readGuides(jobs []*checkJob) []*runbook.Guide {
	var gs []*runbook.Guide
	for _, j := range jobs {
		if !j.skipped {
			gs = append(gs, j.guide)
		}
	}
	return gs
}

// prepareCheck reads a guide and binds its values; missing secrets get
// random ones with --generate-secrets, else the steps that use them are
// blocked. An empty home means the guide runs in a sandbox, where the home is
// its user's.
func prepareCheck(e env, path string, pf *paramFlags, home string, generate bool) *checkJob {
	j := &checkJob{path: path}
	g, err := pf.loadForRun(path, e.stderr)
	if err == nil {
		_, j.params, err = pf.apply(g)
	}
	if err == nil && generate {
		err = fillSecrets(e, j.params, nil, true)
	}
	if err == nil && !generate {
		j.blocked = blockedBySecrets(g, j.params)
	}
	if err == nil && home == "" {
		j.params = withHome(j.params, sandboxHome(j.params))
	} else if err == nil {
		j.params = withHome(j.params, home)
	}
	if err != nil {
		var ee *exitError
		if !errors.As(err, &ee) || ee.err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", programName, err)
		}
		j.skipped = true
		return j
	}
	j.guide = applyValues(g, j.params)
	warnNoSteps(e.stderr, path, g)
	return j
}

// runChecks runs the jobs, at most f.jobs at a time, each in its own shell.
func runChecks(ctx context.Context, e env, jobs []*checkJob, f *checkFlags, sec *secrets, home string) error {
	var rec *os.File
	if f.record != "" {
		var err error
		if rec, err = os.Create(f.record); err != nil {
			return usageErrorf("--record: %v", err)
		}
		defer rec.Close()
	}
	var recw io.Writer
	if rec != nil {
		rw := sec.writer(rec)
		defer rw.Close()
		recw = rw
	}
	var wg sync.WaitGroup
	var mu sync.Mutex // serialises progress lines from several guides
	sem := make(chan struct{}, f.jobs)
	var status *statusline.Display // one guide: its long steps show that they are alive
	var stderr io.Writer = e.stderr
	if runnable(jobs) == 1 {
		status = newStatus(e.stderr, sec)
		stderr = status // the sandbox's messages too go where the status line makes room for them
	}
	for _, j := range jobs {
		if j.skipped {
			continue
		}
		opts := runner.Options{KeepGoing: f.keepGoing, PastDrift: true, Timeout: f.timeout, Idle: f.idle, Dir: home,
			Blocked: j.blocked, Messages: messages(j.params)}
		f.sections.apply(&opts)
		if recw != nil {
			opts.Record = recw
		}
		if isTerminal(e.stderr) || status != nil {
			opts.Progress = checkProgress(e.stderr, &mu, j.path, sec, status)
		}
		if status != nil {
			opts.Output = status.Task()
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(j *checkJob, opts runner.Options) {
			defer func() { <-sem; wg.Done() }()
			defer func() { // a bug in one guide's run must not take the others down
				if r := recover(); r != nil {
					j.err = fmt.Errorf("internal error: %v (this is a bug in runbook)", r)
					j.report.Guide = j.path
				}
			}()
			runCheck(ctx, j, opts, f, sec, &lockedWriter{mu: &mu, w: stderr})
		}(j, opts)
	}
	wg.Wait()
	return nil
}

// runCheck runs one guide, in a fresh sandbox of its own unless --no-sandbox.
func runCheck(ctx context.Context, j *checkJob, opts runner.Options, f *checkFlags, sec *secrets, stderr io.Writer) {
	defer func() {
		if j.report.Guide == "" {
			j.report.Guide = j.path
		}
	}()
	r := runbook.NewReplacer(j.params)
	if f.noSandbox {
		j.report, j.err = runner.Run(ctx, j.guide, r, opts)
		return
	}
	sb, err := startSandbox(ctx, f.sf, guideSandbox{params: j.params, redact: sec.redact, log: stderr})
	if err != nil {
		j.err, j.noSandbox = fmt.Errorf("cannot make the sandbox: %w", err), true
		return
	}
	useSandbox(&opts, sb)
	j.report, j.err = runner.Run(ctx, j.guide, r, opts)
	if err := sb.Close(); err != nil && j.err == nil {
		j.err = err
	}
	if f.sf.keep {
		sayKept(stderr, j.path, sb)
	}
}

// checkProgress prints one line per finished step on a terminal; with a
// status display (one guide), the step that runs shows that it is alive
// there, also when the output is not a terminal (a CI log).
func checkProgress(w io.Writer, mu *sync.Mutex, path string, sec *secrets, status *statusline.Display) func(runner.Event) {
	if mu == nil {
		mu = new(sync.Mutex)
	}
	tty := isTerminal(w)
	if status != nil {
		w = status // the step lines go through it, so the status line is out of their way
	}
	return func(ev runner.Event) {
		mu.Lock()
		defer mu.Unlock()
		if status != nil {
			status.Stop()
			if ev.Result == nil {
				status.Start(statusLabel(ev, ev.Step))
			}
		}
		if ev.Result == nil || !tty {
			return
		}
		fmt.Fprintf(w, "%s [%d/%d %s] %s %s\n", path, ev.Index, ev.Total, clock(ev.Elapsed),
			ev.Step.Head().Pos, sec.redact(string(ev.Result.Verdict)))
	}
}

// runnable counts the jobs that will run.
func runnable(jobs []*checkJob) int {
	n := 0
	for _, j := range jobs {
		if !j.skipped {
			n++
		}
	}
	return n
}

// writeReports renders every requested report, secrets masked, to stdout or its file.
func writeReports(e env, specs []reportSpec, reps []report.Report, sec *secrets, verbose bool) error {
	for _, s := range specs {
		var buf bytes.Buffer
		color := s.file == "" && useColor(e.stdout)
		if err := report.Write(&buf, s.format, reps, report.Options{Color: color, Verbose: verbose}); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("--report %s: %v", s.format, err)}
		}
		out := sec.redact(buf.String())
		if s.file == "" {
			io.WriteString(e.stdout, out)
			continue
		}
		if err := writeFileAtomic(s.file, []byte(out)); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("--report %s:%s: %v", s.format, s.file, err)}
		}
	}
	return nil
}
