package runner

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
	"github.com/runbookdev/runbook/verifier"
)

// fakeShell stands in for the executor's shell in the tests of the runner's
// own logic (selection, stopping, state, events); the fixture tests use the real one.
type fakeShell struct {
	dir    string
	alive  bool
	ran    []string
	onRun  func(ctx context.Context, text string) *runbook.Outcome
	closed bool
}

func (f *fakeShell) Run(ctx context.Context, c *runbook.Command) *runbook.Outcome {
	f.ran = append(f.ran, c.Text)
	if d, ok := strings.CutPrefix(c.Text, "cd "); ok {
		f.dir = d
	}
	out := &runbook.Outcome{Dir: f.dir}
	if f.onRun != nil {
		if o := f.onRun(ctx, c.Text); o != nil {
			out = o
		}
	}
	if c.Text == "false" {
		out.Exit = 1
	}
	if c.Text == "exit" {
		f.alive = false
		out.Exit = -1
		out.Err = errors.New("the shell died")
	}
	return out
}
func (f *fakeShell) Dir() string  { return f.dir }
func (f *fakeShell) Alive() bool  { return f.alive }
func (f *fakeShell) Close() error { f.closed = true; return nil }

// harness records the shells started and the options they were started with.
type harness struct {
	shells []*fakeShell
	opts   []executor.ShellOptions
	onRun  func(ctx context.Context, text string) *runbook.Outcome
}

func (h *harness) parts() parts {
	return parts{
		startShell: func(ctx context.Context, o executor.ShellOptions) (shell, error) {
			dir := o.Dir
			if dir == "" {
				dir = "/home/t"
			}
			s := &fakeShell{dir: dir, alive: true, onRun: h.onRun}
			h.shells = append(h.shells, s)
			h.opts = append(h.opts, o)
			return s, nil
		},
		applyFile: func(f *executor.Files, step *runbook.File) *runbook.Outcome {
			return &runbook.Outcome{Output: "wrote " + step.Path}
		},
		// A minimal judge, so these tests do not depend on the verifier's rules.
		verify: func(step runbook.Step, out *runbook.Outcome, o verifier.Options) runbook.Result {
			res := runbook.Result{Step: step, Outcome: out, Verdict: runbook.OK}
			if out.Exit != 0 || out.Err != nil {
				res.Verdict, res.Reason = runbook.Failed, "exit status"
			}
			if c, ok := step.(*runbook.Command); ok && len(c.Expect) > 0 && c.Expect[0] != out.Output {
				res.Verdict = runbook.Drift
			}
			return res
		},
	}
}

func cmd(id int, section, text string) *runbook.Command {
	return &runbook.Command{Header: runbook.Header{ID: id, Pos: runbook.Pos{File: "g.rst", Line: id * 10},
		Section: []string{"G", section}}, Prompt: runbook.Prompt{Dir: "x"}, Text: text}
}

func guide(steps ...runbook.Step) *runbook.Guide {
	return &runbook.Guide{Name: "g.rst", Title: "G", Steps: steps}
}

func verdicts(res []runbook.Result) string {
	var v []string
	for _, r := range res {
		v = append(v, string(r.Verdict))
	}
	return strings.Join(v, " ")
}

func TestSelectionFromTo(t *testing.T) {
	h := &harness{}
	g := guide(cmd(1, "A", "a"), cmd(2, "A", "b"), cmd(3, "B", "c"), cmd(4, "B", "d"))
	rep, err := runWith(context.Background(), g, nil, Options{From: 2, To: 3}, h.parts())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2 || rep.Results[0].Step.Head().ID != 2 || rep.Results[1].Step.Head().ID != 3 {
		t.Fatalf("selected %v", rep.Results)
	}
	if got := strings.Join(h.shells[0].ran, ","); got != "b,c" {
		t.Errorf("ran %q, want b,c", got)
	}
	if !h.shells[0].closed {
		t.Error("shell not closed")
	}
}

