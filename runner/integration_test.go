package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	runbook "github.com/runbookdev/runbook"
)

func TestInterruptRealShell(t *testing.T) {
	requireTools(t, "bash")
	g, r := loadGuide(t, "testdata", "interrupt.rst", nil)
	opts, home := sandboxOptions(t)
	opts.StatePath = filepath.Join(t.TempDir(), "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts.Progress = func(e Event) {
		if c, ok := e.Step.(*runbook.Command); ok && e.Result == nil && c.Text == "sleep 30" {
			time.AfterFunc(200*time.Millisecond, cancel) // Ctrl-C while it sleeps
		}
	}
	rep, err := Run(ctx, g, r, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if got := verdicts(rep.Results); got != "ok failed skipped" || rep.Results[2].Reason != "interrupted" {
		t.Fatalf("verdicts %q\n%s", got, describe(rep))
	}
	if d := rep.Results[1].Outcome.Duration; d > 20*time.Second {
		t.Errorf("the interrupted command ran for %s", d)
	}
	if _, err := os.Stat(filepath.Join(home, "runbook-fixtures/interrupt/never")); err == nil {
		t.Error("a step after the interrupt ran")
	}
	st := readState(t, opts.StatePath)
	if st.LastGood != 1 || filepath.Base(st.Dir) != "interrupt" {
		t.Errorf("state %+v", st)
	}
}

func TestDeadShellKeepGoing(t *testing.T) {
	requireTools(t, "bash")
	g, r := loadGuide(t, "testdata", "dies.rst", nil)
	opts, _ := sandboxOptions(t)
	opts.KeepGoing = true
	rep, err := Run(context.Background(), g, r, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := verdicts(rep.Results); got != "ok failed ok" {
		t.Fatalf("verdicts %q\n%s", got, describe(rep))
	}
	if n := strings.Join(rep.Results[2].Outcome.Notes, " "); !strings.Contains(n, "fresh") {
		t.Errorf("no note about the fresh shell: %q", n)
	}

	opts, _ = sandboxOptions(t)
	rep, _ = Run(context.Background(), g, r, opts)
	if got := verdicts(rep.Results); got != "ok failed skipped" {
		t.Fatalf("without --keep-going: verdicts %q\n%s", got, describe(rep))
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	requireTools(t, "bash")
	g, r := loadGuide(t, fixturesDir, "merge.rst", nil)
	opts, home := sandboxOptions(t)
	opts.DryRun = true
	opts.StatePath = filepath.Join(t.TempDir(), "state.json")
	rep, err := Run(context.Background(), g, r, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range rep.Results {
		if res.Verdict != runbook.Skipped || !strings.HasPrefix(res.Reason, "dry run") {
			t.Errorf("%s: %s %q", res.Step.Head().Pos, res.Verdict, res.Reason)
		}
	}
	create := rep.Results[1]
	if _, ok := create.Step.(*runbook.File); !ok || create.Outcome == nil || !strings.Contains(create.Outcome.Output, "+name: fixture") {
		t.Errorf("the dry run of the first create shows no diff: %+v", create.Outcome)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("the dry run wrote %v", entries)
	}
	if _, err := os.Stat(opts.StatePath); err == nil {
		t.Error("a dry run saved progress")
	}
}

// TestFixTheGuideAndResume is the workflow of `run`: it stops at the drifted
// step; the author fixes that step and resumes from it; a change to a step
// that already ran is refused.
func TestFixTheGuideAndResume(t *testing.T) {
	requireTools(t, "bash")
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(fixturesDir, "drift.rst"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "drift.rst"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(string(src))
	opts, _ := sandboxOptions(t)
	opts.StatePath = filepath.Join(t.TempDir(), "state.json")
	g, r := loadGuide(t, dir, "drift.rst", nil)
	rep, err := Run(context.Background(), g, r, opts)
	if err != nil || verdicts(rep.Results) != "ok drift skipped skipped skipped skipped skipped skipped" {
		t.Fatalf("first run: %v\n%s", err, describe(rep))
	}

	fixed := strings.Replace(string(src), "The quick red fox", "The quick brown fox", 1)
	fixed = strings.Replace(fixed, "ap]$ touch marker", "app]$ touch marker", 1)
	write(fixed)
	opts.Resume = true
	g, r = loadGuide(t, dir, "drift.rst", nil)
	rep, err = Run(context.Background(), g, r, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := verdicts(rep.Results); got != "ok ok ok ok ok failed skipped" || rep.Results[0].Step.Head().ID != 2 {
		t.Fatalf("resumed: %q\n%s", got, describe(rep))
	}

	write(strings.Replace(fixed, "mkdir -p", "mkdir -pv", 1))
	g, r = loadGuide(t, dir, "drift.rst", nil)
	if _, err = Run(context.Background(), g, r, opts); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("a changed step that already ran: err %v", err)
	}
}
