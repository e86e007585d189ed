package runner

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"os"
	"os/user"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
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
	ids     []int          // their numbers in the guide, for the progress counter
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
	placed  bool // the shell was put where the first selected step expects it
	// declined is the section the person said no to: its steps are skipped.
	declined []string
	// flows, flowParams and flowRep hold the values captured from steps'
	// output for later steps (flows.go); flowRep is read by the terminal's
	// redactor while a step runs, hence atomic.
	flows      flowState
	flowParams []runbook.Param
	flowRep    atomic.Pointer[runbook.Replacer]
	shapes     atomic.Pointer[regexp.Regexp] // see redactTerm
	pinned     *verifier.Pinned              // the values the guide's files fix, never volatile in output
}

// newRun selects the steps, loads the state on --resume and prepares the outputs.
func newRun(g *runbook.Guide, r *runbook.Replacer, opts Options, p parts) (*run, error) {
	ru := &run{g: g, r: r, opts: opts, p: p, start: time.Now(), dir: opts.Dir,
		pub:   map[runbook.Step]runbook.Step{},
		flows: flowState{captured: map[int]string{}, failed: map[int]string{}, ran: map[int]bool{}}}
	ru.flowRep.Store(runbook.NewReplacer(nil))
	ru.home = homeDir(opts)
	user := userName(opts.Env)
	ru.files = &executor.Files{Home: ru.home, User: user, BackupDir: opts.BackupDir, DryRun: opts.DryRun,
		Redact: ru.redact}
	if sb := opts.Sandbox; sb != nil {
		user = sb.User()
		ru.files.User, ru.files.Root = user, sb.Root()
		if ru.dir == "" {
			ru.dir = ru.home
		}
	}
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
	ru.sel, ru.ids = selectSteps(g.Steps, from, opts.To)
	ru.pinned = ru.filePins()
	if opts.Record != nil || opts.Output != nil {
		ru.term = newRedactor(ru.redactTerm, opts.Record, opts.Output, g.Name, ru.start)
		ru.term.prompt = promptFunc(user, hostName(opts.Sandbox), ru.home)
	}
	return ru, nil
}

// promptFunc renders the shell's sentinel as the prompt the guides show,
// [USER@HOST DIR]$, for the recording and the live display.
func promptFunc(user, host, home string) func(dir string) string {
	return func(dir string) string {
		return fmt.Sprintf("[%s@%s %s]$ ", user, host, verifier.ShownDir(dir, home))
	}
}

// hostName is the host the shell runs on: the sandbox's, or this one's short name.
func hostName(sb Sandbox) string {
	if sb != nil {
		return sb.Host()
	}
	host, _ := os.Hostname()
	host, _, _ = strings.Cut(host, ".")
	return host
}

// selectSteps keeps the steps whose id lies in [from, to] (0 leaves a side
// open) and returns their ids with them.
func selectSteps(steps []runbook.Step, from, to int) ([]runbook.Step, []int) {
	var sel []runbook.Step
	var ids []int
	for i, st := range steps {
		id := stepID(st, i)
		if (from <= 0 || id >= from) && (to <= 0 || id <= to) {
			sel = append(sel, st)
			ids = append(ids, id)
		}
	}
	return sel, ids
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
	if opts.Sandbox != nil {
		return opts.Sandbox.Home()
	}
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
	unwatch := ru.watchShapes(c.ID)
	out := sh.Run(ctx, c)
	if out == nil {
		out = &runbook.Outcome{Exit: -1, Err: errors.New("the executor returned no outcome")}
	}
	if ru.opts.Sandbox != nil {
		ru.opts.Sandbox.MarkSimulated(out)
	}
	out.Notes = append(notes, out.Notes...)
	if d := sh.Dir(); d != "" {
		ru.dir = d
	}
	if ru.term != nil {
		ru.term.Flush(false)
	}
	unwatch()
	raw := out.Output
	res := ru.verify(c, out, before)
	ru.capture(c, raw, &res)
	return res
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
		Idle: ru.opts.Idle, Timeout: ru.opts.Timeout, Argv: ru.opts.Argv, Ask: ru.askPerson()}
	if ru.opts.Sandbox != nil {
		o = ru.opts.Sandbox.ShellOptions(o)
	}
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

// askPerson wraps Options.Ask: the question leaves with its secrets masked, and
// with what releases the prompt from the live output.
func (ru *run) askPerson() func(ctx context.Context, q executor.Question) (string, error) {
	if ru.opts.Ask == nil {
		return nil
	}
	return func(ctx context.Context, q executor.Question) (string, error) {
		q.Prompt = ru.r.Redact(q.Prompt)
		show := func() {
			if ru.term != nil {
				ru.term.Flush(false)
			}
		}
		return ru.opts.Ask(ctx, Question{Question: q, Show: show})
	}
}

