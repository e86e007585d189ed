package executor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	runbook "github.com/runbookdev/runbook"
)

// need skips a test when a program it drives is missing, or fails it when
// RUNBOOK_REQUIRE_INTEGRATION=1 says the environment must have everything.
func need(t testing.TB, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("RUNBOOK_REQUIRE_INTEGRATION") == "1" {
				t.Fatalf("%s is required (RUNBOOK_REQUIRE_INTEGRATION=1): %v", p, err)
			}
			t.Skipf("%s not found: %v", p, err)
		}
	}
}

// fixtureBin is the absolute path of fixtures/bin, the fixture programs.
func fixtureBin(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "fixtures", "bin"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ask")); err != nil {
		t.Fatalf("fixture programs missing: %v", err)
	}
	return dir
}

// lockedBuffer collects what the shell tees, for the secret checks.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startTest starts a shell for a test with short idle and timeout bounds.
func startTest(t testing.TB, opts ShellOptions) *Shell {
	t.Helper()
	need(t, "bash")
	if opts.Idle == 0 {
		opts.Idle = 300 * time.Millisecond
	}
	if opts.Timeout == 0 {
		opts.Timeout = 60 * time.Second
	}
	opts.Env = append(opts.Env, "PATH="+fixtureBin(t)+":"+os.Getenv("PATH"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := StartShell(ctx, opts)
	if err != nil {
		t.Fatalf("StartShell: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestScripts runs every testdata/*.txtar: one shell per file, its steps in
// order, each step's outcome checked against the file's "want" lines.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runScript(t, file)
		})
	}
}

// script is one txtar file: shell options and numbered steps.
type script struct {
	needs []string
	opts  ShellOptions
	steps []*scriptStep
}

type scriptStep struct {
	cmd    runbook.Command
	want   []string
	output *string
}

func runScript(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	sc, err := parseScript(ar, tmp)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	need(t, sc.needs...)
	tee := &lockedBuffer{}
	sc.opts.Tee = tee
	sc.opts.Env = append(sc.opts.Env, "RB_TMP="+tmp)
	sc.opts.Dir = tmp
	sh := startTest(t, sc.opts)
	for i, st := range sc.steps {
		o := sh.Run(context.Background(), &st.cmd)
		where := fmt.Sprintf("%s: step %d (%q)", filepath.Base(file), i+1, st.cmd.Text)
		for _, w := range st.want {
			if err := checkWant(w, o, sh, tmp); err != nil {
				t.Errorf("%s: want %s: %v\noutcome: %s", where, w, err, describe(o))
			}
		}
		if st.output != nil && o.Output != *st.output {
			t.Errorf("%s: output\n got %q\nwant %q", where, o.Output, *st.output)
		}
		for _, a := range st.cmd.Answers {
			if a.Kind == runbook.Hidden && a.Text != "" {
				if strings.Contains(o.Output, a.Text) || strings.Contains(tee.String(), a.Text) {
					t.Errorf("%s: the secret %q was shown on the terminal", where, a.Text)
				}
			}
		}
	}
}

func describe(o *runbook.Outcome) string {
	return fmt.Sprintf("exit=%d err=%v stopped=%v dir=%q omitted=%d notes=%q answered=%+v output=%q",
		o.Exit, o.Err, o.Stopped, o.Dir, o.Omitted, o.Notes, o.Answered, o.Output)
}

// parseScript reads the "options" file and the "N/command", "N/answers",
// "N/expect", "N/want" and "N/output" files of each step N.
func parseScript(ar *txtar.Archive, tmp string) (*script, error) {
	sc := &script{}
	steps := map[int]*scriptStep{}
	for _, f := range ar.Files {
		data := strings.ReplaceAll(string(f.Data), "$RB_TMP", tmp)
		if f.Name == "options" {
			if err := parseOptions(sc, data); err != nil {
				return nil, err
			}
			continue
		}
		num, part, ok := strings.Cut(f.Name, "/")
		n, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("unexpected file %q", f.Name)
		}
		if steps[n] == nil {
			steps[n] = &scriptStep{}
		}
		if err := steps[n].set(part, data); err != nil {
			return nil, fmt.Errorf("%s: %v", f.Name, err)
		}
	}
	for i := 1; i <= len(steps); i++ {
		if steps[i] == nil {
			return nil, fmt.Errorf("step %d is missing", i)
		}
		steps[i].placeAnswers()
		sc.steps = append(sc.steps, steps[i])
	}
	return sc, nil
}

// placeAnswers sets each answer's Line, as the parser does: the first
// documented line after the previous answer's that starts with its prompt;
// -1 when none does.
func (st *scriptStep) placeAnswers() {
	from := 0
	for i := range st.cmd.Answers {
		a := &st.cmd.Answers[i]
		a.Line = -1
		if a.Unasked {
			continue // the guide does not show it
		}
		for j := from; j < len(st.cmd.Expect); j++ {
			if strings.HasPrefix(strings.TrimSpace(st.cmd.Expect[j]), a.Prompt) {
				a.Line, from = j, j+1
				break
			}
		}
	}
}

