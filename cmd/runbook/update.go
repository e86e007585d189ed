package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/runner"
	"github.com/runbookdev/runbook/verifier/update"
)

// updateFlags are update's options.
type updateFlags struct {
	pf            paramFlags
	sections      sectionFlags
	write         bool
	noSandbox     bool
	sf            sandboxFlags
	timeout, idle time.Duration
}

func newUpdateCmd(e env) *cobra.Command {
	var f updateFlags
	cmd := &cobra.Command{
		Use:   "update GUIDE",
		Short: "Rewrite a guide's documented output from a real run",
		Long: `Run the guide, as check does, and rewrite the documented output of every
drifted command (and a wrong prompt directory) from what really happened. The
example values are put back (an actual alice and alice.dev become isabell and
example.org again), secrets are masked, and elisions and volatile values are
kept where they still match; the rest of the file stays byte for byte. Every
step runs, even after one that drifted or failed, so one run finds all the
drift; only sections off the install path (Updates, an "Option B", …; 'runbook
steps' marks them) are left out unless --section TITLE or --all asks for them.
Drifted output in an include is rewritten in the include.

The guide runs in a throwaway sandbox, as in check (--profile, --keep): a
host that looks like the one the guide was written for. --no-sandbox runs its
commands on this host instead, for real, in a plain bash starting in $HOME. A
step a stand-in ran (marked simulated: what needs the internet) keeps its
documented output, since the stand-in's is not what the real program prints;
only its prompts are fixed, and update says which. Secrets without a value get random ones.

Without --write it prints the patch; with --write it replaces the files.

Examples:
  runbook update guides/synapse.rst
  runbook update guides/synapse.rst --set isabell=alice --write
  runbook update --no-sandbox fixtures/drift.rst

Exit codes: 0 nothing to update, or --write updated the files; 1 a step
failed (update cannot fix that), or without --write, there is drift to update;
2 wrong invocation, a guide that cannot be read or parsed, or no sandbox
(bwrap missing: apt-get install bubblewrap).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !f.noSandbox {
				if err := sandboxReady(); err != nil {
					return err
				}
			}
			return updateGuide(e, args[0], &f)
		},
	}
	f.pf.register(cmd.Flags())
	f.sections.register(cmd.Flags())
	cmd.Flags().BoolVar(&f.write, "write", false, "write the updated guide (atomically) instead of printing the patch")
	cmd.Flags().BoolVar(&f.noSandbox, "no-sandbox", false, "run on this host, for real, in $HOME, instead of in a sandbox")
	f.sf.register(cmd.Flags())
	cmd.Flags().DurationVar(&f.timeout, "timeout", defaultTimeout, "stop a step that runs longer than `D`")
	cmd.Flags().DurationVar(&f.idle, "idle", defaultIdle, "interrupt a prompt nobody answers after `D`")
	return cmd
}

func updateGuide(e env, path string, f *updateFlags) error {
	g, err := f.pf.loadForRun(path, e.stderr)
	if err != nil {
		return err
	}
	if err := f.sections.check(g); err != nil {
		return err
	}
	_, ps, err := f.pf.apply(g)
	if err != nil {
		return err
	}
	if err := fillSecrets(e, ps, nil, true); err != nil {
		return err
	}
	warnNoSteps(e.stderr, path, g)
	sec := newSecrets(nil, ps)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	pl, err := updatePlace(ctx, e, f, &checkJob{path: path, guide: g, params: ps}, sec)
	if err != nil {
		return err
	}
	defer func() {
		if err := pl.close(); err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", programName, err)
		}
		if f.sf.keep && !f.noSandbox {
			fmt.Fprintf(e.stderr, "%s: %s: %s\n", programName, path, pl.kept())
		}
	}()
	home := pl.home()
	ps = withHome(ps, home)
	r := runbook.NewReplacer(ps)
	sec = newSecrets(r, ps)
	opts := runner.Options{KeepGoing: true, Timeout: f.timeout, Idle: f.idle, Messages: messages(ps)}
	pl.setup(&opts)
	f.sections.apply(&opts)
	if isTerminal(e.stderr) {
		opts.Progress = checkProgress(e.stderr, nil, path, sec, nil)
	}
	rep, runErr := runner.Run(ctx, applyValues(g, ps), r, opts)
	if ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "runbook: interrupted; nothing was updated")
		return exitCode(exitSignal)
	}
	if runErr != nil {
		fmt.Fprintf(e.stderr, "%s: %s: %v\n", programName, path, sec.redact(runErr.Error()))
	}
	code := reportUnfixable(e.stderr, rep.Results, sec)
	if runErr != nil {
		code = exitFound
	}
	noteSimulated(e.stderr, rep.Results)
	changed, err := rewriteFiles(e, path, rep.Results, sec, f.write, r.Redact(r.Reverse(home)))
	if err != nil {
		return err
	}
	if changed > 0 && !f.write {
		code = exitFound
	}
	return exitCode(code)
}

// updatePlace is where update runs the guide: a sandbox by default, or
// with --no-sandbox this host in the user's own $HOME, as a person would.
func updatePlace(ctx context.Context, e env, f *updateFlags, j *checkJob, sec *secrets) (guidePlace, error) {
	if f.noSandbox {
		home, err := homeDir()
		if err != nil {
			return nil, err
		}
		warnUser(e.stderr, j.params)
		fmt.Fprintf(e.stderr, "%s: update runs %s on this host, for real (--no-sandbox)\n", programName, j.path)
		return hostHome{home}, nil
	}
	hs, err := profileHostSecrets(f.sf.profile)
	if err != nil {
		return nil, err
	}
	return sandboxPlaces(f.sf, sec, hs)(ctx, j, e.stderr)
}

// hostHome is this host and the user's own home: update --no-sandbox.
type hostHome struct{ dir string }

func (h hostHome) setup(o *runner.Options) { o.Dir = h.dir }
func (h hostHome) home() string            { return h.dir }
func (h hostHome) close() error            { return nil }
func (h hostHome) kept() string            { return "" }

// noteSimulated names the drifted steps a stand-in ran: update keeps their
// documented output (the stand-in's is not the real program's) and fixes
// only their prompts.
func noteSimulated(w io.Writer, results []runbook.Result) {
	for _, res := range results {
		if res.Verdict == runbook.Drift && res.Outcome != nil && res.Outcome.Simulated {
			fmt.Fprintf(w, "%s: %s: output not rewritten: a stand-in ran it (simulated), so its output is not the real program's\n",
				programName, res.Step.Head().Pos)
		}
	}
}

// reportUnfixable names the steps that failed: update only rewrites drift.
func reportUnfixable(w io.Writer, results []runbook.Result, sec *secrets) int {
	code := exitOK
	for _, res := range results {
		if res.Verdict != runbook.Failed {
			continue
		}
		code = exitFound
		reason := res.Reason
		if reason == "" && res.Outcome != nil && res.Outcome.Err != nil {
			reason = res.Outcome.Err.Error()
		}
		fmt.Fprintf(w, "%s: %s: step %d failed (update cannot fix that): %s\n", programName,
			res.Step.Head().Pos, res.Step.Head().ID, sec.redact(reason))
	}
	return code
}

// rewriteFiles rewrites the guide and each include with drifted steps; it
// prints the patches, or writes the files with write. It returns how many
// files changed.
func rewriteFiles(e env, guide string, results []runbook.Result, sec *secrets, write bool, home string) (int, error) {
	files := map[string]bool{}
	for _, res := range results {
		if res.Verdict == runbook.Drift {
			files[res.Step.Head().Pos.File] = true
		}
	}
	names := make([]string, 0, len(files))
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	changed := 0
	for _, name := range names {
		disk := sourcePath(guide, name)
		src, err := os.ReadFile(disk)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s: %s: cannot read it to update: %v\n", programName, name, err)
			continue
		}
		out, err := update.Rewrite(src, name, results, update.Options{Home: home})
		if err != nil {
			fmt.Fprintf(e.stderr, "%s: %s\n", programName, sec.redact(err.Error()))
		}
		if string(out) == string(src) {
			continue
		}
		changed++
		if !write {
			io.WriteString(e.stdout, sec.redact(update.Patch(src, out, name)))
			continue
		}
		if err := writeFileAtomic(disk, []byte(sec.redact(string(out)))); err != nil {
			return changed, &exitError{code: exitFound, err: fmt.Errorf("%s: %v", disk, err)}
		}
		fmt.Fprintf(e.stdout, "updated %s\n", name)
	}
	if changed == 0 {
		fmt.Fprintln(e.stdout, "Nothing to update: no step drifted.")
	}
	return changed, nil
}

// sourcePath finds the file a position names: as given, or relative to the
// guide's directory when an include's position is relative to it.
func sourcePath(guide, name string) string {
	if _, err := os.Stat(name); err == nil || filepath.IsAbs(name) {
		return name
	}
	alt := filepath.Join(filepath.Dir(guide), name)
	if _, err := os.Stat(alt); err == nil {
		return alt
	}
	return name
}
