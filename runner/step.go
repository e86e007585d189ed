package runner

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
	"github.com/runbookdev/runbook/verifier"
)

// run is the state of one Run call.
type run struct {
	g       *runbook.Guide
	r       *runbook.Replacer
	opts    Options
	p       parts
	sel     []runbook.Step // the selected steps, in order
	results []runbook.Result
	state   savedState
	hash    hash.Hash // fingerprint of the first hashed steps, for the state file
	hashed  int
	start   time.Time
	stop    string // non-empty once the run stops: the reason later steps are skipped
	broken  bool   // a step failed or drifted, so LastGood no longer advances
	err     error  // returned by Run
	sh      shell
	dir     string // the shell's last known working directory (real, not reversed)
	home    string
	files   *executor.Files
	term    *redactor // terminal output for the recording and live display; nil when unused
	pub     map[runbook.Step]runbook.Step
	placed  bool             // the shell was put where the first selected step expects it
	pinned  *verifier.Pinned // the tokens the guide's files spell out, which are never volatile
}

// newRun selects the steps, loads the state on --resume and prepares the outputs.
func newRun(g *runbook.Guide, r *runbook.Replacer, opts Options, p parts) (*run, error) {
	ru := &run{g: g, r: r, opts: opts, p: p, start: time.Now(), dir: opts.Dir,
		pub: map[runbook.Step]runbook.Step{}}
	ru.home = homeDir(opts)
	ru.files = &executor.Files{Home: ru.home, User: userName(opts.Env), BackupDir: opts.BackupDir, DryRun: opts.DryRun}
	ru.state = savedState{Guide: g.Name}
	from := opts.From
	if opts.Resume {
		st, err := loadState(opts.StatePath, g, ru.clean)
		if err != nil {
			return nil, err
		}
		ru.state.LastGood = st.LastGood
		from = max(from, st.LastGood+1)
		if st.Dir != "" {
			ru.dir = st.Dir
		}
	}
	ru.sel = selectSteps(g.Steps, from, opts.To)
	ru.pinned = ru.filePins()
	if opts.Record != nil || opts.Output != nil {
		ru.term = newRedactor(r.Redact, opts.Record, opts.Output, g.Name, ru.start)
		ru.term.prompt = promptFunc(userName(opts.Env), ru.home)
	}
	return ru, nil
}

// promptFunc renders the shell's sentinel as the prompt the guides show,
// [USER@HOST DIR]$, for the recording and the live display.
func promptFunc(user, home string) func(dir string) string {
	host, _ := os.Hostname()
	host, _, _ = strings.Cut(host, ".")
	return func(dir string) string {
		return fmt.Sprintf("[%s@%s %s]$ ", user, host, verifier.ShownDir(dir, home))
	}
}

// selectSteps keeps the steps whose id lies in [from, to]; 0 leaves a side open.
func selectSteps(steps []runbook.Step, from, to int) []runbook.Step {
	var sel []runbook.Step
	for i, st := range steps {
		id := stepID(st, i)
		if (from <= 0 || id >= from) && (to <= 0 || id <= to) {
			sel = append(sel, st)
		}
	}
	return sel
}

// stepID is the step's 1-based id, its position when the parser left it unset.
func stepID(st runbook.Step, i int) int {
	if id := st.Head().ID; id > 0 {
		return id
	}
	return i + 1
}

