package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"github.com/spf13/cobra"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
	"github.com/runbookdev/runbook/executor/sandbox"
	"github.com/runbookdev/runbook/internal/quote"
	"github.com/runbookdev/runbook/learn"
	"github.com/runbookdev/runbook/learn/console"
)

type learnFlags struct {
	pf        paramFlags
	noSandbox bool
	profile   string
	record    string
	restart   bool
	summary   bool
	json      bool
}

func newLearnCmd(e env) *cobra.Command {
	var f learnFlags
	cmd := &cobra.Command{
		Use:   "learn GUIDE",
		Short: "Walk through a guide step by step, typing each command yourself",
		Long: `Learn a guide by doing it. runbook shows each step (its section, the guide's
prose before it and the command with your values) and gives you a real shell
with the guide's prompt, [isabell@stardust ~]$, where you type the command
yourself. runbook watches: the same command (extra spaces, other quoting, ~ or
$HOME do not matter) with the documented output is done; the same program with
other words shows where it differs; anything else (ls, cat, cd) just runs, and
the step stays open. A file step shows the file: edit it in $EDITOR and runbook
shows how it differs from the guide's, or let runbook write it.

Type one of these alone on the prompt line, then Enter:
  ?  help          h  a hint (the program, then the whole command)
  s  the documented output   n  skip the step   r  let runbook do the step
  e  edit a file step's file in $EDITOR          d  a step done by hand is done
  q  save your progress and quit

Progress is saved per guide (no secrets in it), so learn resumes where you
stopped; --restart starts over. --summary prints how you did: steps done alone,
with hints, run by runbook, skipped, still open, and the time taken.

learn runs in a sandbox that looks like the guide's host (the stardust profile:
Uberspace), kept with the progress under $XDG_STATE_HOME/runbook/learn, so a
resumed lesson finds the files of the steps before. --no-sandbox runs the shell
on this host instead, as you, in a throwaway home kept there too.

  runbook learn guides/synapse.rst --set isabell=alice
  PATH=$PWD/fixtures/bin:$PATH runbook learn --no-sandbox fixtures/learn.rst
  runbook learn fixtures/learn.rst --summary --json
  runbook learn --no-sandbox fixtures/learn.rst --restart --record lesson.cast`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.json && !f.summary {
				return usageErrorf("--json goes with --summary")
			}
			if f.summary {
				return learnSummary(e, args[0], &f)
			}
			return learnGuide(e, args[0], &f)
		},
	}
	fl := cmd.Flags()
	f.pf.register(fl)
	fl.BoolVar(&f.noSandbox, "no-sandbox", false, "learn on this host, in a throwaway home, instead of in a sandbox")
	fl.StringVar(&f.profile, "profile", defaultProfile,
		"the host the sandbox imitates: a built-in profile's `NAME` (stardust, Uberspace) or a profile folder")
	fl.StringVar(&f.record, "record", "", "write an asciinema v2 recording of the session to `FILE.cast` (secrets masked)")
	fl.BoolVar(&f.restart, "restart", false, "forget the saved progress and the throwaway home, and start over")
	fl.BoolVar(&f.summary, "summary", false, "print how far you got with the guide, and stop")
	fl.BoolVar(&f.json, "json", false, "with --summary: print it as one JSON object")
	return cmd
}

// learnDir is where a guide's lesson keeps its progress and its throwaway
// home: one per absolute path of the guide, under $XDG_STATE_HOME/runbook/learn
// (or ~/.local/state/runbook/learn).
func learnDir(path string) (string, error) {
	sp, err := statePath(path)
	if err != nil {
		return "", usageErrorf("%v", err)
	}
	abs, _ := filepath.Abs(path)
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(filepath.Dir(sp), "learn", filepath.Base(abs)+"-"+hex.EncodeToString(sum[:8])), nil
}

// loadLearning reads the guide and finds its learn folder.
func loadLearning(e env, path string) (*runbook.Guide, string, error) {
	g, err := loadForRun(path, e.stderr)
	if err != nil {
		return nil, "", err
	}
	dir, err := learnDir(path)
	return g, dir, err
}

// loadProgress restores the progress saved in the learn folder, if any.
func loadProgress(l *learn.Lesson, dir string) (string, error) {
	path := filepath.Join(dir, progressFile)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", usageErrorf("reading the progress: %v", err)
	}
	saved, err := l.Unmarshal(data)
	if err != nil {
		return "", usageErrorf("%s: %v (--restart starts over)", path, err)
	}
	return saved, nil
}

// progressFile is the progress's name in the learn folder.
const progressFile = "progress.json"

// learnSummary prints the saved progress of a guide.
func learnSummary(e env, path string, f *learnFlags) error {
	g, dir, err := loadLearning(e, path)
	if err != nil {
		return err
	}
	l, err := learn.New(g, g, nil, "")
	if err != nil {
		return usageErrorf("%v", err)
	}
	if _, err := loadProgress(l, dir); err != nil {
		return err
	}
	if !l.Started() {
		fmt.Fprintf(e.stderr, "%s: no progress saved for %s yet; `runbook learn %s` starts it\n", programName, path, path)
	}
	s := l.Summary(path)
	if f.json {
		return writeJSON(e.stdout, s)
	}
	s.Write(e.stdout)
	return nil
}

