package runner

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
	"github.com/runbookdev/runbook/verifier/report"
)

// fixturesDir is the repository's fixtures folder, seen from this package.
const fixturesDir = "../fixtures"

// requireTools skips the test when a program is missing, or fails it when
// RUNBOOK_REQUIRE_INTEGRATION=1 says the environment must have it.
func requireTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("RUNBOOK_REQUIRE_INTEGRATION") == "1" {
				t.Fatalf("%s is required (RUNBOOK_REQUIRE_INTEGRATION=1): %v", tool, err)
			}
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
}

// loadGuide parses a guide from dir through the real parser and applies the values set.
func loadGuide(t *testing.T, dir, name string, set map[string]string) (*runbook.Guide, *runbook.Replacer) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	g, err := parser.Parse(name, src, os.DirFS(dir))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if len(g.Steps) == 0 {
		t.Fatalf("%s: the parser found no steps", name)
	}
	ps := g.Params
	for k, v := range set {
		if err := params.Set(ps, k, v); err != nil {
			t.Fatalf("--set %s: %v", k, err)
		}
	}
	return params.Apply(g, ps), runbook.NewReplacer(ps)
}

// sandboxOptions runs with HOME in a temp dir and fixtures/bin on PATH, so
// nothing touches the real home.
func sandboxOptions(t *testing.T) (Options, string) {
	t.Helper()
	home := t.TempDir()
	bin, err := filepath.Abs(filepath.Join(fixturesDir, "bin"))
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Dir:     home,
		Home:    home,
		Env:     []string{"HOME=" + home, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")},
		Idle:    2 * time.Second,
		Timeout: 60 * time.Second,
	}, home
}

// runFixture runs fixtures/NAME for real: parser, params, runner, executor, verifier.
func runFixture(t *testing.T, name string, set map[string]string, opts Options) report.Report {
	t.Helper()
	requireTools(t, "bash", "python3", "sqlite3")
	g, r := loadGuide(t, fixturesDir, name, set)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := Run(ctx, g, r, opts)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if len(rep.Results) != len(g.Steps) {
		t.Fatalf("%d results for %d steps", len(rep.Results), len(g.Steps))
	}
	return rep
}

// describe renders the results for a failure message.
func describe(rep report.Report) string {
	var b strings.Builder
	for _, r := range rep.Results {
		fmt.Fprintf(&b, "%s %s %s", r.Step.Head().Pos, r.Verdict, r.Reason)
		if c, ok := r.Step.(*runbook.Command); ok {
			fmt.Fprintf(&b, " $ %s", c.Text)
		}
		if o := r.Outcome; o != nil {
			fmt.Fprintf(&b, " exit=%d err=%v notes=%q output=%q", o.Exit, o.Err, o.Notes, o.Output)
		}
		if r.Diff != "" {
			fmt.Fprintf(&b, "\n%s", r.Diff)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// lineOf returns the 1-based line of the first line of fixtures/NAME containing text.
func lineOf(t *testing.T, name, text string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, text) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line containing %q", name, text)
	return 0
}

// expectVerdicts checks every step: those whose position is in want have that
// verdict, every other step is ok.
func expectVerdicts(t *testing.T, rep report.Report, want map[string]runbook.Verdict) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range rep.Results {
		pos := r.Step.Head().Pos.String()
		v, ok := want[pos]
		if !ok {
			v = runbook.OK
		}
		seen[pos] = true
		if r.Verdict != v {
			t.Errorf("%s: verdict %s, want %s", pos, r.Verdict, v)
		}
	}
	for pos := range want {
		if !seen[pos] {
			t.Errorf("no step at %s", pos)
		}
	}
	if t.Failed() {
		t.Logf("results:\n%s", describe(rep))
	}
}

// resultAt finds the result of the step at pos (file:line).
func resultAt(t *testing.T, rep report.Report, pos string) runbook.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Step.Head().Pos.String() == pos {
			return r
		}
	}
	t.Fatalf("no step at %s", pos)
	return runbook.Result{}
}

// commandAt finds the result whose command contains text.
func commandAt(t *testing.T, rep report.Report, text string) runbook.Result {
	t.Helper()
	for _, r := range rep.Results {
		if c, ok := r.Step.(*runbook.Command); ok && strings.Contains(c.Text, text) {
			return r
		}
	}
	t.Fatalf("no command containing %q:\n%s", text, describe(rep))
	return runbook.Result{}
}