func TestStopAtFirstFailure(t *testing.T) {
	g := guide(cmd(1, "A", "a"), cmd(2, "A", "false"), cmd(3, "A", "c"), &runbook.Manual{Header: runbook.Header{ID: 4}})
	rep, _ := runWith(context.Background(), g, nil, Options{}, (&harness{}).parts())
	if got := verdicts(rep.Results); got != "ok failed skipped skipped" {
		t.Fatalf("verdicts %q", got)
	}
	if r := rep.Results[2].Reason; r != "not run: step 2 failed" {
		t.Errorf("reason %q", r)
	}
	h := &harness{}
	rep, _ = runWith(context.Background(), g, nil, Options{KeepGoing: true}, h.parts())
	if got := verdicts(rep.Results); got != "ok failed ok manual" {
		t.Fatalf("keep going verdicts %q", got)
	}
}

func TestStopAtDrift(t *testing.T) {
	d := cmd(2, "A", "b")
	d.Expect = []string{"documented"}
	rep, _ := runWith(context.Background(), guide(cmd(1, "A", "a"), d, cmd(3, "A", "c")), nil, Options{}, (&harness{}).parts())
	if got := verdicts(rep.Results); got != "ok drift skipped" {
		t.Fatalf("verdicts %q", got)
	}
	if r := rep.Results[2].Reason; r != "not run: step 2 drifted" {
		t.Errorf("reason %q", r)
	}
}

func TestConfirmPerSection(t *testing.T) {
	g := guide(cmd(1, "A", "a"), cmd(2, "A", "b"), cmd(3, "B", "c"), cmd(4, "C", "d"))
	var asked []string
	opts := Options{Confirm: func(s []string) Decision {
		asked = append(asked, s[len(s)-1])
		if s[len(s)-1] == "C" {
			return StopRun
		}
		return RunSection
	}}
	rep, err := runWith(context.Background(), g, nil, opts, (&harness{}).parts())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(asked, "") != "ABC" {
		t.Errorf("asked for sections %v, want A B C once each", asked)
	}
	if got := verdicts(rep.Results); got != "ok ok ok skipped" || rep.Results[3].Reason != "stopped by user" {
		t.Fatalf("verdicts %q, reason %q", got, rep.Results[3].Reason)
	}
}

func TestProgressEvents(t *testing.T) {
	g := guide(cmd(1, "A", "a"), cmd(2, "A", "false"), cmd(3, "A", "c"))
	var ev []string
	opts := Options{Progress: func(e Event) {
		kind := "start"
		if e.Result != nil {
			kind = string(e.Result.Verdict)
		}
		ev = append(ev, kind+":"+strconv.Itoa(e.Index)+"/"+strconv.Itoa(e.Total))
		if e.Elapsed < 0 {
			t.Errorf("negative elapsed")
		}
	}}
	runWith(context.Background(), g, nil, opts, (&harness{}).parts())
	want := "start:1/3 ok:1/3 start:2/3 failed:2/3 skipped:3/3"
	if got := strings.Join(ev, " "); got != want {
		t.Errorf("events %q\nwant   %q", got, want)
	}
}

func TestBlockStartsAtHome(t *testing.T) {
	first := cmd(2, "A", "pwd")
	first.First, first.Prompt.Dir = true, "~"
	other := cmd(3, "A", "ls")
	other.First, other.Prompt.Dir = true, "elsewhere"
	g := guide(cmd(1, "A", "cd /home/t/sub"), first, other)
	h := &harness{}
	rep, _ := runWith(context.Background(), g, nil, Options{Home: "/home/t"}, h.parts())
	if got := strings.Join(h.shells[0].ran, ","); got != "cd /home/t/sub,cd ~,pwd,ls" {
		t.Fatalf("ran %q", got)
	}
	if n := rep.Results[1].Outcome.Notes; len(n) != 1 || !strings.Contains(n[0], "~") {
		t.Errorf("notes %q", n)
	}
	if n := rep.Results[2].Outcome.Notes; len(n) != 0 {
		t.Errorf("a block whose prompt is not ~ got notes %q", n)
	}
}

func TestDeadShellRestartsWithKeepGoing(t *testing.T) {
	g := guide(cmd(1, "A", "cd /srv"), cmd(2, "A", "exit"), cmd(3, "A", "pwd"))
	h := &harness{}
	rep, _ := runWith(context.Background(), g, nil, Options{KeepGoing: true}, h.parts())
	if got := verdicts(rep.Results); got != "ok failed ok" {
		t.Fatalf("verdicts %q", got)
	}
	if len(h.shells) != 2 || h.opts[1].Dir != "/srv" {
		t.Fatalf("want a second shell in /srv, got %d shells, %+v", len(h.shells), h.opts)
	}
	if n := rep.Results[2].Outcome.Notes; len(n) == 0 || !strings.Contains(n[0], "fresh") {
		t.Errorf("notes %q", n)
	}
}

