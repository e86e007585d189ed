package runner

import (
	"bufio"
	"context"
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
)

// childEnv makes the test binary act as a runner process (see TestMain), so a
// test can SIGKILL a real run in the middle of a step.
const childEnv = "RUNBOOK_RUNNER_CHILD"

func TestMain(m *testing.M) {
	if guide := os.Getenv(childEnv); guide != "" {
		os.Exit(childMain(guide))
	}
	os.Exit(m.Run())
}

// childMain runs one guide like `runbook run` would and prints each event as
// "start ID" or "end ID VERDICT", so the parent knows when to kill it.
func childMain(guide string) int {
	src, err := os.ReadFile(guide)
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	g, err := parser.Parse(filepath.Base(guide), src, os.DirFS(filepath.Dir(guide)))
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	home := os.Getenv("RUNBOOK_CHILD_HOME")
	opts := Options{
		Dir: home, Home: home, Env: []string{"HOME=" + home},
		StatePath: os.Getenv("RUNBOOK_CHILD_STATE"),
		Resume:    os.Getenv("RUNBOOK_CHILD_RESUME") == "1",
		Timeout:   time.Minute, Idle: 5 * time.Second,
		Progress: func(e Event) {
			if e.Result == nil {
				fmt.Printf("start %d\n", e.Step.Head().ID)
			} else {
				fmt.Printf("end %d %s\n", e.Step.Head().ID, e.Result.Verdict)
			}
		},
	}
	rep, err := Run(context.Background(), params.Apply(g, g.Params), runbook.NewReplacer(g.Params), opts)
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	for _, r := range rep.Results {
		if r.Verdict != runbook.OK {
			return 1
		}
	}
	return 0
}

// child is one runner process started by the test.
type child struct {
	cmd   *exec.Cmd
	lines *bufio.Scanner
	log   []string
}

func startChild(t *testing.T, guide, home, state string, resume bool) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+guide, "RUNBOOK_CHILD_HOME="+home,
		"RUNBOOK_CHILD_STATE="+state, fmt.Sprintf("RUNBOOK_CHILD_RESUME=%d", map[bool]int{true: 1}[resume]))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return &child{cmd: cmd, lines: bufio.NewScanner(out)}
}

// killAt reads events until step id starts, then SIGKILLs the runner.
func (c *child) killAt(t *testing.T, id int) {
	t.Helper()
	want := fmt.Sprintf("start %d", id)
	for c.lines.Scan() {
		c.log = append(c.log, c.lines.Text())
		if c.lines.Text() == want {
			c.cmd.Process.Kill()
			c.cmd.Wait()
			return
		}
	}
	c.cmd.Wait()
	t.Fatalf("the run ended before step %d started: %q", id, c.log)
}

// finish reads every event and waits for a clean exit.
func (c *child) finish(t *testing.T) {
	t.Helper()
	for c.lines.Scan() {
		c.log = append(c.log, c.lines.Text())
	}
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("resumed run: %v; events %q", err, c.log)
	}
}

func TestKilledRunLosesNoFile(t *testing.T) {
	requireTools(t, "bash")
	guide, err := filepath.Abs("testdata/kill.rst")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := loadGuide(t, "testdata", "kill.rst", nil)
	id := func(match func(runbook.Step) bool) int {
		for i, s := range g.Steps {
			if match(s) {
				return stepID(s, i)
			}
		}
		t.Fatalf("kill.rst: step not found")
		return 0
	}
	sleepStep := id(func(s runbook.Step) bool {
		c, ok := s.(*runbook.Command)
		return ok && strings.HasPrefix(c.Text, "sleep")
	})
	mergeStep := id(func(s runbook.Step) bool { f, ok := s.(*runbook.File); return ok && f.Mode == runbook.Merge })
	lastFile := id(func(s runbook.Step) bool {
		f, ok := s.(*runbook.File)
		return ok && strings.HasSuffix(f.Path, "second.txt")
	})
	appendStep := id(func(s runbook.Step) bool { f, ok := s.(*runbook.File); return ok && f.Mode == runbook.Append })

	home, state := t.TempDir(), filepath.Join(t.TempDir(), "state.json")
	startChild(t, guide, home, state, false).killAt(t, sleepStep)
	var st savedState
	data, err := os.ReadFile(state)
	if err == nil {
		err = json.Unmarshal(data, &st)
	}
	if err != nil || st.LastGood != sleepStep-1 || !strings.HasSuffix(st.Dir, "kill") {
		t.Fatalf("state after the kill during the long command: %+v, %v", st, err)
	}
	startChild(t, guide, home, state, true).killAt(t, mergeStep)
	startChild(t, guide, home, state, true).killAt(t, lastFile)
	startChild(t, guide, home, state, true).killAt(t, appendStep)
	last := startChild(t, guide, home, state, true)
	last.finish(t)
	if len(last.log) == 0 || last.log[len(last.log)-1] != fmt.Sprintf("end %d ok", len(g.Steps)) {
		t.Fatalf("the last resume did not finish the guide: %q", last.log)
	}

	checkKillFiles(t, filepath.Join(home, "runbook-fixtures/kill"))
}

// checkKillFiles checks that every file of kill.rst is complete, once.
func checkKillFiles(t *testing.T, dir string) {
	t.Helper()
	for name, want := range map[string]string{
		"first.txt": "alpha\nbeta\ngamma\nzeta\n", "second.txt": "delta\nepsilon\n", "log.txt": "slept\n"} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	var settings struct {
		Name   string
		Server struct {
			Host string
			Port int
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "settings.json"))
	if err == nil {
		err = json.Unmarshal(data, &settings)
	}
	if err != nil || settings.Name != "kill" || settings.Server.Host != "127.0.0.1" || settings.Server.Port != 9000 {
		t.Errorf("settings.json = %s (%v)", data, err)
	}
}

// TestKillAtAnyMomentDuringFileSteps kills fresh runs at random moments
// around the file steps: every file is then absent or complete, never partial.
func TestKillAtAnyMomentDuringFileSteps(t *testing.T) {
	requireTools(t, "bash")
	guide, err := filepath.Abs("testdata/kill.rst")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"first.txt": "alpha\nbeta\ngamma\n"}
	written := 0
	for i := range 12 {
		home, state := t.TempDir(), filepath.Join(t.TempDir(), "state.json")
		c := startChild(t, guide, home, state, false)
		for c.lines.Scan() && c.lines.Text() != "start 1" {
		}
		time.Sleep(time.Duration(i) * 500 * time.Microsecond) // a different moment each time
		c.cmd.Process.Kill()
		c.cmd.Wait()
		for name, content := range want {
			got, err := os.ReadFile(filepath.Join(home, "runbook-fixtures/kill", name))
			if err == nil && string(got) != content && string(got) != content+"zeta\n" {
				t.Fatalf("kill %d: %s is partial: %q", i, name, got)
			}
			if err == nil {
				written++
			}
		}
		data, err := os.ReadFile(filepath.Join(home, "runbook-fixtures/kill/settings.json"))
		if err == nil && !json.Valid(data) {
			t.Fatalf("kill %d: settings.json is partial: %q", i, data)
		}
		if data, err := os.ReadFile(state); err == nil && !json.Valid(data) {
			t.Fatalf("kill %d: the state file is partial: %q", i, data)
		}
	}
	t.Logf("%d of 12 runs were killed after first.txt was written", written)
}
