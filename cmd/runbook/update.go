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

func newUpdateCmd(e env) *cobra.Command {
	var pf paramFlags
	var sections sectionFlags
	var write bool
	var timeout, idle time.Duration
	cmd := &cobra.Command{
		Use:   "update GUIDE",
		Short: "Rewrite a guide's documented output from a real run",
		Long: `Run the guide, like 'check --no-sandbox', and rewrite the documented output
of every drifted command (and a wrong prompt directory) from what really
happened. The example values are put back (an actual alice and alice.dev become
isabell and example.org again), secrets are masked, and elisions and volatile
values are kept where they still match; the rest of the file stays byte for byte.
Every step runs, even after one that drifted or failed, so one run finds all the
drift; only sections off the install path (Updates, an "Option B", …; 'runbook
steps' marks them) are left out unless --section TITLE or --all asks for them.
Drifted output in an include is rewritten in the include.

Until the sandbox is available, update runs the guide's commands on this host,
for real, in a plain bash starting in $HOME. Secrets without a value get random
ones.

Without --write it prints the patch; with --write it replaces the files.

Examples:
  runbook update guides/synapse.rst
  runbook update guides/synapse.rst --set isabell=alice --write

Exit codes: 0 nothing to update, or --write updated the files; 1 a step
failed (update cannot fix that), or without --write, there is drift to update;
2 wrong invocation or a guide that cannot be read or parsed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return updateGuide(e, args[0], &pf, &sections, write, timeout, idle)
		},
	}
	pf.register(cmd.Flags())
	sections.register(cmd.Flags())
	cmd.Flags().BoolVar(&write, "write", false, "write the updated guide (atomically) instead of printing the patch")
	cmd.Flags().DurationVar(&timeout, "timeout", defaultTimeout, "stop a step that runs longer than `D`")
	cmd.Flags().DurationVar(&idle, "idle", defaultIdle, "interrupt a prompt nobody answers after `D`")
	return cmd
}

func updateGuide(e env, path string, pf *paramFlags, sections *sectionFlags, write bool, timeout, idle time.Duration) error {
	g, err := pf.loadForRun(path, e.stderr)
	if err != nil {
		return err
	}
	if err := sections.check(g); err != nil {
		return err
	}
	_, ps, err := pf.apply(g)
	if err != nil {
		return err
	}
	if err := fillSecrets(e, ps, nil, true); err != nil {
		return err
	}
	home, err := homeDir()
	if err != nil {
		return err
	}
	ps = withHome(ps, home)
	applied := applyValues(g, ps)
	warnNoSteps(e.stderr, path, g)
	warnUser(e.stderr, ps)
	fmt.Fprintf(e.stderr, "%s: update runs %s on this host, for real (the sandbox is not available yet)\n", programName, path)
	r := runbook.NewReplacer(ps)
	sec := newSecrets(r, ps)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := runner.Options{KeepGoing: true, Timeout: timeout, Idle: idle, Dir: home, Messages: messages(ps)}
	sections.apply(&opts)
	if isTerminal(e.stderr) {
		opts.Progress = checkProgress(e.stderr, nil, path, sec, nil)
	}
	rep, runErr := runner.Run(ctx, applied, r, opts)
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
	changed, err := rewriteFiles(e, path, rep.Results, sec, write, r.Redact(r.Reverse(home)))
	if err != nil {
		return err
	}
	if changed > 0 && !write {
		code = exitFound
	}
	return exitCode(code)
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