func TestDryRunStartsNoShell(t *testing.T) {
	f := &runbook.File{Header: runbook.Header{ID: 2}, Path: "~/x.yaml", Mode: runbook.Create, Content: "a: 1\n"}
	g := guide(cmd(1, "A", "rm -rf /"), f)
	h := &harness{}
	var files *executor.Files
	p := h.parts()
	p.applyFile = func(fs *executor.Files, step *runbook.File) *runbook.Outcome {
		files = fs
		return &runbook.Outcome{Output: "+a: 1\n"}
	}
	rep, err := runWith(context.Background(), g, nil, Options{DryRun: true, StatePath: filepath.Join(t.TempDir(), "s")}, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.shells) != 0 {
		t.Fatal("a dry run started a shell")
	}
	if files == nil || !files.DryRun {
		t.Fatal("file step not applied with DryRun")
	}
	if got := verdicts(rep.Results); got != "skipped skipped" {
		t.Errorf("verdicts %q", got)
	}
	if o := rep.Results[0].Outcome; o == nil || len(o.Notes) == 0 || o.Notes[0] != "dry run" {
		t.Errorf("command outcome %+v", o)
	}
	if o := rep.Results[1].Outcome; o == nil || o.Output != "+a: 1\n" {
		t.Errorf("file outcome %+v", o)
	}
}

func TestInterruptSkipsTheRest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{onRun: func(c context.Context, text string) *runbook.Outcome {
		if text == "sleep 100" {
			cancel() // Ctrl-C arrives while the command runs
			return &runbook.Outcome{Exit: -1, Err: c.Err()}
		}
		return nil
	}}
	state := filepath.Join(t.TempDir(), "state.json")
	g := guide(cmd(1, "A", "a"), cmd(2, "A", "sleep 100"), cmd(3, "A", "c"))
	rep, err := runWith(ctx, g, nil, Options{StatePath: state, KeepGoing: true}, h.parts())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if got := verdicts(rep.Results); got != "ok failed skipped" || rep.Results[2].Reason != "interrupted" {
		t.Fatalf("verdicts %q reason %q", got, rep.Results[2].Reason)
	}
	if !h.shells[0].closed {
		t.Error("shell left open")
	}
	if st := readState(t, state); st.LastGood != 1 {
		t.Errorf("state last good %d, want 1", st.LastGood)
	}
}