// learnGuide runs the walkthrough in the trainee's terminal.
func learnGuide(e env, path string, f *learnFlags) error {
	if !f.noSandbox {
		if err := sandboxReady(); err != nil {
			return err
		}
	}
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return usageErrorf("runbook learn needs a terminal to type in; see --summary for a script")
	}
	g, dir, err := loadLearning(e, path)
	if err != nil {
		return err
	}
	if f.restart {
		if err := os.RemoveAll(dir); err != nil {
			return usageErrorf("--restart: %v", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return usageErrorf("cannot make %s: %v", dir, err)
	}
	_, ps, err := f.pf.apply(g)
	if err != nil {
		return err
	}
	if err := fillSecrets(e, ps, nil, false); err != nil {
		return err
	}
	// The terminal is raw, so ^C goes to the shell; a SIGINT from elsewhere stops learn as SIGTERM does.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	place, err := learnWhere(ctx, e, f, dir, ps)
	if err != nil {
		return err
	}
	defer place.close()
	return learnIn(ctx, e, path, f, g, ps, place)
}

// learnIn makes the lesson with the trainee's values and the progress saved
// so far, and runs it unless it is finished.
func learnIn(ctx context.Context, e env, path string, f *learnFlags, g *runbook.Guide, ps []runbook.Param, place *learnPlace) error {
	ps = withHome(ps, place.home)
	place.params = ps
	r := runbook.NewReplacer(ps)
	l, err := learn.New(g, applyValues(g, ps), r, place.home)
	if err != nil {
		return usageErrorf("%v", err)
	}
	saved, err := loadProgress(l, place.dir)
	if err != nil {
		return err
	}
	if l.Finished() {
		fmt.Fprintf(e.stdout, "You have been through every step of %s; --restart starts over.\n", path)
		l.Summary(path).Write(e.stdout)
		return nil
	}
	place.shell.Dir = startDir(saved, place.home)
	place.shell.Prompt = shellPrompt(l)
	place.shell.Replay = l.Replay()
	return runLesson(ctx, e, path, f, l, newSecrets(r, ps), place)
}

// learnPlace is where a lesson's shell runs: a sandbox kept with the
// progress, or (--no-sandbox) a throwaway home on this host.
type learnPlace struct {
	params []runbook.Param
	home   string // the home as the shell names it
	dir    string // the guide's learn folder, where the progress is
	what   string // where, for the first line on the screen
	files  *executor.Files
	shell  console.ShellOptions
	mark   func(*runbook.Outcome)
	start  time.Duration // how long the shell may take to start; 0 for the default
	close  func() error
}

// learnWhere prepares the sandbox in the guide's learn folder, or the throwaway home.
func learnWhere(ctx context.Context, e env, f *learnFlags, dir string, ps []runbook.Param) (*learnPlace, error) {
	p := &learnPlace{dir: dir, close: func() error { return nil }}
	if f.noSandbox {
		p.home = filepath.Join(dir, "home")
		if err := os.MkdirAll(p.home, 0o700); err != nil {
			return nil, usageErrorf("cannot make the throwaway home: %v", err)
		}
		p.what = "in a throwaway home on this host (--no-sandbox)"
		p.files = &executor.Files{Home: p.home, User: os.Getenv("USER")}
		p.shell = console.ShellOptions{Env: learnEnv(p.home), Setup: console.Folder{Host: dir, Inside: dir}}
		return p, nil
	}
	sec := newSecrets(runbook.NewReplacer(ps), ps)
	sb, err := startSandbox(ctx, sandboxFlags{profile: f.profile},
		guideSandbox{params: ps, dir: filepath.Join(dir, "sandbox"), keep: true, redact: sec.redact, log: e.stderr})
	if err != nil {
		return nil, usageErrorf("cannot make the sandbox: %v", err)
	}
	p.home, p.close = sb.Home(), sb.Close
	p.what = fmt.Sprintf("in a sandbox that looks like %s@%s (kept in %s)", sb.User(), sb.Host(), sb.Dir())
	p.files = &executor.Files{Home: sb.Home(), User: sb.User(), Root: sb.Root(), BackupDir: sb.BackupDir()}
	p.start = sandbox.StartTimeout
	p.shell = console.ShellOptions{Argv: sb.Argv(), Env: os.Environ(),
		Setup: console.Folder{Host: sb.HostPath(sandboxState), Inside: sandboxState}}
	p.mark = func(out *runbook.Outcome) {
		sb.MarkSimulated(out)
		for i, n := range out.Notes {
			out.Notes[i] = sec.redact(n)
		}
	}
	return p, nil
}

// sandboxState is the sandbox's own writable folder, where the shell's setup goes.
const sandboxState = "/run/runbook"

// runLesson opens the recording, starts the session and prints the summary after it.
func runLesson(ctx context.Context, e env, path string, f *learnFlags, l *learn.Lesson, sec *secrets, place *learnPlace) error {
	progress := filepath.Join(place.dir, progressFile)
	save := func(data []byte) error { return writeFileAtomic(progress, data) }
	cfg := console.Config{Guide: path, Save: save, Editor: editor(), In: e.stdin, Out: e.stdout,
		Color: useColor(e.stdout) && os.Getenv("TERM") != "dumb", Mask: sameLengthMask(place.params),
		Files: place.files, Shell: place.shell, Mark: place.mark, StartTimeout: place.start}
	closeRec, err := openRecording(f.record, e.stdin, sec, path, &cfg)
	if err != nil {
		return err
	}
	i, n := l.Position()
	intro := fmt.Sprintf("Learning %s: %d steps, %s.", path, n, place.what)
	if l.Started() {
		intro = fmt.Sprintf("Resuming %s at step %d of %d, %s; --restart starts over.", path, i, n, place.what)
	}
	width := 80
	if size, err := pty.GetsizeFull(e.stdin); err == nil {
		width = int(size.Cols)
	}
	intro += "\nType each step's command. Type ? alone on the line, then Enter, for help."
	io.WriteString(e.stdout, learn.Render(learn.Text{{Text: intro}}, width-1, "", false))
	_, runErr := console.Run(ctx, l, cfg)
	if err := closeRec(); err != nil && runErr == nil {
		runErr = err
	}
	if err := place.close(); err != nil && runErr == nil {
		runErr = err
	}
	place.close = func() error { return nil }
	fmt.Fprintln(e.stdout)
	l.Summary(path).Write(e.stdout)
	if runErr != nil {
		return &exitError{code: exitUsage, err: runErr}
	}
	return nil
}

// openRecording starts the .cast file for --record; the func closes it.
func openRecording(file string, term *os.File, sec *secrets, title string, cfg *console.Config) (func() error, error) {
	if file == "" {
		return func() error { return nil }, nil
	}
	out, err := os.Create(file)
	if err != nil {
		return nil, usageErrorf("--record: %v", err)
	}
	cols, rows := 80, 24
	if size, err := pty.GetsizeFull(term); err == nil {
		cols, rows = int(size.Cols), int(size.Rows)
	}
	cast, err := console.NewCast(out, cols, rows, sec.redact(title))
	if err != nil {
		out.Close()
		return nil, usageErrorf("--record: %v", err)
	}
	rw := sec.writer(cast)
	cfg.Record = rw
	cfg.Resized = cast.Resize
	return func() error { return errors.Join(rw.Close(), cast.Err(), out.Close()) }, nil
}

// learnEnv is the trainee's environment for the shell, with the throwaway
// home and without what would change its prompt or keep its history.
func learnEnv(home string) []string {
	drop := map[string]bool{"PROMPT_COMMAND": true, "PS0": true, "PS1": true, "PS2": true, "BASH_ENV": true,
		"ENV": true, "HISTFILE": true, "HOME": true, "OLDPWD": true, "PWD": true}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] && !strings.HasPrefix(k, "BASH_FUNC_") {
			env = append(env, kv)
		}
	}
	if os.Getenv("TERM") == "" {
		env = append(env, "TERM=xterm")
	}
	return append(env, "HOME="+home)
}