func parseOptions(sc *script, data string) error {
	for _, line := range lines(data) {
		k, v, _ := strings.Cut(line, " ")
		var err error
		switch k {
		case "needs":
			sc.needs = strings.Fields(v)
		case "idle":
			sc.opts.Idle, err = time.ParseDuration(v)
		case "timeout":
			sc.opts.Timeout, err = time.ParseDuration(v)
		default:
			err = fmt.Errorf("unknown option %q", k)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var answerKinds = map[string]runbook.AnswerKind{"reply": runbook.Reply, "hidden": runbook.Hidden,
	"input": runbook.Input, "eof": runbook.EndInput}

func (st *scriptStep) set(part, data string) error {
	switch part {
	case "command":
		st.cmd.Text = strings.TrimSuffix(data, "\n")
	case "expect":
		st.cmd.Expect = lines(data)
	case "want":
		st.want = lines(data)
	case "output":
		st.output = &data
	case "answers":
		// KIND PARAM PROMPT => TEXT, one a line; "-" for no param;
		// "unasked-KIND" for an answer the guide does not show.
		for _, line := range lines(data) {
			kind, rest, _ := strings.Cut(line, " ")
			kind, unasked := strings.CutPrefix(kind, "unasked-")
			param, rest, _ := strings.Cut(rest, " ")
			prompt, text, _ := strings.Cut(rest, " =>")
			k, ok := answerKinds[kind]
			if !ok {
				return fmt.Errorf("unknown answer kind %q", kind)
			}
			if param == "-" {
				param = ""
			}
			st.cmd.Answers = append(st.cmd.Answers, runbook.Answer{Kind: k, Param: param,
				Prompt: prompt, Text: strings.TrimPrefix(text, " "), Unasked: unasked})
		}
	default:
		return fmt.Errorf("unknown part %q", part)
	}
	return nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// checkWant checks one "want" line: exit N, err none|REGEXP, stopped BOOL,
// alive BOOL, dir PATH, contains TEXT, lacks TEXT, matches REGEXP,
// omitted N|>0, note REGEXP, errtype TYPE, answered KIND@LINE... (the
// inferred answers, in order; "answered" alone for none).
func checkWant(w string, o *runbook.Outcome, sh *Shell, tmp string) error {
	k, v, _ := strings.Cut(w, " ")
	v = strings.ReplaceAll(v, `\n`, "\n")
	if k == "contains" || k == "lacks" {
		if u, err := strconv.Unquote(`"` + strings.ReplaceAll(v, `"`, `\"`) + `"`); err == nil {
			v = u
		}
	}
	switch k {
	case "exit":
		if n, _ := strconv.Atoi(v); o.Exit != n {
			return fmt.Errorf("exit %d", o.Exit)
		}
	case "err":
		if v == "none" {
			if o.Err != nil {
				return fmt.Errorf("err %v", o.Err)
			}
		} else if o.Err == nil || !regexp.MustCompile(v).MatchString(o.Err.Error()) {
			return fmt.Errorf("err %v", o.Err)
		}
	case "errtype":
		if !errType(o.Err, v) {
			return fmt.Errorf("error %T %v", o.Err, o.Err)
		}
	case "stopped":
		if strconv.FormatBool(o.Stopped) != v {
			return fmt.Errorf("stopped %v", o.Stopped)
		}
	case "alive":
		if strconv.FormatBool(sh.Alive()) != v {
			return fmt.Errorf("alive %v", sh.Alive())
		}
	case "dir":
		want := strings.ReplaceAll(v, "$RB_TMP", tmp)
		if got := evalDir(o.Dir); got != evalDir(want) || sh.Dir() != o.Dir {
			return fmt.Errorf("dir %q, Dir() %q", o.Dir, sh.Dir())
		}
	case "contains", "lacks", "matches":
		return checkOutput(k, v, o.Output)
	case "omitted":
		if v == ">0" && o.Omitted > 0 {
			return nil
		}
		if n, err := strconv.Atoi(v); err != nil || n != o.Omitted {
			return fmt.Errorf("omitted %d", o.Omitted)
		}
	case "answered":
		var got []string
		for _, a := range o.Answered {
			got = append(got, fmt.Sprintf("%s@%d", a.Kind, a.Line))
		}
		if strings.Join(got, " ") != v {
			return fmt.Errorf("answered %q", got)
		}
	case "note":
		for _, n := range o.Notes {
			if regexp.MustCompile(v).MatchString(n) {
				return nil
			}
		}
		return fmt.Errorf("notes %q", o.Notes)
	default:
		return fmt.Errorf("unknown want %q", k)
	}
	return nil
}

func errType(err error, name string) bool {
	var w *WaitingError
	var to *TimeoutError
	var d *ShellDiedError
	var ns *NoSecretError
	switch name {
	case "waiting":
		return errors.As(err, &w)
	case "timeout":
		return errors.As(err, &to)
	case "died":
		return errors.As(err, &d)
	case "nosecret":
		return errors.As(err, &ns)
	}
	return false
}

func evalDir(d string) string {
	if r, err := filepath.EvalSymlinks(d); err == nil {
		return r
	}
	return d
}

// checkOutput checks the want lines about the captured output.
func checkOutput(k, v, out string) error {
	switch k {
	case "contains":
		if !strings.Contains(out, v) {
			return errors.New("not in the output")
		}
	case "lacks":
		if strings.Contains(out, v) {
			return errors.New("in the output")
		}
	case "matches":
		if !regexp.MustCompile(v).MatchString(out) {
			return errors.New("no match in the output")
		}
	}
	return nil
}