func TestFixtureShellState(t *testing.T) {
	opts, _ := sandboxOptions(t)
	var live strings.Builder
	opts.Output = &live
	rep := runFixture(t, "shell-state.rst", nil, opts)
	expectVerdicts(t, rep, nil)
	if s := live.String(); strings.Contains(s, "\x1e") || strings.Contains(s, "PS1=") ||
		!strings.Contains(s, " state]$ shout quiet\r\nQUIET!\r\n") || !strings.Contains(s, " ~]$ ls -d runbook-fixtures/state\r\n") {
		t.Errorf("the live output is not the terminal a reader would see:\n%q", s)
	}
	if n := len(rep.Results); n != 12 {
		t.Errorf("%d steps, want 12", n)
	}
	back := commandAt(t, rep, "ls -d runbook-fixtures")
	if back.Outcome == nil || len(back.Outcome.Notes) == 0 || !strings.Contains(strings.Join(back.Outcome.Notes, " "), "~") {
		t.Errorf("the ~ block was not started from ~ with a note: %+v", back.Outcome)
	}
}

func TestFixtureContinuation(t *testing.T) {
	opts, home := sandboxOptions(t)
	var live strings.Builder
	opts.Output = &live
	rep := runFixture(t, "continuation.rst", nil, opts)
	expectVerdicts(t, rep, nil)
	if s := live.String(); strings.Contains(s, "eval $'") || !strings.Contains(s, "continuation]$ printf '%s-%s-%s\\n' \\\r\n>   one \\\r\n") {
		t.Errorf("multi-line commands are not shown as typed:\n%q", s)
	}
	if n := len(rep.Results); n != 8 {
		t.Errorf("%d steps, want 8 (each continued command and heredoc is one step)", n)
	}
	data, err := os.ReadFile(filepath.Join(home, "runbook-fixtures/continuation/notes.txt"))
	if want := "first line\nhome is " + home + "\n"; err != nil || string(data) != want {
		t.Errorf("notes.txt = %q, %v; want %q", data, err, want)
	}
}

func TestFixtureREPL(t *testing.T) {
	opts, _ := sandboxOptions(t)
	rep := runFixture(t, "repl.rst", nil, opts)
	expectVerdicts(t, rep, nil)
	if n := len(rep.Results); n != 5 {
		t.Errorf("%d steps, want 5 (a REPL session is one step)", n)
	}
}

func TestFixtureMerge(t *testing.T) {
	opts, home := sandboxOptions(t)
	rep := runFixture(t, "merge.rst", nil, opts)
	expectVerdicts(t, rep, nil)
	kinds := map[runbook.FileMode]int{}
	for _, r := range rep.Results {
		if f, ok := r.Step.(*runbook.File); ok {
			kinds[f.Mode]++
		}
	}
	if kinds[runbook.Create] != 3 || kinds[runbook.Merge] != 3 {
		t.Errorf("file steps by mode %v, want 3 creates and 3 merges", kinds)
	}
	yaml, _ := os.ReadFile(filepath.Join(home, "runbook-fixtures/merge/app.yaml"))
	for _, keep := range []string{"# Settings for the fixture app", "# where the app listens", "port: 9000", "host: 127.0.0.1"} {
		if !strings.Contains(string(yaml), keep) {
			t.Errorf("app.yaml lost %q:\n%s", keep, yaml)
		}
	}
}

func TestFixtureServer(t *testing.T) {
	opts, _ := sandboxOptions(t)
	rep := runFixture(t, "server.rst", nil, opts)
	expectVerdicts(t, rep, nil)
	srv := commandAt(t, rep, "serve.py")
	if srv.Outcome == nil || !srv.Outcome.Stopped {
		t.Errorf("the server was not stopped after its documented output: %+v", srv.Outcome)
	}
}