// startDir is where the shell starts: where the last session left it, else the home.
func startDir(saved, home string) string {
	switch {
	case saved == "" || saved == "~":
		return home
	case strings.HasPrefix(saved, "~/"):
		return filepath.Join(home, saved[2:])
	}
	return saved
}

// shellPrompt is PS1 as the guide's prompts show it: the user and host of
// its first prompt that names them, with the trainee's values, and the
// shell's own directory.
func shellPrompt(l *learn.Lesson) string {
	user, host, end := `\u`, `\h`, `\$`
	for _, st := range l.Steps() {
		if c, ok := st.(*runbook.Command); ok && c.Prompt.User != "" && c.Prompt.Host != "" {
			user, host, end = promptEscape(c.Prompt.User), promptEscape(c.Prompt.Host), "$"
			if c.Prompt.Root {
				end = "#"
			}
			break
		}
	}
	return fmt.Sprintf(`[%s@%s \W]%s `, user, host, end)
}

// promptEscape keeps a value literal in PS1, where \ and $ mean something.
func promptEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "$", `\$`, "`", "\\`").Replace(s)
}

// editor is the trainee's editor: $VISUAL, $EDITOR, else vi.
func editor() string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if ed := strings.TrimSpace(os.Getenv(v)); ed != "" {
			return ed
		}
	}
	return "vi"
}

// sameLengthMask hides secret values (each in every escaped form, longest
// first) on the live terminal with as many stars as they have characters:
// readline places its cursor by what it printed, so the text must keep its width.
func sameLengthMask(ps []runbook.Param) func(string) string {
	var values []string
	for _, p := range ps {
		if p.Secret && p.Value != "" {
			values = append(values, p.Value)
			values = append(values, quote.Forms(p.Value)...)
		}
	}
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })
	if len(values) == 0 {
		return nil
	}
	return func(s string) string {
		for _, v := range values {
			if strings.Contains(s, v) {
				s = strings.ReplaceAll(s, v, strings.Repeat("*", utf8.RuneCountInString(v)))
			}
		}
		return s
	}
}
