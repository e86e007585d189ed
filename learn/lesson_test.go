package learn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
)

const (
	home   = "/tmp/learn-home"
	secret = "fixture-Secret-0x5eed"
)

// fixtureLesson is fixtures/learn.rst with the trainee's values: the
// user alice, the secrets set, the example home as the shell's home.
func fixtureLesson(t *testing.T) *Lesson {
	t.Helper()
	src, err := os.ReadFile("../fixtures/learn.rst")
	if err != nil {
		t.Fatal(err)
	}
	g, err := parser.Parse("learn.rst", src, os.DirFS("../fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	ps := params.Detect(g)
	for k, v := range map[string]string{"isabell": "alice", "password:ask": secret, "password:ask-2": secret} {
		if err := params.Set(ps, k, v); err != nil {
			t.Fatal(err)
		}
	}
	ps = append(ps, runbook.Param{Name: "home:user", Example: "/home/isabell", Value: home, Kind: runbook.ParamUser})
	l, err := New(g, params.Apply(g, ps), runbook.NewReplacer(ps), home)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// plain renders feedback without colour at 200 columns, on one line.
func plain(f Feedback) string {
	return strings.ReplaceAll(strings.TrimSpace(f.Say(Look{Width: 200})), "\n", " / ")
}

func expect(t *testing.T, what string, f Feedback, kind FeedbackKind, says ...string) {
	t.Helper()
	if f.Kind != kind {
		t.Errorf("%s: feedback kind %d, want %d (%s)", what, f.Kind, kind, plain(f))
	}
	for _, s := range says {
		if !strings.Contains(plain(f), s) {
			t.Errorf("%s: feedback %q does not say %q", what, plain(f), s)
		}
	}
}

func TestLessonWalk(t *testing.T) {
	l := fixtureLesson(t)
	at := func(dir string) string { return filepath.Join(home, dir) }
	expect(t, "right", l.Judge(Attempt{Line: "mkdir -p ~/notes/today", Before: home, After: home}), Done, "Done.")
	expect(t, "other quoting", l.Judge(Attempt{Line: `echo "hello world" >$HOME/notes/today/greeting.txt`, Before: home, After: home}), Done)
	expect(t, "looking around", l.Judge(Attempt{Line: "ls ~/notes", Output: "today\r\n", Before: home, After: home}), Unrelated)
	expect(t, "wrong", l.Judge(Attempt{Line: "cat ~/notes/greeting.txt", Output: "cat: no such file\r\n", Exit: 1, Before: home, After: home}),
		Differs, "where the guide has `~/notes/today/greeting.txt`, you typed `~/notes/greeting.txt`")
	expect(t, "corrected", l.Judge(Attempt{Line: "cat ~/notes/today/greeting.txt", Output: "hello world\r\n", Before: home, After: home}), Done)

	want := []byte("[notes]\nowner = alice\ncolor = blue\n")
	expect(t, "file edited wrong", l.JudgeFile(want, []byte("[notes]\nowner = alice\ncolor = red\n"), true),
		OutputDiffers, "-color = blue", "+color = red")
	expect(t, "file unchanged after a command", l.JudgeFile(want, nil, false), Unrelated)
	expect(t, "file edited right", l.JudgeFile(want, []byte("[notes]\nowner = alice  \ncolor = blue\n\n"), true), Done)

	if h := l.Hint(Look{Width: 200}); !strings.Contains(h, "starts with `wc`") {
		t.Errorf("first hint %q does not name the program", h)
	}
	if h := l.Hint(Look{Width: 200}); !strings.Contains(h, "    wc -l < ~/notes/notes.ini") {
		t.Errorf("second hint %q does not show the command", h)
	}
	if d := l.Documented(); len(d) != 1 || d[0] != "3" {
		t.Errorf("documented output %q, want 3", d)
	}
	expect(t, "output differs", l.Judge(Attempt{Line: "wc -l <~/notes/notes.ini", Output: "3 lines\r\n", Before: home, After: home}),
		OutputDiffers, "the guide shows `3` where yours shows `3 lines`")
	expect(t, "output right", l.Judge(Attempt{Line: "wc -l <~/notes/notes.ini", Output: "3\r\n", Before: home, After: home}), Done)

	expect(t, "skip", l.Skip(), Passed)
	expect(t, "wrong dir", l.Judge(Attempt{Line: "ls", Output: "notes\r\n", Before: home, After: home}),
		WrongDir, "The guide types this in `today`, but your shell was in `~`")
	expect(t, "right dir", l.Judge(Attempt{Line: "ls", Output: "greeting.txt\r\n", Before: at("notes/today"), After: at("notes/today")}), Done)
	expect(t, "failed", l.Judge(Attempt{Line: "ask", Output: "Name [bob]: alice\r\nPassword: \r\nConfirm password: \r\nPasswords do not match\r\n",
		Exit: 1, Before: at("notes/today"), After: at("notes/today")}), Failed, "The command failed: exit status 1", "Passwords do not match")

	s := l.Summary("learn.rst")
	if s.Steps != 10 || s.Alone != 4 || s.Hint != 2 || s.Skipped != 1 || s.Open != 3 || s.Ran != 0 {
		t.Errorf("summary %+v, want 10 steps: 4 alone, 2 hint, 1 skipped, 3 open", s)
	}
	if i, n := l.Position(); i != 8 || n != 10 {
		t.Errorf("position %d/%d, want 8/10", i, n)
	}
}

// TestProgressHasNoSecrets saves a lesson that typed and showed the secret
// and checks the file: statuses and fingerprints, no value; loading it
// gives back the same summary and the same place.
func TestProgressHasNoSecrets(t *testing.T) {
	l := fixtureLesson(t)
	for range 7 {
		l.Skip()
	}
	l.Judge(Attempt{Line: "ask", Output: "Name [bob]: alice\r\nPassword: \r\nConfirm password: \r\nMake admin [no]: no\r\n" +
		"created alice (admin: no, password: 21 characters)\r\n", Before: filepath.Join(home, "notes/today")})
	if l.Summary("x").Alone != 1 {
		t.Fatalf("the ask step was not done: %+v", l.Summary("x"))
	}
	data, err := l.Marshal("learn.rst", filepath.Join(home, "notes", secret))
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{secret, "alice", "hello world"} {
		if strings.Contains(string(data), leak) {
			t.Errorf("the progress file holds %q:\n%s", leak, data)
		}
	}
	again := fixtureLesson(t)
	dir, err := again.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if dir != "~/notes/"+runbook.Mask {
		t.Errorf("saved dir %q", dir)
	}
	if a, b := again.Summary("x"), l.Summary("x"); a != b {
		t.Errorf("loaded summary %+v, saved %+v", a, b)
	}
	if i, _ := again.Position(); i != 9 {
		t.Errorf("resumed at step %d, want 9", i)
	}
}

// handLesson is a small guide with a manual step, a file step and a cd.
func handLesson(t *testing.T) *Lesson {
	t.Helper()
	src := "Hand\n====\n\n::\n\n [isabell@stardust ~]$ cd ~/app && source venv/bin/activate\n [isabell@stardust app]$ export FLAG=1\n" +
		" [isabell@stardust app]$ ls | wc -l\n 0\n [isabell@stardust app]$\n\n" +
		"Edit ``~/app/index.php`` and add:\n\n.. code-block:: php\n\n <?php echo 1;\n\n" +
		"Create ``~/app/x.ini`` with the following content:\n\n.. code-block:: ini\n\n [x]\n a = 1\n"
	return lessonOf(t, "hand.rst", src)
}

// lessonOf parses a guide given as text into a lesson with its example values.
func lessonOf(t *testing.T, name, src string) *Lesson {
	t.Helper()
	g, err := parser.Parse(name, []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(g, g, nil, home)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLessonByHand(t *testing.T) {
	l := handLesson(t)
	kinds := []runbook.Kind{runbook.KindCommand, runbook.KindCommand, runbook.KindCommand, runbook.KindManual, runbook.KindFile}
	for i, st := range l.Steps() {
		if i >= len(kinds) || st.Kind() != kinds[i] {
			t.Fatalf("step %d is %s, want %v", i+1, st.Kind(), kinds)
		}
	}
	if r := l.Replay(); r != nil {
		t.Errorf("replay before any step is done: %q", r)
	}
	expect(t, "cd", l.Judge(Attempt{Line: "cd ~/app && source venv/bin/activate", Before: home, After: home + "/app"}), Done)
	expect(t, "export", l.Judge(Attempt{Line: "export FLAG=1", Before: home + "/app", After: home + "/app"}), Done)
	expect(t, "d on a command", l.DoneByHand(), Unrelated)
	l.Skip() // the pipe: not replayed, and skipped
	if r := strings.Join(l.Replay(), "; "); r != "cd ~/app; source venv/bin/activate; export FLAG=1" {
		t.Errorf("replay %q", r)
	}
	if h := l.Hint(Look{Width: 200}); !strings.Contains(h, "by hand") {
		t.Errorf("hint for a manual step: %q", h)
	}
	expect(t, "done by hand", l.DoneByHand(), Done)
	expect(t, "d on a file step", l.DoneByHand(), Unrelated)
	expect(t, "runbook could not write", l.Wrote(os.ErrPermission), Failed, "runbook could not write it")
	expect(t, "runbook wrote", l.Wrote(nil), Passed, "runbook wrote it.")
	if s := l.Summary("hand.rst"); s.Alone != 3 || s.Skipped != 1 || s.Ran != 1 || s.Open != 0 || !l.Finished() {
		t.Errorf("summary %+v", s)
	}
}

// TestSkipAfterOutputDiffers: n after the step's own command ran with
// output other than the guide's (a guide that drifted from the host) counts
// the step as done; n after a wrong command still skips it.
func TestSkipAfterOutputDiffers(t *testing.T) {
	l := fixtureLesson(t)
	expect(t, "wrong", l.Judge(Attempt{Line: "mkdir ~/notes", Before: home, After: home}), Differs)
	expect(t, "skip after a wrong command", l.Skip(), Passed, "Skipped.")
	for range 3 {
		l.Skip()
	}
	expect(t, "output differs", l.Judge(Attempt{Line: "wc -l <~/notes/notes.ini", Output: "3 lines\r\n", Before: home, After: home}),
		OutputDiffers, "or n to count it done and go on")
	expect(t, "n after the right command", l.Skip(), Done, "only its output differed")
	if s := l.Summary("learn.rst"); s.Alone != 1 || s.Skipped != 4 || s.Hint != 0 {
		t.Errorf("summary %+v, want 1 alone, 4 skipped", s)
	}
	expect(t, "skip untried", l.Skip(), Passed, "Skipped.")
}

// TestDocumentedElided: s on a step whose documented output is only an
// elision ([...]) says that any output will do; other output is shown as it is.
func TestDocumentedElided(t *testing.T) {
	src := "Curl\n====\n\n::\n\n [isabell@stardust ~]$ curl --silent --head https://example.org | head -n 1\n [...]\n" +
		" [isabell@stardust ~]$ uberspace web domain list\n example.org\n [...]\n [isabell@stardust ~]$\n"
	l := lessonOf(t, "curl.rst", src)
	if d := strings.Join(l.Documented(), "\n"); d != "[...]\n(the guide leaves the output out: whatever the command prints will do)" {
		t.Errorf("documented output of an elided step: %q", d)
	}
	l.Skip()
	if d := strings.Join(l.Documented(), "\n"); d != "example.org\n[...]" {
		t.Errorf("documented output with an elision in it: %q", d)
	}
}