// file writes, merges or appends one file (or, on a dry run, computes the diff).
func (ru *run) file(f *runbook.File) runbook.Result {
	ru.files.Dir = ru.dir // a relative path follows the shell, as `cat > p` would
	out := ru.p.applyFile(ru.files, f)
	if out == nil {
		out = &runbook.Outcome{Exit: -1, Err: errors.New("the executor returned no outcome")}
	}
	if ru.opts.DryRun && out.Err == nil {
		// The diff shows what run would write, with the real values (the
		// guide's examples put back would hide a per-inclusion value such as
		// 8009, and the real path), secrets masked.
		out.Output = ru.redact(out.Output)
		out.Backup = ru.redact(out.Backup)
		for i, n := range out.Notes {
			out.Notes[i] = ru.redact(n)
		}
		out.Notes = append(out.Notes, ru.unknownBefore(f)...)
		return runbook.Result{Step: ru.public(f), Outcome: out, Verdict: runbook.Skipped, Reason: "dry run: not written"}
	}
	return ru.verify(f, out, ru.dir)
}

// unknownBefore names, for a dry run's file step, the earlier commands of
// the run that mention the file: they do not run in a dry run, so what they
// do to it (synapse's --generate-config writes homeserver.yaml) is missing
// from the diff.
func (ru *run) unknownBefore(f *runbook.File) []string {
	var ids []string
	for _, st := range ru.sel {
		if st.Head().ID == f.ID {
			break
		}
		if ru.offPath(st) != "" {
			continue
		}
		switch s := st.(type) {
		case *runbook.Command:
			if mentions(s.Text, f.Path) {
				ids = append(ids, strconv.Itoa(s.ID))
			}
		case *runbook.File:
			if s.Path == f.Path && s.Mode == runbook.Create {
				ids = nil // what the commands did before is replaced
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	which := "step " + ids[0] + ", a command,"
	if len(ids) > 1 {
		which = "steps " + strings.Join(ids, ", ") + ", commands,"
	}
	return []string{fmt.Sprintf("%s may change %s before this step, but commands do not run in a dry run: "+
		"this diff cannot show what they do", which, path.Base(f.Path))}
}

// mentions reports whether a command names the file at p: its path as
// written, or a base name with an extension (homeserver.yaml) as a word of
// its own, not part of an option (--server-name does not name ~/x/server).
func mentions(text, p string) bool {
	if strings.Contains(text, p) {
		return true
	}
	name := path.Base(p)
	if !strings.Contains(strings.TrimPrefix(name, "."), ".") {
		return strings.Contains(text, "/"+name)
	}
	for i := 0; ; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		before := byte(' ')
		if start > 0 {
			before = text[start-1]
		}
		if !runbook.IsWordByte(before) && before != '.' && before != '-' &&
			(end == len(text) || !runbook.IsWordByte(text[end]) && text[end] != '.') {
			return true
		}
		i = end
	}
}

// verify scrubs the outcome and asks the verifier for the verdict on the
// public step; before is the directory the command was typed in, which its
// documented prompt shows.
func (ru *run) verify(st runbook.Step, out *runbook.Outcome, before string) runbook.Result {
	shown := ru.shown(out)
	ru.scrub(out)
	pub := ru.public(st)
	res := ru.p.verify(pub, out, verifier.Options{Home: ru.clean(ru.home), Before: ru.clean(before), Shown: shown, Pinned: ru.pinned})
	res.Step = pub
	res.Outcome = out
	res.Reason = ru.redact(res.Reason)
	res.Diff = ru.redact(res.Diff)
	cleanWords(&res, ru.redact)
	return res
}

// cleanWords applies f to what a result says beyond its reason and diff:
// the verifier's notes and the masked tokens' documented and actual text.
func cleanWords(res *runbook.Result, f func(string) string) {
	for i, n := range res.Notes {
		res.Notes[i] = f(n)
	}
	for i, m := range res.Masked {
		res.Masked[i].Documented, res.Masked[i].Actual = f(m.Documented), f(m.Actual)
	}
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

// shown is a failed command's output as its reason may quote it: secrets
// masked and the user's values put back, this host's paths kept (see
// Options.Messages); "" when the command did not fail or nothing differs.
func (ru *run) shown(out *runbook.Outcome) string {
	m := ru.opts.Messages
	if m == nil || m == ru.r || out.Exit == 0 || out.Output == "" {
		return ""
	}
	return ru.redact(m.Redact(m.Reverse(out.Output)))
}

// scrub turns real values back into the guide's examples and masks secrets in
// everything an outcome carries, so nothing secret leaves the runner.
func (ru *run) scrub(out *runbook.Outcome) {
	out.Output = ru.clean(out.Output)
	out.Dir = ru.clean(out.Dir)
	out.Backup = ru.redact(out.Backup)
	for i, n := range out.Notes {
		out.Notes[i] = ru.redact(n)
	}
	for i := range out.Answered {
		out.Answered[i].Prompt = ru.clean(out.Answered[i].Prompt)
		out.Answered[i].Text = ru.clean(out.Answered[i].Text)
	}
	if out.Err != nil {
		if msg := ru.redact(out.Err.Error()); msg != out.Err.Error() {
			out.Err = errors.New(msg)
		}
	}
}

// clean reverse-substitutes then redacts one string.
func (ru *run) clean(s string) string {
	if s == "" {
		return s
	}
	return ru.redact(ru.reverse(s))
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