func readState(t *testing.T, path string) savedState {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestResume(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	g := guide(cmd(1, "A", "cd /srv/app"), cmd(2, "A", "false"), cmd(3, "A", "c"))
	runWith(context.Background(), g, nil, Options{StatePath: state}, (&harness{}).parts())
	st := readState(t, state)
	if st.LastGood != 1 || st.Dir != "/srv/app" || st.Guide != "g.rst" || st.Hash == "" {
		t.Fatalf("state %+v", st)
	}

	// The guide is fixed at the failing step: resuming is allowed, and starts there, in /srv/app.
	g.Steps[1] = cmd(2, "A", "true")
	h := &harness{}
	rep, err := runWith(context.Background(), g, nil, Options{StatePath: state, Resume: true}, h.parts())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2 || verdicts(rep.Results) != "ok ok" || h.opts[0].Dir != "/srv/app" {
		t.Fatalf("resumed %q in %q", verdicts(rep.Results), h.opts[0].Dir)
	}
	if st := readState(t, state); st.LastGood != 3 {
		t.Errorf("last good %d after finishing", st.LastGood)
	}

	// A step that already ran has changed: refuse, clearly.
	g.Steps[0] = cmd(1, "A", "cd /srv/other")
	_, err = runWith(context.Background(), g, nil, Options{StatePath: state, Resume: true}, (&harness{}).parts())
	if err == nil || !strings.Contains(err.Error(), "changed") || !strings.Contains(err.Error(), "g.rst") {
		t.Fatalf("changed guide: err %v", err)
	}
}

func TestResumeWithoutState(t *testing.T) {
	_, err := runWith(context.Background(), guide(cmd(1, "A", "a")), nil,
		Options{StatePath: filepath.Join(t.TempDir(), "none"), Resume: true}, (&harness{}).parts())
	if err == nil || !strings.Contains(err.Error(), "without --resume") {
		t.Fatalf("err %v", err)
	}
}

func TestKeepGoingDoesNotAdvancePastFailure(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	g := guide(cmd(1, "A", "a"), cmd(2, "A", "false"), cmd(3, "A", "c"))
	runWith(context.Background(), g, nil, Options{StatePath: state, KeepGoing: true}, (&harness{}).parts())
	if st := readState(t, state); st.LastGood != 1 {
		t.Errorf("last good %d, want 1: step 2 failed", st.LastGood)
	}
}

func TestRelativeFilePathFollowsShell(t *testing.T) {
	var got string
	p := (&harness{}).parts()
	p.applyFile = func(files *executor.Files, step *runbook.File) *runbook.Outcome {
		got, _ = files.Expand(step.Path) // where the executor would write it
		return &runbook.Outcome{}
	}
	f := &runbook.File{Header: runbook.Header{ID: 2}, Path: "conf/app.ini"}
	rep, _ := runWith(context.Background(), guide(cmd(1, "A", "cd /srv"), f), nil, Options{}, p)
	if got != "/srv/conf/app.ini" {
		t.Errorf("path %q", got)
	}
	if rep.Results[1].Step.(*runbook.File).Path != "conf/app.ini" {
		t.Error("the reported step lost the guide's own path")
	}
}

func TestInterruptDuringConfirm(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{}
	g := guide(cmd(1, "A", "a"), cmd(2, "B", "b"))
	opts := Options{Confirm: func(s []string) Decision {
		if s[1] == "B" {
			cancel() // Ctrl-C while the question is open
		}
		return RunSection
	}}
	rep, err := runWith(ctx, g, nil, opts, h.parts())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if got := verdicts(rep.Results); got != "ok skipped" || rep.Results[1].Reason != "interrupted" {
		t.Fatalf("verdicts %q reason %q", got, rep.Results[1].Reason)
	}
	if ran := strings.Join(h.shells[0].ran, ","); ran != "a" {
		t.Errorf("ran %q", ran)
	}
}

func TestNothingSecretLeavesTheRunner(t *testing.T) {
	const secret = "Hunter2-xyz"
	ps := []runbook.Param{{Name: "password", Example: "MySuperSecretPassword", Value: secret, Kind: runbook.ParamSecret, Secret: true}}
	r := runbook.NewReplacer(ps)
	c := cmd(1, "A", "echo "+secret)
	c.Expect = []string{"MySuperSecretPassword"}
	c.Answers = []runbook.Answer{{Kind: runbook.Hidden, Prompt: "Password:", Text: secret}}
	f := &runbook.File{Header: runbook.Header{ID: 2}, Path: "~/x.ini", Content: "password = " + secret + "\n"}
	h := &harness{onRun: func(_ context.Context, text string) *runbook.Outcome {
		return &runbook.Outcome{Output: secret, Notes: []string{"typed " + secret}, Err: nil, Dir: "/home/t"}
	}}
	p := h.parts()
	p.applyFile = func(_ *executor.Files, step *runbook.File) *runbook.Outcome {
		return &runbook.Outcome{Output: "+" + step.Content, Err: errors.New("cannot write " + secret), Exit: -1}
	}
	var events strings.Builder
	state := filepath.Join(t.TempDir(), "state.json")
	opts := Options{KeepGoing: true, StatePath: state, Progress: func(e Event) {
		data, _ := json.Marshal(e)
		events.Write(data)
	}}
	rep, _ := runWith(context.Background(), guide(c, f), r, opts, p)
	data, _ := json.Marshal(rep.Results)
	saved, _ := os.ReadFile(state)
	all := string(data) + events.String() + string(saved)
	for _, res := range rep.Results {
		if res.Outcome != nil {
			all += res.Outcome.Output + strings.Join(res.Outcome.Notes, " ")
			if res.Outcome.Err != nil {
				all += res.Outcome.Err.Error()
			}
		}
	}
	if strings.Contains(all, secret) {
		t.Fatalf("the secret left the runner:\n%s", all)
	}
	if rep.Results[0].Verdict != runbook.OK || rep.Results[1].Verdict != runbook.Failed {
		t.Errorf("verdicts %s (the echoed secret must match the documented example)", verdicts(rep.Results))
	}
	if h.shells[0].ran[0] != "echo "+secret {
		t.Error("the shell must still get the real value")
	}
}

// A shell that cannot start fails the first step once, with the reason; the
// rest are skipped, even with --keep-going, instead of each failing alike.
func TestShellThatCannotStart(t *testing.T) {
	p := (&harness{}).parts()
	starts := 0
	p.startShell = func(ctx context.Context, o executor.ShellOptions) (shell, error) {
		starts++
		return nil, errors.New("cannot change to /nowhere in the new shell")
	}
	g := guide(cmd(1, "A", "a"), cmd(2, "A", "b"), cmd(3, "B", "c"))
	rep, _ := runWith(context.Background(), g, nil, Options{KeepGoing: true}, p)
	if got := verdicts(rep.Results); got != "failed skipped skipped" {
		t.Fatalf("verdicts %q, want failed skipped skipped", got)
	}
	if starts != 1 {
		t.Errorf("tried to start the shell %d times, want 1", starts)
	}
	if r := rep.Results[1].Reason; r != "not run: the shell could not start" {
		t.Errorf("reason of a skipped step %q", r)
	}
}

// TestProgressKeepsGuideNumbers: --from and --resume count in the guide's
// step numbers (3/4, not 1/2), so the counter matches `runbook steps`.
func TestProgressKeepsGuideNumbers(t *testing.T) {
	g := guide(cmd(1, "A", "a"), cmd(2, "A", "b"), cmd(3, "B", "c"), cmd(4, "B", "d"))
	state := filepath.Join(t.TempDir(), "state.json")
	record := func(opts Options) string {
		var ev []string
		opts.Progress = func(e Event) {
			if e.Result != nil {
				ev = append(ev, strconv.Itoa(e.Index)+"/"+strconv.Itoa(e.Total))
			}
		}
		opts.StatePath = state
		if _, err := runWith(context.Background(), g, nil, opts, (&harness{}).parts()); err != nil {
			t.Fatal(err)
		}
		return strings.Join(ev, " ")
	}
	if got := record(Options{From: 3}); got != "3/4 4/4" {
		t.Errorf("--from 3 counts %q, want 3/4 4/4", got)
	}
	if got := record(Options{To: 2}); got != "1/4 2/4" {
		t.Errorf("--to 2 counts %q, want 1/4 2/4", got)
	}
	if got := record(Options{Resume: true}); got != "3/4 4/4" {
		t.Errorf("--resume after step 2 counts %q, want 3/4 4/4", got)
	}
}

// TestReasonKeepsRealPaths: a failure's reason quotes the command's last
// lines with the user's values put back, but not the guide's home in
// place of this host's: the file that is missing is /srv/t/app.conf.
func TestReasonKeepsRealPaths(t *testing.T) {
	user := runbook.Param{Name: "user", Example: "isabell", Value: "alice", Kind: runbook.ParamUser}
	home := runbook.Param{Name: "home:user", Example: "/home/isabell", Value: "/srv/t", Kind: runbook.ParamUser}
	h := &harness{onRun: func(_ context.Context, text string) *runbook.Outcome {
		return &runbook.Outcome{Exit: 2, Dir: "/srv/t",
			Output: "checking /srv/t\r\n\r\nalice: cannot open /srv/t/app.conf\r\n"}
	}}
	p := h.parts()
	p.verify = verifier.Verify
	g := guide(cmd(1, "A", "app --check"))
	opts := Options{Home: "/srv/t", Messages: runbook.NewReplacer([]runbook.Param{user})}
	rep, _ := runWith(context.Background(), g, runbook.NewReplacer([]runbook.Param{user, home}), opts, p)
	want := "exit status 2; its last lines:\nchecking /srv/t\nisabell: cannot open /srv/t/app.conf"
	if got := rep.Results[0].Reason; got != want {
		t.Errorf("reason %q\nwant   %q", got, want)
	}
	if out := rep.Results[0].Outcome.Output; !strings.Contains(out, "/home/isabell/app.conf") {
		t.Errorf("the compared output should still read the guide's home: %q", out)
	}
}
