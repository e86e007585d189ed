package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor/sandbox"
	"github.com/runbookdev/runbook/internal/statusline"
	"github.com/runbookdev/runbook/parser/params"
	"github.com/runbookdev/runbook/runner"
)

// Defaults of the per-step limits (DESIGN.md, "Executing").
const (
	defaultTimeout = 10 * time.Minute
	defaultIdle    = 60 * time.Second
)

type runFlags struct {
	pf              paramFlags
	sections        sectionFlags
	from, to        int
	resume, dryRun  bool
	yes, keepGoing  bool
	sandbox         string // the sandbox's folder; sandboxNew for a new one; empty means this host
	sf              sandboxFlags
	timeout, idle   time.Duration
	record          string
	generateSecrets bool
}

func newRunCmd(e env) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run GUIDE",
		Short: "Run a guide's commands and write its files on this host, step by step",
		Long: `Run every command of a guide as the guide shows it, in one login shell on this
host, type the answers it documents, and write, merge or append its files. Each
section and step is printed as it goes, with its output. runbook asks before each
section unless --yes is given (y runs it, n skips that section and goes on, q
stops), and stops at the first step that fails or does not behave as documented.
Progress is saved, so --resume continues after the last good step once you have
fixed the problem.

Sections that are not part of the install are skipped: maintenance (Updates,
Backup, Password reset), alternatives (an "Option B" beside the "Option A" that
runs), optional extras ("If you want …", Tuning) and troubleshooting. 'runbook
steps' marks them; their steps are reported as skipped, with the reason, and do
not make the exit code 1. --section TITLE runs one as well (with its
subsections; any level, any case; repeatable), --all runs every section. To run only a
maintenance section on a host that is already installed, add --from and --to:

  runbook run guides/synapse.rst --section "Password reset" --from 35 --to 36

Set your own values with --set OLD=NEW (or --params FILE, or the sidecar
GUIDE.runbook.yaml). A secret with no value is asked for without echo when
runbook runs on a terminal; --generate-secrets makes random ones instead (they
end up where the guide puts them, such as config files, and are never printed).

Before anything runs for real, see what would happen:

  runbook run guides/synapse.rst --dry-run --set isabell=alice

Then run it, or a part of it:

  runbook run guides/synapse.rst --set isabell=alice --set example.org=alice.dev
  runbook run guides/synapse.rst --from 12 --to 20 --yes
  runbook run guides/synapse.rst --resume

Or try it first in a throwaway sandbox that looks like the guide's host
(Uberspace's stardust by default, --profile): the guide's user, host name and
domains, a private network, real PostgreSQL and supervisord, nothing written
outside the sandbox's folder. --sandbox alone makes a new folder, removed at the
end unless --keep; --sandbox=DIR keeps it in DIR, so --resume continues there:

  runbook run guides/synapse.rst --sandbox --yes --generate-secrets
  runbook run guides/synapse.rst --sandbox=/tmp/try --yes --generate-secrets
  runbook run guides/synapse.rst --sandbox=/tmp/try --yes --resume

The state file lives under $XDG_STATE_HOME/runbook (or ~/.local/state/runbook),
or in the sandbox's folder.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.sandbox == sandboxNew && len(args) == 2 { // `--sandbox DIR g.rst` reads DIR as an argument
				return usageErrorf("--sandbox takes its folder after =: --sandbox=%s", args[0])
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGuide(e, args[0], &f)
		},
	}
	fl := cmd.Flags()
	f.pf.register(fl)
	f.sections.register(fl)
	fl.IntVar(&f.from, "from", 0, "start at step `N` (see the numbers in 'runbook steps')")
	fl.IntVar(&f.to, "to", 0, "stop after step `N`")
	fl.BoolVar(&f.resume, "resume", false, "continue after the last good step of the previous run")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print what would run and each file change as a diff; change nothing")
	fl.BoolVarP(&f.yes, "yes", "y", false, "do not ask before each section (needed when stdin is not a terminal)")
	fl.BoolVar(&f.keepGoing, "keep-going", false, "run the steps after a failed or drifted one instead of stopping")
	fl.StringVar(&f.sandbox, "sandbox", "", "run in a sandbox, in a new folder or (--sandbox=DIR) in `DIR`, kept for --resume")
	fl.Lookup("sandbox").NoOptDefVal = sandboxNew
	f.sf.register(fl)
	fl.DurationVar(&f.timeout, "timeout", defaultTimeout, "stop a step that runs longer than `D`")
	fl.DurationVar(&f.idle, "idle", defaultIdle, "interrupt a prompt nobody answers after `D`")
	fl.StringVar(&f.record, "record", "", "write an asciinema v2 recording of the terminal to `FILE.cast` (secrets masked)")
	fl.BoolVar(&f.generateSecrets, "generate-secrets", false, "make random values for secrets that have none, instead of asking")
	return cmd
}

// prepareRun checks the flags, reads the guide and binds its values,
// asking for the secrets the chosen steps need.
func prepareRun(e env, path string, f *runFlags) (*runbook.Guide, []runbook.Param, error) {
	if err := checkRange(f.from, f.to); err != nil {
		return nil, nil, err
	}
	if err := checkDurations(f.timeout, f.idle); err != nil {
		return nil, nil, err
	}
	if err := checkRecordFile(f.record); err != nil {
		return nil, nil, err
	}
	if !f.dryRun {
		if err := makeStateFolder(path); err != nil {
			return nil, nil, err
		}
	}
	g, err := f.pf.loadForRun(path, e.stderr)
	if err != nil {
		return nil, nil, err
	}
	if err := checkRange(f.from, f.to, len(g.Steps)); err != nil {
		return nil, nil, err
	}
	if err := f.sections.check(g); err != nil {
		return nil, nil, err
	}
	_, ps, err := f.pf.apply(g)
	if err != nil {
		return nil, nil, err
	}
	if !f.yes && !f.dryRun && !isTerminal(e.stdin) {
		return nil, nil, usageErrorf("stdin is not a terminal; pass --yes to run every section without asking")
	}
	// A dry run asks for nothing: a secret with no value gets a random one
	// that only ever shows masked, as run would write the real one.
	if err := fillSecrets(e, ps, secretsUsed(g, f.from, f.to), f.generateSecrets || f.dryRun); err != nil {
		return nil, nil, err
	}
	return g, ps, nil
}

func runGuide(e env, path string, f *runFlags) error {
	g, ps, err := prepareRun(e, path, f)
	if err != nil {
		return err
	}
	home, err := runHome(f, ps)
	if err != nil {
		return err
	}
	warnBeforeRun(e.stderr, path, g, ps, f.sandbox != "")
	ps = withHome(ps, home)
	applied := applyValues(g, ps)
	r := runbook.NewReplacer(ps)
	sec := newSecrets(r, ps)
	opts, closeRec, err := runOptions(path, f, sec)
	if err != nil {
		return err
	}
	opts.Dir = home
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	where, resume := "on this host, in a login shell from "+home, "Ctrl-C stops; --resume continues."
	if f.sandbox == sandboxNew && !f.sf.keep {
		resume = "Ctrl-C stops; the sandbox goes at the end (--sandbox=DIR keeps it, for --resume)."
	}
	if f.sandbox != "" {
		sb, err := runSandbox(ctx, e, f, ps, sec, &opts)
		if err != nil {
			return err
		}
		defer closeRunSandbox(e, path, sb, f)
		where = fmt.Sprintf("in a sandbox (%s@%s, from %s; its folder is %s)", sb.User(), sb.Host(), sb.Home(), sb.Dir())
	}
	opts.Messages = messages(ps)
	status := newStatus(e.stdout, sec)
	var echo *echoFilter
	var screen io.Writer = status
	if isTerminal(e.stdout) {
		echo = &echoFilter{w: status}
		screen = echo
	}
	rw := sec.writer(screen)
	defer rw.Close()
	out := &lineWriter{w: rw, atStart: true}
	p := newProgress(out, applied, r, f.dryRun)
	opts.Progress = p.event
	if !f.dryRun { // the terminal as the commands run, prompts shown as a person would see them
		p.status = status
		var live io.Writer = out
		if !isTerminal(e.stdout) {
			live = &crlfWriter{w: out}
		}
		opts.Output = io.MultiWriter(live, status.Task())
	}
	var lines <-chan string // what the person types: answers to sections and to programs
	if !f.dryRun && (!f.yes || isTerminal(e.stdin)) {
		lines = terminalLines(e.stdin)
	}
	if isTerminal(e.stdin) && !f.dryRun {
		opts.Ask = (&personAsker{tty: e.stdin, lines: lines, echo: echo}).ask
	}
	if !f.yes && !f.dryRun {
		opts.Confirm = confirmer(ctx, lines, out, applied)
	}
	if f.dryRun {
		fmt.Fprintf(out, "Dry run of %s (%s): nothing runs, no file changes; secrets show as %s.\n",
			path, plural(len(applied.Steps), "step"), runbook.Mask)
	} else {
		fmt.Fprintf(out, "Running %s (%s) %s. %s\n", path, plural(len(applied.Steps), "step"), where, resume)
	}
	if opts.Ask != nil {
		fmt.Fprintln(out, "When a program asks something the guide does not answer, type the answer at its prompt.")
	}
	rep, runErr := runner.Run(ctx, applied, r, opts)
	if err := closeRec(); err != nil && runErr == nil {
		runErr = err
	}
	return finishRun(out, path, rep.Results, runErr, ctx.Err() != nil, f)
}

// runHome is where the run starts and what ~ means: the user's home in the
// sandbox, or $HOME on this host.
func runHome(f *runFlags, ps []runbook.Param) (string, error) {
	if f.sandbox != "" {
		if err := sandboxReady(); err != nil {
			return "", err
		}
		return sandboxHome(ps), nil
	}
	home, err := homeDir()
	if err != nil && !f.dryRun {
		return "", err
	}
	return home, nil
}

// runSandbox makes the sandbox of a run and points the options at it; the
// progress is saved in its folder.
func runSandbox(ctx context.Context, e env, f *runFlags, ps []runbook.Param, sec *secrets, opts *runner.Options) (*sandbox.Sandbox, error) {
	dir := ""
	if f.sandbox != sandboxNew {
		dir = f.sandbox
	}
	sb, err := startSandbox(ctx, f.sf, guideSandbox{params: ps, dir: dir, keep: dir != "", redact: sec.redact, log: e.stderr})
	if err != nil {
		return nil, usageErrorf("cannot make the sandbox: %v", err)
	}
	useSandbox(opts, sb)
	opts.StatePath = sb.StateFile()
	return sb, nil
}

// closeRunSandbox removes a new sandbox, or says where a kept one is.
func closeRunSandbox(e env, path string, sb *sandbox.Sandbox, f *runFlags) {
	if err := sb.Close(); err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", programName, err)
	}
	if f.sf.keep || f.sandbox != sandboxNew {
		sayKept(e.stderr, path, sb)
	}
}

// warnBeforeRun says what would make a run differ from the guide for
// reasons the guide is not to blame for.
func warnBeforeRun(w io.Writer, path string, g *runbook.Guide, ps []runbook.Param, sandboxed bool) {
	warnPlaceholders(w, ps)
	warnNoSteps(w, path, g)
	if !sandboxed { // a sandbox's user is the guide's
		warnUser(w, ps)
	}
}

// warnPlaceholders names the <placeholders> left as documented: the
// commands would run with the literal text.
func warnPlaceholders(w io.Writer, ps []runbook.Param) {
	for _, p := range ps {
		if p.Kind == runbook.ParamPlaceholder && !p.Secret && p.Value == p.Example {
			fmt.Fprintf(w, "%s: warning: %s has no value, so the guide's text is used as is; set it with --set %s=VALUE\n",
				programName, p.Example, p.Name)
		}
	}
}

// checkDurations refuses limits that would stop every step at once or never.
func checkDurations(timeout, idle time.Duration) error {
	if timeout <= 0 {
		return usageErrorf("--timeout %v: give a positive duration such as 10m or 90s", timeout)
	}
	if idle <= 0 {
		return usageErrorf("--idle %v: give a positive duration such as 60s or 5s", idle)
	}
	return nil
}

// checkRange validates --from and --to, and against the step count when given.
func checkRange(from, to int, total ...int) error {
	if from < 0 || to < 0 {
		return usageErrorf("--from and --to take step numbers from 1")
	}
	if from > 0 && to > 0 && from > to {
		return usageErrorf("--from %d is after --to %d", from, to)
	}
	if len(total) > 0 {
		if n := total[0]; from > n || to > n {
			return usageErrorf("the guide has %s; --from and --to must be at most %d", plural(n, "step"), n)
		}
	}
	return nil
}

// runOptions builds the runner's options for a run on the real host, opening
// the recording; the returned func closes it.
func runOptions(path string, f *runFlags, sec *secrets) (runner.Options, func() error, error) {
	opts := runner.Options{From: f.from, To: f.to, KeepGoing: f.keepGoing, DryRun: f.dryRun,
		Login: true, Timeout: f.timeout, Idle: f.idle, Resume: f.resume}
	f.sections.apply(&opts)
	sp, err := statePath(path)
	switch {
	case f.sandbox == sandboxNew && f.resume:
		return opts, nil, usageErrorf("--resume continues in the sandbox of an earlier run: give its folder, --sandbox=DIR")
	case f.sandbox != "" && f.sandbox != sandboxNew:
		sp, err = filepath.Join(f.sandbox, sandbox.StateFileName), nil
	}
	if err != nil {
		return opts, nil, usageErrorf("%v", err)
	}
	opts.StatePath = sp
	if f.resume {
		if _, err := os.Stat(sp); err != nil {
			return opts, nil, usageErrorf("%s: no saved progress to resume (looked for %s); run without --resume, or use --from N", path, sp)
		}
	}
	closeRec := func() error { return nil }
	if f.record != "" {
		rec, err := os.Create(f.record)
		if err != nil {
			return opts, nil, usageErrorf("--record: %v", err)
		}
		rw := sec.writer(rec)
		opts.Record = rw
		closeRec = func() error { return errors.Join(rw.Close(), rec.Close()) }
	}
	return opts, closeRec, nil
}

// makeStateFolder makes the folder of the guide's state file (the XDG rules
// say to make it when it is missing), so that a run that could not save its
// progress stops before it starts, not after its first step.
func makeStateFolder(path string) error {
	sp, err := statePath(path)
	if err != nil {
		return usageErrorf("%v", err)
	}
	dir := filepath.Dir(sp)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return usageErrorf("cannot keep the progress in %s: %v; set XDG_STATE_HOME to a folder you can write", dir, err)
	}
	return nil
}

// statePath names the state file of the guide at path: one per absolute
// path, under $XDG_STATE_HOME/runbook or ~/.local/state/runbook.
func statePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot find a place for the state file: %v (set XDG_STATE_HOME)", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	sum := sha256.Sum256([]byte(abs))
	name := fmt.Sprintf("%s-%s.json", filepath.Base(abs), hex.EncodeToString(sum[:8]))
	return filepath.Join(dir, "runbook", name), nil
}

// secretsUsed names the secret params that the steps from..to (0 means
// open) type or write, so that --from/--to do not ask for secrets that only
// steps outside the range use.
func secretsUsed(g *runbook.Guide, from, to int) map[string]bool {
	used := map[string]bool{}
	for _, st := range g.Steps {
		id := st.Head().ID
		if (from > 0 && id < from) || (to > 0 && id > to) {
			continue
		}
		for _, name := range stepSecrets(g, st) {
			used[name] = true
		}
	}
	return used
}

// stepSecrets names the secret params one step types (hidden answers) or
// writes (its text holds the secret's documented example).
func stepSecrets(g *runbook.Guide, st runbook.Step) []string {
	var names []string
	h := st.Head()
	for _, p := range g.Params {
		if !p.Secret {
			continue
		}
		for _, u := range p.Uses {
			if h.Pos.File == u.File && stepCovers(st, u.Line) {
				names = append(names, p.Name)
				break
			}
		}
	}
	if c, ok := st.(*runbook.Command); ok {
		for _, a := range c.Answers {
			if a.Kind == runbook.Hidden && a.Param != "" && !slices.Contains(names, a.Param) {
				names = append(names, a.Param)
			}
		}
	}
	return names
}

// stepCovers reports whether source line n falls within the step's text.
func stepCovers(st runbook.Step, n int) bool {
	start, lines := st.Head().Pos.Line, 1
	switch s := st.(type) {
	case *runbook.Command:
		lines = strings.Count(s.Text, "\n") + 1 + len(s.Expect)
	case *runbook.File:
		lines = strings.Count(s.Content, "\n") + 1
	case *runbook.Manual:
		lines = strings.Count(s.Content, "\n") + 1
	}
	return n >= start && n <= start+lines
}

// fillSecrets gives every secret that the selected steps use (used) and
// that has no value (every secret when used is nil) one: asked without echo on a terminal, or random with
// --generate-secrets; otherwise it is an invocation error that names the
// secret and how to set it.
func fillSecrets(e env, ps []runbook.Param, used map[string]bool, generate bool) error {
	for _, p := range ps {
		if !p.Secret || p.Value != "" || (used != nil && !used[p.Name]) {
			continue
		}
		var v string
		var err error
		switch {
		case generate:
			v, err = randomSecret()
		case isTerminal(e.stdin):
			v, err = askSecret(e, p)
		default:
			return usageErrorf("the secret %s %s has no value; set it with --set %s=VALUE or --params FILE, "+
				"or pass --generate-secrets to make a random one", p.Name, secretWhere(p), p.Name)
		}
		if err != nil {
			return err
		}
		if err := params.Set(ps, p.Name, v); err != nil {
			return usageErrorf("%v", err)
		}
		for i := range ps { // in case params.Set is not yet binding values
			if ps[i].Name == p.Name && ps[i].Value == "" {
				ps[i].Value = v
			}
		}
	}
	return nil
}

// secretWhere says where a secret shows in the guide, for messages.
func secretWhere(p runbook.Param) string {
	var at string
	if len(p.Uses) > 0 {
		at = "at " + p.Uses[0].String()
	}
	if p.Example == "" {
		return "(typed at a hidden prompt " + at + ")"
	}
	if at != "" {
		at = ", " + at
	}
	return fmt.Sprintf("(documented as %q%s)", p.Example, at)
}

// askSecret reads a secret's value from the terminal without echo.
func askSecret(e env, p runbook.Param) (string, error) {
	fmt.Fprintf(e.stderr, "Value for the secret %s %s: ", p.Name, secretWhere(p))
	fd := int(e.stdin.Fd())
	// Ctrl-C while echo is off must not leave the terminal without echo.
	if st, err := term.GetState(fd); err == nil {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		done := make(chan struct{})
		defer func() { signal.Stop(sig); close(done) }()
		go func() {
			select {
			case <-sig:
				term.Restore(fd, st)
				fmt.Fprintln(e.stderr, "\nrunbook: interrupted; nothing ran")
				os.Exit(exitSignal)
			case <-done:
			}
		}()
	}
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", usageErrorf("reading the secret %s: %v", p.Name, err)
	}
	if len(b) == 0 {
		return "", usageErrorf("the secret %s needs a value; set it with --set %s=VALUE or pass --generate-secrets", p.Name, p.Name)
	}
	return string(b), nil
}

// randomSecret makes a 24-character secret from crypto/rand, in letters and
// digits so it is safe inside any config syntax and shell quoting.
func randomSecret() (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	return randomFrom(alphabet, 24), nil
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			continue
		}
		// Reject the top of the byte range so each letter is equally likely.
		if int(buf[0]) >= 256-256%len(alphabet) {
			continue
		}
		b[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(b)
}

// confirmer asks before each section that runs: y (or Enter) runs it, n
// skips that section only, q stops the run; another answer asks again. It
// reads the person's answers from answers. Ctrl-C or the end of the input
// while it waits stops the run.
func confirmer(ctx context.Context, answers <-chan string, out io.Writer, g *runbook.Guide) func([]string) runner.Decision {
	return func(section []string) runner.Decision {
		n := 0
		for _, s := range g.Steps {
			if equalPath(s.Head().Section, section) {
				n++
			}
		}
		fmt.Fprintf(out, "\n%s (%s). Run it? [Y/n/q] ", sectionTitle(g, section), plural(n, "step"))
		for {
			select {
			case <-ctx.Done():
				fmt.Fprintln(out)
				return runner.StopRun
			case line, ok := <-answers:
				if lw, isLW := out.(*lineWriter); isLW {
					lw.atStart = true // the answer's own newline ended the question's line
				}
				if !ok {
					fmt.Fprintln(out)
					return runner.StopRun
				}
				if d, known := sectionAnswer(line); known {
					return d
				}
				fmt.Fprint(out, "Answer y to run this section, n to skip it and go on, q to stop here. [Y/n/q] ")
			}
		}
	}
}

// sectionAnswer reads an answer to the question before a section.
func sectionAnswer(line string) (runner.Decision, bool) {
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "", "y", "yes":
		return runner.RunSection, true
	case "n", "no", "s", "skip":
		return runner.SkipSection, true
	case "q", "quit", "stop":
		return runner.StopRun, true
	}
	return runner.RunSection, false
}

func equalPath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// progress prints each section and step of a run as it goes.
type progress struct {
	w       io.Writer
	g       *runbook.Guide
	byID    map[int]runbook.Step // the steps with the user's values, to show what really runs
	r       *runbook.Replacer    // puts the user's values back into what the runner reports
	dry     bool
	section string
	lines   *lineWriter         // the live output; a progress line starts on a line of its own
	status  *statusline.Display // the status line of the step that runs; nil on a dry run
}

func newProgress(w io.Writer, g *runbook.Guide, r *runbook.Replacer, dry bool) *progress {
	p := &progress{w: w, g: g, r: r, dry: dry, byID: map[int]runbook.Step{}}
	if lw, ok := w.(*lineWriter); ok {
		p.lines = lw
	}
	for _, s := range g.Steps {
		p.byID[s.Head().ID] = s
	}
	return p
}

func (p *progress) event(ev runner.Event) {
	if p.status != nil {
		p.status.Stop()
	}
	if p.lines != nil && !p.lines.atStart { // output that ended without a newline ("^C", printf)
		io.WriteString(p.w, "\n")
	}
	step := ev.Step
	if s, ok := p.byID[step.Head().ID]; ok {
		step = s
	}
	if ev.Result != nil && ev.Result.Unselected {
		p.leftOut(ev.Result, step)
		return
	}
	if title := sectionTitle(p.g, step.Head().Section); title != p.section && (ev.Result == nil || ev.Result.Verdict != runbook.Skipped || p.dry) {
		fmt.Fprintf(p.w, "\n%s\n", title)
		p.section = title
	}
	if p.dry {
		if ev.Result != nil {
			p.dryStep(ev, step)
		}
		return
	}
	if ev.Result == nil {
		fmt.Fprintf(p.w, "[%d/%d %s] %s\n", ev.Index, ev.Total, clock(ev.Elapsed), stepLine(step))
		if p.status != nil {
			p.status.Start(statusLabel(ev, step))
		}
		return
	}
	fmt.Fprintf(p.w, "%s\n", resultLine(ev))
	if ev.Result.Verdict == runbook.Drift || ev.Result.Verdict == runbook.Failed {
		if d := ev.Result.Diff; d != "" {
			fmt.Fprintf(p.w, "%s\n", strings.TrimRight(d, "\n"))
		}
	}
}

// leftOut says once per section that its steps do not run, and why: the
// section is off the install path, or the person said no to it.
func (p *progress) leftOut(res *runbook.Result, step runbook.Step) {
	path := step.Head().Section
	title := sectionTitle(p.g, path)
	if title == p.section {
		return
	}
	p.section = title
	n := 0
	for _, s := range p.g.Steps {
		if equalPath(s.Head().Section, path) {
			n++
		}
	}
	fmt.Fprintf(p.w, "\n%s\n  %s not run: %s\n", title, plural(n, "step"), res.Reason)
}

// dryStep prints what a step would do, and the diff of a file change.
func (p *progress) dryStep(ev runner.Event, step runbook.Step) {
	var b strings.Builder
	writeStep(&b, p.g, step)
	io.WriteString(p.w, b.String())
	res := ev.Result
	if _, ok := step.(*runbook.File); ok && res.Outcome != nil {
		if res.Outcome.Err != nil {
			fmt.Fprintf(p.w, "          cannot apply: %v\n", res.Outcome.Err)
			return
		}
		for _, n := range res.Outcome.Notes {
			if n != "dry run" {
				fmt.Fprintf(p.w, "          %s\n", n)
			}
		}
		// The runner gives the diff with the real values (secrets masked),
		// as run would write them: no substitution here, which would know
		// nothing of values that differ per inclusion.
		if d := strings.TrimRight(orDefault(res.Diff, res.Outcome.Output), "\n"); d != "" {
			fmt.Fprintf(p.w, "%s\n", indent(d, "          "))
		}
	}
}

// lineWriter notes whether what was written last ended a line.
type lineWriter struct {
	w       io.Writer
	atStart bool
}

// Write passes on p, noting whether it ended a line.
func (l *lineWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		l.atStart = p[len(p)-1] == '\n'
	}
	return l.w.Write(p)
}

// crlfWriter turns the terminal's CRLF line ends into plain newlines, for
// output that goes to a file or a pipe rather than a terminal.
type crlfWriter struct {
	w  io.Writer
	cr bool // the last write ended in a CR that may start a CRLF
}

// Write passes on p with each CRLF turned into a newline.
func (c *crlfWriter) Write(p []byte) (int, error) {
	s := string(p)
	if c.cr {
		s = "\r" + s
	}
	c.cr = strings.HasSuffix(s, "\r")
	if c.cr {
		s = s[:len(s)-1]
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if _, err := io.WriteString(c.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// stepLine is the one-line form of a step for the run's progress.
func stepLine(s runbook.Step) string {
	switch s := s.(type) {
	case *runbook.Command:
		first, _, more := strings.Cut(s.Text, "\n")
		if more {
			first += " \u2026"
		}
		return fmt.Sprintf("%s  %s %s", s.Pos, promptText(s.Prompt), first)
	case *runbook.File:
		return fmt.Sprintf("%s  %s", s.Pos, fileAction(s))
	case *runbook.Manual:
		return fmt.Sprintf("%s  by hand: %s", s.Pos, s.Reason)
	}
	return s.Head().Pos.String()
}

// resultLine is a step's verdict with its time, reason and notes; a reason
// of several lines (the last lines a failed command printed) goes below,
// indented.
func resultLine(ev runner.Event) string {
	res := ev.Result
	var d time.Duration
	if res.Outcome != nil {
		d = res.Outcome.Duration
	}
	line := fmt.Sprintf("  => %s", res.Verdict)
	if res.Verdict != runbook.Skipped && res.Verdict != runbook.ManualStep {
		line += fmt.Sprintf(" (%s)", d.Round(time.Millisecond))
	}
	if res.Verdict == runbook.Skipped {
		line = fmt.Sprintf("[%d/%d] %s  => skipped", ev.Index, ev.Total, res.Step.Head().Pos)
	}
	reason, more, _ := strings.Cut(res.Reason, "\n")
	if reason != "" {
		line += ": " + reason
	}
	if res.Outcome != nil {
		if res.Outcome.Simulated {
			line += " [simulated]"
		}
		for _, n := range res.Outcome.Notes {
			line += "; " + n
		}
	}
	for _, n := range res.Notes {
		line += "; " + n
	}
	if more != "" {
		line += "\n" + indent(more, "       ")
	}
	return line
}

func clock(d time.Duration) string { return statusline.Clock(d) }

// statusLabel says which step the status line is about: its number, its
// place and its first line (a command without its prompt).
func statusLabel(ev runner.Event, step runbook.Step) string {
	what := stepLine(step)
	if c, ok := step.(*runbook.Command); ok {
		first, _, _ := strings.Cut(c.Text, "\n")
		what = fmt.Sprintf("%s %s", c.Pos, first)
	}
	return fmt.Sprintf("[%d/%d] %s", ev.Index, ev.Total, what)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// finishRun prints the summary of a run and picks its exit code.
func finishRun(w io.Writer, path string, results []runbook.Result, runErr error, interrupted bool, f *runFlags) error {
	counts := countVerdicts(results)
	if f.dryRun && !interrupted {
		fmt.Fprintf(w, "\nDry run: %s shown; nothing was run or written.\n", plural(len(results), "step"))
		if counts[runbook.Failed] > 0 {
			return exitCode(exitFound)
		}
		return nil
	}
	if runErr != nil && len(results) == 0 && !interrupted {
		// Nothing could start (a saved state that no longer fits the guide):
		// no summary of a run that did not happen.
		return &exitError{code: exitUsage, err: runErr}
	}
	fmt.Fprintf(w, "\n%s\n", summaryLine(counts, len(results)))
	switch {
	case interrupted:
		fmt.Fprintf(w, "Interrupted. Progress is saved; `runbook run %s --resume` continues after the last good step.\n", path)
		return exitCode(exitSignal)
	case runErr != nil:
		fmt.Fprintf(w, "runbook: %v\n", runErr)
	}
	if bad := firstBad(results); bad != nil {
		id := bad.Step.Head().ID
		if bad.Verdict == runbook.Drift && !f.keepGoing && bad != &results[len(results)-1] {
			// The step ran; only what it showed differs from the guide, so
			// --resume would run it again and stop again.
			fmt.Fprintf(w, "Stopped at %s (step %d, drift): the step ran, but not as the guide shows. "+
				"If that is fine, go on with `runbook run %s --from %d`; `runbook update %s` fixes the guide.\n",
				bad.Step.Head().Pos, id, path, id+1, path)
			return exitCode(exitFound)
		}
		if f.keepGoing {
			fmt.Fprintf(w, "The first problem is at %s (step %d, %s).\n", bad.Step.Head().Pos, id, bad.Verdict)
			return exitCode(exitFound)
		}
		fmt.Fprintf(w, "Stopped at %s (step %d, %s). Fix the step or the guide, then `runbook run %s --resume`.\n",
			bad.Step.Head().Pos, id, bad.Verdict, path)
		return exitCode(exitFound)
	}
	if runErr != nil || counts[runbook.Skipped] > 0 {
		return exitCode(exitFound)
	}
	return nil
}

// Summary counts of steps that were not chosen to run, kept apart from
// skipped ones, which an earlier failure caused.
const (
	notByDefault runbook.Verdict = "not run by default"
	skippedByYou runbook.Verdict = "skipped by you"
)

// countVerdicts counts the results by verdict, the simulated ones under
// "simulated", and the steps not chosen to run under notByDefault and
// skippedByYou instead of skipped.
func countVerdicts(results []runbook.Result) map[runbook.Verdict]int {
	c := map[runbook.Verdict]int{}
	for _, r := range results {
		switch {
		case r.Unselected && r.Reason == runner.DeclinedReason:
			c[skippedByYou]++
		case r.Unselected:
			c[notByDefault]++
		default:
			c[r.Verdict]++
		}
		if r.Outcome != nil && r.Outcome.Simulated {
			c["simulated"]++
		}
	}
	return c
}

func summaryLine(c map[runbook.Verdict]int, total int) string {
	parts := []string{}
	for _, v := range []runbook.Verdict{runbook.OK, runbook.Drift, runbook.Failed, runbook.Skipped, runbook.ManualStep,
		notByDefault, skippedByYou, "simulated"} {
		if c[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[v], v))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing ran")
	}
	return fmt.Sprintf("%s: %s", plural(total, "step"), strings.Join(parts, ", "))
}

// firstBad is the first step that drifted or failed.
func firstBad(results []runbook.Result) *runbook.Result {
	for i := range results {
		if v := results[i].Verdict; v == runbook.Drift || v == runbook.Failed {
			return &results[i]
		}
	}
	return nil
}

// verdictCode is the exit code for a set of results: 1 when anything
// drifted, failed or was skipped, 0 otherwise. A step not chosen to run
// (off the install path, or its section declined) is no problem.
func verdictCode(results []runbook.Result) int { return verdictCodeFor(results, true) }

// verdictCodeFor is verdictCode where drift may be left out of the exit
// code (check --fail-on failed): the guide's drift is then a finding in
// the report, and only a step that did not run to the end is a failure.
func verdictCodeFor(results []runbook.Result, drift bool) int {
	for _, r := range results {
		switch {
		case r.Verdict == runbook.Skipped && r.Unselected:
		case r.Verdict == runbook.Drift && drift, r.Verdict == runbook.Failed, r.Verdict == runbook.Skipped:
			return exitFound
		}
	}
	return exitOK
}