// homeDir is the home that ~ means for file steps and prompts.
func homeDir(opts Options) string {
	if opts.Home != "" {
		return opts.Home
	}
	if h := lookupEnv(opts.Env, "HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// userName is the $USER that file paths expand.
func userName(env []string) string {
	if u := lookupEnv(env, "USER"); u != "" {
		return u
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// lookupEnv finds the last KEY=VALUE for key, as the environment would.
func lookupEnv(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// step runs one step and judges it.
func (ru *run) step(ctx context.Context, st runbook.Step) runbook.Result {
	if reason := ru.opts.Blocked[st.Head().ID]; reason != "" && !ru.opts.DryRun {
		return runbook.Result{Step: ru.public(st), Verdict: runbook.Failed, Reason: ru.clean(reason)}
	}
	switch s := st.(type) {
	case *runbook.Command:
		return ru.command(ctx, s)
	case *runbook.File:
		return ru.file(s)
	case *runbook.Manual:
		return runbook.Result{Step: ru.public(st), Verdict: runbook.ManualStep, Reason: ru.clean(s.Reason)}
	}
	return runbook.Result{Step: ru.public(st), Verdict: runbook.Failed,
		Reason: fmt.Sprintf("unknown step kind %T", st)}
}

// command types one command into the shell.
func (ru *run) command(ctx context.Context, c *runbook.Command) runbook.Result {
	if ru.opts.DryRun {
		out := &runbook.Outcome{Exit: -1, Notes: []string{"dry run"}}
		return runbook.Result{Step: ru.public(c), Outcome: out, Verdict: runbook.Skipped, Reason: "dry run: not run"}
	}
	var notes []string
	sh, note, err := ru.ensureShell(ctx)
	if note != "" {
		notes = append(notes, note)
	}
	if err != nil {
		// No later step can run without a shell, even with --keep-going: one
		// failure with the reason, and the rest skipped, not one failure each.
		ru.halt("not run: the shell could not start", nil)
		out := &runbook.Outcome{Exit: -1, Err: err, Notes: notes}
		return ru.verify(c, out, ru.dir)
	}
	if !ru.placed {
		ru.placed = true
		notes = append(notes, ru.replayDirs(ctx, sh, c)...)
	}
	if c.First && c.Prompt.Dir == "~" && !samePath(sh.Dir(), ru.home) && sh.Dir() != "" {
		cd := sh.Run(ctx, &runbook.Command{Text: "cd ~", Prompt: c.Prompt})
		if cd != nil && cd.Exit == 0 {
			notes = append(notes, "changed to ~ first, as the block's prompt shows")
		}
	}
	before := sh.Dir()
	out := sh.Run(ctx, c)
	if out == nil {
		out = &runbook.Outcome{Exit: -1, Err: errors.New("the executor returned no outcome")}
	}
	out.Notes = append(notes, out.Notes...)
	if d := sh.Dir(); d != "" {
		ru.dir = d
	}
	if ru.term != nil {
		ru.term.Flush(false)
	}
	return ru.verify(c, out, before)
}

// ensureShell returns a live shell, starting one (again) in the last known directory.
func (ru *run) ensureShell(ctx context.Context) (shell, string, error) {
	if ru.sh != nil && ru.sh.Alive() {
		return ru.sh, "", nil
	}
	note := ""
	if ru.sh != nil {
		ru.sh.Close()
		ru.sh = nil
		note = "the shell had died; a fresh one was started in " + ru.dir
	}
	o := executor.ShellOptions{Login: ru.opts.Login, Dir: ru.dir, Env: ru.opts.Env,
		Idle: ru.opts.Idle, Timeout: ru.opts.Timeout, Argv: ru.opts.Argv}
	if ru.term != nil {
		o.Tee = ru.term
		ru.term.Starting()
	}
	sh, err := ru.p.startShell(ctx, o)
	if err != nil {
		return nil, note, fmt.Errorf("cannot start the shell: %w", err)
	}
	ru.sh = sh
	if d := sh.Dir(); d != "" && ru.dir == "" {
		ru.dir = d
	}
	return sh, note, nil
}

// file writes, merges or appends one file (or, on a dry run, computes the diff).
func (ru *run) file(f *runbook.File) runbook.Result {
	ru.files.Dir = ru.dir // a relative path follows the shell, as `cat > p` would
	out := ru.p.applyFile(ru.files, f)
	if out == nil {
		out = &runbook.Outcome{Exit: -1, Err: errors.New("the executor returned no outcome")}
	}
	if ru.opts.DryRun && out.Err == nil {
		ru.scrub(out)
		out.Notes = append(out.Notes, "dry run")
		return runbook.Result{Step: ru.public(f), Outcome: out, Verdict: runbook.Skipped, Reason: "dry run: not written"}
	}
	return ru.verify(f, out, ru.dir)
}

// verify scrubs the outcome and asks the verifier for the verdict on the
// public step; before is the directory the command was typed in, which its
// documented prompt shows.
func (ru *run) verify(st runbook.Step, out *runbook.Outcome, before string) runbook.Result {
	ru.scrub(out)
	pub := ru.public(st)
	res := ru.p.verify(pub, out, verifier.Options{Home: ru.clean(ru.home), Before: ru.clean(before), Pinned: ru.pinned})
	res.Step = pub
	res.Outcome = out
	res.Reason = ru.r.Redact(res.Reason)
	res.Diff = ru.r.Redact(res.Diff)
	return res
}

// filePins collects the tokens of the guide's file contents, as the
// verifier compares output (with the guide's example values): a port or a
// size a config file sets is not volatile in any step's output.
func (ru *run) filePins() *verifier.Pinned {
	var texts []string
	for _, st := range ru.g.Steps {
		if f, ok := st.(*runbook.File); ok {
			texts = append(texts, ru.public(f).(*runbook.File).Content)
		}
	}
	return verifier.Pin(texts...)
}

// scrub turns real values back into the guide's examples and masks secrets in
// everything an outcome carries, so nothing secret leaves the runner.
func (ru *run) scrub(out *runbook.Outcome) {
	out.Output = ru.clean(out.Output)
	out.Dir = ru.clean(out.Dir)
	out.Backup = ru.r.Redact(out.Backup)
	for i, n := range out.Notes {
		out.Notes[i] = ru.r.Redact(n)
	}
	if out.Err != nil {
		if msg := ru.r.Redact(out.Err.Error()); msg != out.Err.Error() {
			out.Err = errors.New(msg)
		}
	}
}

// clean reverse-substitutes then redacts one string.
func (ru *run) clean(s string) string {
	if s == "" {
		return s
	}
	return ru.r.Redact(ru.r.Reverse(s))
}

// close ends the shell and flushes the outputs. The shell's own exit status
// is of no interest here (it may have died, or been killed by a step); a
// recording that could not be written is.
func (ru *run) close() error {
	if ru.sh != nil {
		ru.sh.Close()
		ru.sh = nil
	}
	if ru.term == nil {
		return nil
	}
	ru.term.Flush(true)
	if ru.term.err != nil {
		return fmt.Errorf("recording: %w", ru.term.err)
	}
	return nil
}

func samePath(a, b string) bool {
	return a != "" && b != "" && filepath.Clean(a) == filepath.Clean(b)
}

// replayDirs puts a fresh shell of a --from run where the guide's earlier
// steps would have left it: it types the `cd`s of the steps before the first
// selected one, in order, and ignores those that fail. Without this, --from
// starts in $HOME and the first step with a relative path fails for a reason
// that is not the guide's. --resume needs none of it: the state file has the
// directory.
func (ru *run) replayDirs(ctx context.Context, sh shell, first *runbook.Command) []string {
	if ru.opts.Resume || ru.opts.From <= 1 {
		return nil
	}
	var cds []string
	for i, st := range ru.g.Steps {
		if stepID(st, i) >= first.Head().ID {
			break
		}
		if c, ok := st.(*runbook.Command); ok {
			cds = append(cds, cdsOf(c.Text)...)
		}
	}
	if len(cds) == 0 {
		return nil
	}
	for _, cd := range cds {
		sh.Run(ctx, &runbook.Command{Text: cd, Prompt: first.Prompt})
	}
	if d := sh.Dir(); d != "" {
		ru.dir = d
	}
	shown := strings.Join(cds[:min(len(cds), 3)], "; ")
	if len(cds) > 3 {
		shown += fmt.Sprintf("; and %d more", len(cds)-3)
	}
	return []string{fmt.Sprintf("first typed %s, as the steps before step %d do, to start where they leave the shell",
		shown, first.Head().ID)}
}

// cdsOf returns the `cd` commands in a one-line command list ("mkdir -p x &&
// cd x" gives "cd x"); a multi-line command or one with a subshell gives none.
func cdsOf(text string) []string {
	if strings.ContainsAny(text, "\n()`|") || strings.Contains(text, "$(") {
		return nil
	}
	var cds []string
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '&' }) {
		part = strings.TrimSpace(part)
		if part == "cd" || strings.HasPrefix(part, "cd ") || strings.HasPrefix(part, "cd\t") {
			cds = append(cds, part)
		}
	}
	return cds
}