func TestFixtureDrift(t *testing.T) {
	const name = "drift.rst"
	pos := func(text string) string { return fmt.Sprintf("%s:%d", name, lineOf(t, name, text)) }
	wordDrift, dirDrift, failing := pos("$ echo \"The quick"), pos("ap]$ touch marker"), pos("$ cat settings.conf")

	t.Run("keep-going", func(t *testing.T) {
		opts, _ := sandboxOptions(t)
		opts.KeepGoing = true
		rep := runFixture(t, name, nil, opts)
		expectVerdicts(t, rep, map[string]runbook.Verdict{
			wordDrift: runbook.Drift, dirDrift: runbook.Drift, failing: runbook.Failed})
		word := resultAt(t, rep, wordDrift)
		if !strings.HasPrefix(word.Diff, wordDrift+":") || !strings.Contains(word.Diff, "-The quick red fox") ||
			!strings.Contains(word.Diff, "+The quick brown fox") {
			t.Errorf("%s: diff\n%s", wordDrift, word.Diff)
		}
		if dir := resultAt(t, rep, dirDrift); !strings.Contains(dir.Reason, "prompt shows ap") {
			t.Errorf("%s: reason %q does not name the prompt", dirDrift, dir.Reason)
		}
	})
	t.Run("stop", func(t *testing.T) {
		opts, _ := sandboxOptions(t)
		rep := runFixture(t, name, nil, opts)
		var got []string
		for _, r := range rep.Results {
			got = append(got, string(r.Verdict))
		}
		if want := "ok drift skipped skipped skipped skipped skipped skipped"; strings.Join(got, " ") != want {
			t.Errorf("verdicts %q, want %q\n%s", strings.Join(got, " "), want, describe(rep))
		}
		if r := rep.Results[2].Reason; !strings.Contains(r, "step 2") {
			t.Errorf("skipped reason %q does not name the drifted step", r)
		}
	})
	t.Run("failed", func(t *testing.T) {
		opts, home := sandboxOptions(t)
		opts.From = 7 // start at the failing command, in the directory its prompt shows
		opts.Dir = filepath.Join(home, "runbook-fixtures/drift/app")
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			t.Fatal(err)
		}
		g, r := loadGuide(t, fixturesDir, name, nil)
		rep, err := Run(context.Background(), g, r, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := verdicts(rep.Results); got != "failed skipped" || rep.Results[0].Step.Head().Pos.String() != failing {
			t.Fatalf("verdicts %q\n%s", got, describe(rep))
		}
		if r := rep.Results[1].Reason; r != "not run: step 7 failed" {
			t.Errorf("reason %q", r)
		}
	})
	t.Run("fixed", func(t *testing.T) {
		opts, _ := sandboxOptions(t)
		rep := runFixture(t, "drift-fixed.rst", nil, opts)
		expectVerdicts(t, rep, nil)
	})
}

func TestFixtureAnswersKeepSecrets(t *testing.T) {
	for _, tc := range []struct {
		name, secret string
		set          map[string]string
	}{
		{"sidecar", "fixture-Secret-0x5eed", nil},
		{"set", "s3cr3t-Typed-7f", map[string]string{"MySuperSecretPassword": "s3cr3t-Typed-7f", "user": "alice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, home := sandboxOptions(t)
			var rec, live strings.Builder
			var events []string
			opts.Record, opts.Output = &rec, &live
			opts.StatePath = filepath.Join(t.TempDir(), "state.json")
			opts.Progress = func(e Event) { events = append(events, fmt.Sprintf("%s %+v", jsonOf(e.Step), e.Result)) }
			rep := runFixture(t, "answers.rst", tc.set, opts)
			expectVerdicts(t, rep, nil)

			asked := commandAt(t, rep, "ask")
			if want := fmt.Sprintf("password: %d characters", len(tc.secret)); asked.Outcome == nil || !strings.Contains(asked.Outcome.Output, want) {
				t.Errorf("the hidden answer was not the secret: output %q, want %q", asked.Outcome.Output, want)
			}
			ini, err := os.ReadFile(filepath.Join(home, "runbook-fixtures/answers/client.ini"))
			if err != nil || !strings.Contains(string(ini), "password = "+tc.secret) {
				t.Errorf("client.ini = %q, %v: the file must hold the real secret", ini, err)
			}
			state, err := os.ReadFile(opts.StatePath)
			if err != nil {
				t.Fatal(err)
			}
			_, replay := castEvents(t, []byte(rec.String()))
			if !strings.Contains(replay, "created") || !strings.Contains(replay, runbook.Mask) {
				t.Errorf("the recording lacks the run or the mask:\n%s", replay)
			}
			for what, text := range map[string]string{
				"results": describe(rep) + jsonOf(rep.Results), "events": strings.Join(events, "\n"),
				"state": string(state), "recording": rec.String(), "live output": live.String(),
			} {
				if strings.Contains(text, tc.secret) {
					t.Errorf("the secret leaked into the %s", what)
				}
			}
		})
	}
}

