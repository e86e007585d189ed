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
const reportFormats = "text, json, junit, markdown, github, html"

// defaultGuideTimeout bounds one guide of a check, so that a collection run
// always ends with a verdict for every guide.
const defaultGuideTimeout = 20 * time.Minute

type checkFlags struct {
	pf            paramFlags
	sections      sectionFlags
	noSandbox     bool
	keepGoing     bool
	reports       []string
	jobs          int
	timeout, idle time.Duration
	guideTimeout  time.Duration
	record        string
	generate      bool   // random values for secrets that have none
	shard         string // K/N
	baseline      string // a previous run's JSON report
	verbose       bool   // the text report lists the volatile tokens masked per step
	sf            sandboxFlags
	gaps          hostGaps // from the profile: what the real host has and the sandbox lacks
	failOn        string   // "drift" (the default) or "failed": what makes the exit code 1
}

// reportSpec is one --report FMT[:FILE]; an empty file means stdout.
type reportSpec struct {
	format, file string
}

func newCheckCmd(e env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check GUIDE-or-DIR...",
		Short: "Run guides and report where they drifted from reality",
		Long: `Run each guide from start to end and judge every step: ok, drift (it ran, but
the documented output or prompt directory is wrong), failed, skipped (after a
failure, unless --keep-going; also the steps of sections off the install path,
such as Updates or an "Option B", unless --section TITLE or --all asks for them:
these do not make the exit code 1) or manual. The text report shows diffs under
drifted steps; --report writes text, json, junit, markdown, github annotations
or one html page, to stdout or to a file, and may be given more than once.

check runs each guide in its own throwaway sandbox (bubblewrap): a host that
looks like the one the guide was written for, by default Uberspace's stardust
(--profile), with the guide's own user, host name and domains (after --set), its
own network (loopback only) and its real services (PostgreSQL, supervisord).
Nothing is written outside the sandbox's folder, which is removed afterwards
unless --keep. What only the internet could give (a pip install from PyPI, a git
clone from GitHub) is done by a stand-in, and the step is marked simulated.
--no-sandbox runs the commands on this host for real instead, as you, in a plain
non-login bash whose HOME is a new empty directory for each guide: use a
throwaway machine, container or user.

A step that types or writes a secret with no value fails with the reason; give
values with --set or --params, or pass --generate-secrets for random ones.
Secrets are never printed.

A collection: a directory stands for every *.rst and *.md guide under it, less
the files that others include and those with no steps. -j N checks N guides at
once; --shard K/N checks the K-th of N stable parts of the collection (a guide's
part follows from its path inside the directory), so that a CI matrix splits the
work, and 'runbook report merge' joins the parts' JSON reports. --baseline
LAST.json marks the guides and steps that are newly broken or newly fixed since
that run. Each guide has a time bound (--guide-timeout); a guide that takes
longer is stopped and reported, and the others go on.

Times, durations, sizes, speeds, pids, uptimes, hashes, ids, progress figures
and versions may differ from the guide without counting as drift; -v lists, per
step, which were masked (documented→actual). A number the command computed (a
count, a port, an exit code) or one the guide itself spells out must match.

Examples:
  runbook check guides/synapse.rst --generate-secrets
  runbook check guides/synapse.rst --generate-secrets --fail-on failed
  runbook check -v guides/synapse.rst --generate-secrets
  runbook check guides/synapse.rst --set isabell=alice --set example.org=alice.dev --keep
  runbook check --keep-going guides/*.rst -j 4 \
      --report text --report junit:report.xml --report github
  runbook check lab/ -j 2 --shard 1/3 --report json:shard1.json
  runbook check lab/ -j 2 --baseline last.json \
      --report html:out/report.html --report markdown:out/summary.md
  runbook check --no-sandbox fixtures/drift.rst

Exit codes: 0 every step ok or manual, 1 something drifted, failed or was
skipped (or a guide ran out of time; with --fail-on failed, drift alone
exits 0: it is in the report, and only a step that failed or was skipped
makes it 1), 2 wrong invocation, a guide that cannot
be read or parsed, or no sandbox (bwrap missing: apt-get install bubblewrap).`,
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
			if f.failOn != "drift" && f.failOn != "failed" {
				return usageErrorf("--fail-on wants drift or failed, got %q", f.failOn)
			}
			if f.guideTimeout <= 0 {
				return usageErrorf("--guide-timeout wants a positive duration, got %s", f.guideTimeout)
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
	fl.BoolVar(&f.noSandbox, "no-sandbox", false, "run on this host, for real, each guide with a new empty HOME, instead of in a sandbox")
	f.sf.register(fl)
	fl.BoolVar(&f.keepGoing, "keep-going", false, "run the steps after a failed or drifted one instead of skipping them")
	fl.StringVar(&f.failOn, "fail-on", "drift",
		"what makes the exit code 1: drift (any drifted, failed or skipped step) or failed (only a failed or skipped step; drift is reported, exit 0)")
	fl.StringArrayVar(&f.reports, "report", nil,
		"write a report as `FMT[:FILE]`: text, json, junit, markdown, github or html, to FILE or stdout; repeatable (default text)")
	fl.IntVarP(&f.jobs, "jobs", "j", 1, "check `N` guides at once, each in its own place")
	fl.DurationVar(&f.timeout, "timeout", defaultTimeout, "stop a step that runs longer than `D`")
	fl.DurationVar(&f.idle, "idle", defaultIdle, "interrupt a prompt nobody answers after `D`")
	fl.DurationVar(&f.guideTimeout, "guide-timeout", defaultGuideTimeout, "stop a guide that runs longer than `D` in all, report it and go on")
	fl.StringVar(&f.record, "record", "", "write an asciinema v2 recording to `FILE.cast` (one guide; secrets masked)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "in the text report, list the volatile tokens each step masked (e.g. duration 6.1ms→5.2ms)")
	fl.BoolVar(&f.generate, "generate-secrets", false, "make random values for secrets that have none, instead of failing the steps that use them")
	fl.StringVar(&f.shard, "shard", "", "check only the `K/N`-th part of the guides (a stable split by path, for a CI matrix)")
	fl.StringVar(&f.baseline, "baseline", "", "mark what is newly broken or fixed since the run that wrote `LAST.json` (--report json)")
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
	path    string
	guide   *runbook.Guide // parsed, values not yet applied: the home depends on the guide's place
	params  []runbook.Param
	report  report.Report
	err     error
	skipped bool           // could not be read or parsed
	problem string         // why, when skipped
	noPlace bool           // its sandbox or home could not be made: the machine's fault, not the guide's
	blocked map[int]string // steps that need a secret with no value, and why
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

func checkGuides(e env, args []string, f *checkFlags, specs []reportSpec) error {
	if err := checkDurations(f.timeout, f.idle); err != nil {
		return err
	}
	sh, err := parseShard(f.shard)
	if err != nil {
		return err
	}
	guides, err := expandGuides(args, &f.pf.guideFlags, e.stderr)
	if err != nil {
		return err
	}
	all := len(guides)
	guides = pickShard(guides, sh)
	if f.record != "" && len(guides) > 1 {
		return usageErrorf("--record records one guide; %d were given", len(guides))
	}
	base, err := readBaseline(f.baseline)
	if err != nil {
		return err
	}
	if sh.n > 1 {
		fmt.Fprintf(e.stderr, "%s: shard %d/%d: %d of %d guides\n", programName, sh.k, sh.n, len(guides), all)
	}
	code := exitOK
	f.pf.lenient = len(guides) > 1
	jobs := make([]*checkJob, len(guides))
	for i, g := range guides {
		jobs[i] = prepareCheck(e, g.path, &f.pf, f.generate)
		if jobs[i].skipped {
			code = exitUsage
		}
	}
	if len(jobs) > 0 && !slices.ContainsFunc(jobs, func(j *checkJob) bool { return !j.skipped }) {
		return exitCode(exitUsage) // no guide could be read: no report to write
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
	var newPlace placeMaker
	if f.noSandbox {
		newPlace = freshHomes(f.sf.keep)
	} else {
		hs, err := profileHostSecrets(f.sf.profile)
		if err != nil {
			return err
		}
		if f.gaps, err = profileGaps(f.sf.profile); err != nil {
			return err
		}
		newPlace = sandboxPlaces(f.sf, sec, hs)
	}
	if err := runChecks(ctx, e, jobs, f, sec, newPlace); err != nil {
		return err
	}
	reps, worst := collectReports(e, ctx, jobs, sec, f.failOn == "drift")
	code = max(code, worst)
	if base != nil {
		reps = report.MarkChanges(reps, base)
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

// collectReports gathers the jobs' reports in order, a guide that could not
// be checked included with the reason, and the worst exit code they make.
func collectReports(e env, ctx context.Context, jobs []*checkJob, sec *secrets, drift bool) ([]report.Report, int) {
	var reps []report.Report
	code := exitOK
	for _, j := range jobs {
		if j.skipped {
			reps = append(reps, report.Report{Guide: j.path, Error: j.problem})
			continue
		}
		j.report.Lint = guideFindings(j.guide)
		reps = append(reps, j.report)
		if j.err != nil && ctx.Err() == nil {
			fmt.Fprintf(e.stderr, "%s: %s: %v\n", programName, j.path, sec.redact(j.err.Error()))
			code = max(code, exitFound)
		}
		if j.report.Error != "" {
			code = max(code, exitFound)
		}
		if j.noPlace {
			fmt.Fprintf(e.stderr, "%s: %s: %s\n", programName, j.path, sec.redact(j.report.Error))
			code = max(code, exitUsage)
		}
		code = max(code, verdictCodeFor(j.report.Results, drift))
	}
	return reps, code
}

// readBaseline reads --baseline's JSON report; none given means nil.
func readBaseline(path string) ([]report.Report, error) {
	if path == "" {
		return nil, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, usageErrorf("--baseline %s: %v", path, unwrapPath(err))
	}
	defer fh.Close()
	reps, err := report.Decode(fh, path)
	if err != nil {
		return nil, usageErrorf("--baseline: %v", err)
	}
	return reps, nil
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
// random ones with --generate-secrets, else the steps that use them are blocked.
func prepareCheck(e env, path string, pf *paramFlags, generate bool) *checkJob {
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
	if err != nil {
		var ee *exitError
		if !errors.As(err, &ee) || ee.err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", programName, err)
		}
		j.skipped = true
		j.problem = "cannot be checked: " + strings.TrimPrefix(err.Error(), path+": ")
		return j
	}
	j.guide = g
	warnNoSteps(e.stderr, path, g)
	return j
}

// runChecks runs the jobs, at most f.jobs at a time, each in a fresh place
// of its own made by newPlace.
func runChecks(ctx context.Context, e env, jobs []*checkJob, f *checkFlags, sec *secrets, newPlace placeMaker) error {
	var recw io.Writer
	if f.record != "" {
		rec, err := os.Create(f.record)
		if err != nil {
			return usageErrorf("--record: %v", err)
		}
		defer rec.Close()
		rw := sec.writer(rec)
		defer rw.Close()
		recw = rw
	}
	var ready []*checkJob
	for _, j := range jobs {
		if !j.skipped {
			ready = append(ready, j)
		}
	}
	var progress *collectionProgress // several guides: a line each and the overall bar
	var status *statusline.Display   // one guide: its long steps show that they are alive
	var mu sync.Mutex                // serialises the step lines of one guide
	var stderr io.Writer = e.stderr
	if len(ready) > 1 {
		progress = newCollectionProgress(e.stderr, len(ready), sec)
		defer progress.close()
		stderr = progress // the sandboxes' messages go above the running guides' lines
	} else if len(ready) == 1 {
		status = newStatus(e.stderr, sec)
		stderr = status // the sandbox's messages too go where the status line makes room for them
	}
	stderr = &lockedWriter{mu: new(sync.Mutex), w: stderr}
	var wg sync.WaitGroup
	sem := make(chan struct{}, f.jobs)
	for _, j := range ready {
		opts := runner.Options{KeepGoing: f.keepGoing, PastDrift: true, Timeout: f.timeout, Idle: f.idle,
			Blocked: j.blocked, Record: recw, Messages: messages(j.params)}
		f.sections.apply(&opts)
		wg.Add(1)
		sem <- struct{}{}
		switch {
		case progress != nil:
			opts.Progress, opts.Output = progress.started(j.path)
		case isTerminal(e.stderr) || status != nil:
			opts.Progress = checkProgress(e.stderr, &mu, j.path, sec, status)
			if status != nil {
				opts.Output = status.Task()
			}
		}
		go func(j *checkJob, opts runner.Options) {
			defer func() { <-sem; wg.Done() }()
			checkOne(ctx, stderr, j, f, opts, newPlace)
			if progress != nil {
				progress.finished(j.path, j.report)
			}
		}(j, opts)
	}
	wg.Wait()
	return nil
}

// checkOne runs one guide in a fresh place, within the guide's time bound.
func checkOne(ctx context.Context, stderr io.Writer, j *checkJob, f *checkFlags, opts runner.Options, newPlace placeMaker) {
	j.report = report.Report{Guide: j.path, Title: j.guide.Title}
	defer func() { // a bug in one guide's run must not take the others down
		if r := recover(); r != nil {
			j.err = fmt.Errorf("internal error: %v (this is a bug in runbook)", r)
			j.report.Guide = j.path
		}
	}()
	pl, err := newPlace(ctx, j, stderr)
	if err != nil {
		j.report.Error, j.noPlace = err.Error(), true
		return
	}
	defer func() {
		if err := pl.close(); err != nil && j.err == nil {
			j.err = err
		}
		if f.sf.keep {
			fmt.Fprintf(stderr, "%s: %s: %s\n", programName, j.path, pl.kept())
		}
	}()
	pl.setup(&opts)
	params := withHome(j.params, pl.home())
	gctx, cancel := context.WithTimeout(ctx, f.guideTimeout)
	defer cancel()
	j.report, j.err = runner.Run(gctx, applyValues(j.guide, params), runbook.NewReplacer(params), opts)
	if j.report.Guide == "" {
		j.report.Guide = j.path
	}
	if errors.Is(gctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		outOfTime(&j.report, f.guideTimeout)
		j.err = nil
	}
	markCannotRun(&j.report, f.gaps, !f.noSandbox)
}

// outOfTime says, in the report, that the guide was stopped at its time
// bound: the step under way failed for that reason, the rest were not run.
func outOfTime(rep *report.Report, limit time.Duration) {
	why := fmt.Sprintf("the guide took longer than --guide-timeout %s", limit)
	rep.Error = "stopped: " + why
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.Reason != "interrupted" {
			continue
		}
		if r.Verdict == runbook.Skipped {
			r.Reason = "not run: " + why
		} else {
			r.Reason = "stopped: " + why
		}
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