func jsonOf(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(data)
}

// TestFixturesRunTwice runs every passing fixture twice in the same home, as
// a user trying them again would: the second run passes too.
func TestFixturesRunTwice(t *testing.T) {
	for _, name := range []string{"shell-state.rst", "continuation.rst", "repl.rst", "merge.rst",
		"server.rst", "answers.rst", "drift-fixed.rst", "venv.rst", "questions.rst"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts, _ := sandboxOptions(t)
			for range 2 {
				expectVerdicts(t, runFixture(t, name, nil, opts), nil)
			}
		})
	}
}

// TestFixtureQuestions runs fixtures/questions.rst with the domain set:
// the answers shown after their questions (no [default] marks them) are
// typed where the program waits, with the user's value in them, and the
// REPL the guide leaves open is closed after its documented output. The
// idle limit is an hour, so waiting for it would end in the timeout.
func TestFixtureQuestions(t *testing.T) {
	opts, home := sandboxOptions(t)
	opts.Idle, opts.Timeout = time.Hour, 20*time.Second
	rep := runFixture(t, "questions.rst", map[string]string{"example.org": "alice.dev"}, opts)
	for _, r := range rep.Results {
		if r.Verdict != runbook.OK {
			t.Fatalf("not all ok:\n%s", describe(rep))
		}
	}
	saved, err := os.ReadFile(filepath.Join(home, "runbook-fixtures/questions/admin.txt"))
	if err != nil || string(saved) != "isabell@alice.dev\n" {
		t.Fatalf("the program got %q (%v), want the user's email", saved, err)
	}
	admin := commandAt(t, rep, "setup-admin")
	if got := jsonOf(admin.Outcome.Answered); !strings.Contains(got, `"Line":0`) || !strings.Contains(got, `"Line":2`) ||
		strings.Contains(got, "alice.dev") {
		t.Fatalf("answered %s (the report shows the guide's values, not the user's)", got)
	}
	if repl := commandAt(t, rep, "python3 -q"); !repl.Outcome.Stopped {
		t.Fatalf("the REPL was not closed after its documented output: %+v", repl.Outcome)
	}
}

// TestInferredAnswerKeepsSecret types a documented answer that holds a
// secret where the program waits for it (no [default] marks the question):
// the user's value reaches the program, and no result, note, answer record
// or recording shows it.
func TestInferredAnswerKeepsSecret(t *testing.T) {
	dir := t.TempDir()
	src := "Token\n=====\n\n.. code-block:: console\n\n" +
		"  [isabell@stardust ~]$ read -r -p 'API token: ' tok; echo \"$tok\" | md5sum | cut -c1-8 > ~/token.md5\n" +
		"  API token: MySuperSecretPassword\n  [isabell@stardust ~]$\n"
	if err := os.WriteFile(filepath.Join(dir, "token.rst"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	const secret = "Zq9-secret-value-77"
	g, r := loadGuide(t, dir, "token.rst", map[string]string{"MySuperSecretPassword": secret})
	opts, home := sandboxOptions(t)
	opts.Idle, opts.Timeout = time.Hour, 20*time.Second
	var rec bytes.Buffer
	opts.Record = &rec
	rep, err := Run(context.Background(), g, r, opts)
	if err != nil || len(rep.Results) != 1 || rep.Results[0].Verdict != runbook.OK {
		t.Fatalf("run: %v\n%s", err, describe(rep))
	}
	got, _ := os.ReadFile(filepath.Join(home, "token.md5"))
	want := fmt.Sprintf("%x", md5.Sum([]byte(secret+"\n")))[:8] + "\n"
	if string(got) != want {
		t.Fatalf("the program read %q, want the md5 of the user's value %q", got, want)
	}
	if all := jsonOf(rep) + rec.String(); strings.Contains(all, secret) {
		t.Fatalf("the secret shows:\n%s", all)
	}
	if a := rep.Results[0].Outcome.Answered; len(a) != 1 || a[0].Text != "MySuperSecretPassword" {
		t.Fatalf("answered %+v: want the guide's example, not the value", a)
	}
}
