package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/runbookdev/runbook/internal/integration"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The end-to-end test of `runbook learn`: a trainee at an 80x24 terminal
// (tmux) walks through fixtures/learn.rst the way a person would, typing
// into the real shell, and the screen is read back with capture-pane.
// Waiting for the screen to show something is bounded retries: this
// drives a UI, it does not time anything.

const learnSecret = "fixture-Secret-0x5eed"

// tmuxTerm is one tmux server with one 80x24 window, on a private socket.
type tmuxTerm struct {
	t      *testing.T
	dir    string
	socket string // a new one for each session, so no server is shared or raced
	shots  string // where screens are saved (RUNBOOK_LEARN_SCREENS), or ""
	shotN  int
	n      int // sessions started
}

func newTmux(t *testing.T, dir string) *tmuxTerm {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("RUNBOOK_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("tmux is not installed (scripts/setup installs it), and RUNBOOK_REQUIRE_INTEGRATION=1")
		}
		t.Skip("tmux is not installed")
	}
	tm := &tmuxTerm{t: t, dir: dir, shots: os.Getenv("RUNBOOK_LEARN_SCREENS")}
	t.Cleanup(tm.kill)
	return tm
}

func (tm *tmuxTerm) kill() {
	if tm.socket != "" {
		exec.Command("tmux", "-S", tm.socket, "kill-server").Run()
	}
}

func (tm *tmuxTerm) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// start runs a shell script in a new 80x24 session; the window stays after
// the script ends, so its last screen can still be read.
func (tm *tmuxTerm) start(script string) {
	tm.t.Helper()
	tm.kill()
	tm.socket = filepath.Join(tm.dir, fmt.Sprintf("tmux-%d.sock", tm.n))
	tm.n++
	tm.run("new-session", "-d", "-s", "learn", "-x", "80", "-y", "24", "bash", script)
	tm.run("set-option", "-t", "learn", "remain-on-exit", "on")
}

// screen is what the terminal shows now; escapes keeps the colour sequences.
func (tm *tmuxTerm) screen(escapes bool) string {
	args := []string{"capture-pane", "-p", "-t", "learn"}
	if escapes {
		args = append(args, "-e")
	}
	return tm.run(args...)
}

// waitFor retries capture-pane until the screen shows every text, for at
// most 20 seconds, and returns that screen.
func (tm *tmuxTerm) waitFor(texts ...string) string {
	tm.t.Helper()
	var s string
	for range 400 {
		s = tm.screen(false)
		if containsAll(s, texts) {
			return s
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("the screen never showed %q; it shows:\n%s", texts, s)
	return ""
}

func containsAll(s string, texts []string) bool {
	for _, t := range texts {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return true
}

// typeLine types a line and Enter, as the trainee does.
func (tm *tmuxTerm) typeLine(line string) {
	tm.t.Helper()
	tm.run("send-keys", "-t", "learn", "-l", line)
	tm.run("send-keys", "-t", "learn", "Enter")
}

// exchange is a line the trainee types and what the screen shows after it.
type exchange struct {
	typed string
	shows []string
}

// say is an exchange: typed, then the texts the screen must show.
func say(typed string, shows ...string) exchange { return exchange{typed, shows} }

// dialog types each line in turn and waits for what it should show; it
// returns the last screen.
func (tm *tmuxTerm) dialog(exs ...exchange) string {
	tm.t.Helper()
	var s string
	for _, ex := range exs {
		tm.typeLine(ex.typed)
		s = tm.waitFor(ex.shows...)
	}
	return s
}

// shot saves the screen under name when RUNBOOK_LEARN_SCREENS names a folder.
func (tm *tmuxTerm) shot(name string) {
	if tm.shots == "" {
		return
	}
	tm.shotN++
	os.MkdirAll(tm.shots, 0o755)
	os.WriteFile(filepath.Join(tm.shots, fmt.Sprintf("%02d-%s.txt", tm.shotN, name)), []byte(tm.screen(false)), 0o644)
}

// learnScript writes the script a tmux window runs: runbook learn with
// the test's environment, then the exit code, then nothing more.
func learnScript(t *testing.T, dir, name string, env []string, args ...string) string {
	t.Helper()
	rb, err := exec.LookPath("runbook")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("cd " + shellQuote(repoRoot(t)) + "\n")
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			b.WriteString("unset " + k + "\n")
			continue
		}
		b.WriteString("export " + k + "=" + shellQuote(v) + "\n")
	}
	b.WriteString(shellQuote(rb))
	for _, a := range args {
		b.WriteString(" " + shellQuote(a))
	}
	b.WriteString("\necho \"[runbook exited $?]\"\n")
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func repoRoot(t *testing.T) string {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// learnEnvFor is the environment of the trainee's terminal in the test.
func learnEnvFor(t *testing.T, dir string, color bool) []string {
	editor := filepath.Join(dir, "editor.sh")
	// The trainee's editor: writes the file as the guide has it.
	script := "#!/bin/sh\nprintf '[notes]\\nowner = isabell\\ncolor = blue\\n' > \"$1\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + filepath.Join(dir, "home"), "XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"PATH=" + filepath.Join(repoRoot(t), "fixtures", "bin") + ":" + os.Getenv("PATH"),
		"EDITOR=" + editor, "TERM=xterm-256color"}
	if color {
		return append(env, "NO_COLOR")
	}
	return append(env, "NO_COLOR=1")
}

func TestLearnInTmux(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "home"), 0o755)
	tm := newTmux(t, dir)
	sets := []string{"--set", "password:ask=" + learnSecret, "--set", "password:ask-2=" + learnSecret}
	args := append([]string{"learn", "--no-sandbox", "fixtures/learn.rst"}, sets...)
	tm.start(learnScript(t, dir, "first.sh", learnEnvFor(t, dir, false), args...))

	firstSession(t, tm)
	progress, _ := filepath.Glob(filepath.Join(dir, "state", "runbook", "learn", "*", "progress.json"))
	if len(progress) != 1 {
		t.Fatalf("want one progress file, found %q", progress)
	}
	checkSummary(t, dir, `"steps":10,"alone":3,"hint":2,"ran":0,"skipped":0,"open":5`)

	cast := filepath.Join(dir, "lesson.cast")
	args = append(args, "--record", cast)
	tm.start(learnScript(t, dir, "second.sh", learnEnvFor(t, dir, true), args...))
	secondSession(t, tm)
	checkSummary(t, dir, `"steps":10,"alone":6,"hint":2,"ran":1,"skipped":1,"open":0`)
	data, err := os.ReadFile(progress[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), learnSecret) {
		t.Errorf("the progress file holds the secret:\n%s", data)
	}
	checkCast(t, cast)
}

// firstSession: right commands, other quoting, looking around, a wrong
// command corrected, a file written with $EDITOR, hints, the documented
// output, a resize, and q.
func firstSession(t *testing.T, tm *tmuxTerm) {
	s := tm.waitFor("== Step 1 of 10 == Learn by typing > Notes", "[isabell@stardust ~]$ mkdir -p ~/notes/today",
		"Make a directory for the notes with `mkdir`; `-p` makes its parent too,")
	if !strings.HasSuffix(strings.TrimRight(s, "\n"), "[isabell@stardust ~]$") {
		t.Errorf("the screen does not end at the shell's prompt:\n%s", s)
	}
	tm.shot("step1")
	s = tm.dialog(
		say("mkdir -p ~/notes/today", "== Step 2 of 10"),
		say(`echo "hello world" >$HOME/notes/today/greeting.txt`, "== Step 3 of 10", "steps [###"),
		say("ls ~/notes", "$ ls ~/notes\ntoday\n[isabell@stardust ~]$"))
	if strings.Contains(s, "Step 4 of 10") {
		t.Errorf("looking around closed the step:\n%s", s)
	}
	tm.dialog(say("cat ~/notes/greeting.txt", "Not quite: where the guide has `~/notes/today/greeting.txt`, you typed", "`~/notes/greeting.txt`"))
	tm.shot("wrong-command")
	tm.dialog(say("cat ~/notes/today/greeting.txt", "hello world\nDone.", "== Step 4 of 10", "| owner = isabell"))
	tm.shot("file-step")
	tm.dialog(
		say("e", "Done: the file is as the guide has it.", "== Step 5 of 10"),
		say("h", "The command starts with `wc`."),
		say("h", "The whole command:\n    wc -l < ~/notes/notes.ini\n"),
		say("s", "The guide shows:\n    3\n"))
	tm.shot("hints")
	tm.dialog(say("wc -l <~/notes/notes.ini", "== Step 6 of 10"))
	tm.run("resize-window", "-t", "learn", "-x", "100", "-y", "30")
	tm.dialog(say("stty size", "\n30 100\n"))
	tm.run("resize-window", "-t", "learn", "-x", "80", "-y", "24")
	tm.dialog(say("q", "Progress saved.", "still open       5", "[runbook exited 0]"))
	tm.shot("quit")
}

// secondSession: resumed in colour with a recording; a skip, a command in
// the wrong directory, a program's questions answered by the trainee
// (the hidden ones not echoed), runbook running a step with its answers,
// a secret on the screen masked, and the end.
func secondSession(t *testing.T, tm *tmuxTerm) {
	tm.waitFor("Resuming fixtures/learn.rst at step 6 of 10,", "== Step 6 of 10")
	if s := tm.screen(true); !strings.Contains(s, "\x1b[") {
		t.Errorf("without NO_COLOR the screen has no colour:\n%q", s)
	}
	tm.typeLine("n")
	tm.waitFor("Skipped.", "== Step 7 of 10")
	tm.typeLine("ls")
	tm.waitFor("The guide types this in today, but your shell was in ~.") // in colour, without backquotes
	tm.typeLine("cd ~/notes/today")
	tm.typeLine("ls")
	tm.waitFor("greeting.txt\nDone.", "== Step 8 of 10")
	tm.typeLine("ask")
	// The program's own prompts start their lines; the step's screen shows them indented.
	tm.waitFor("$ ask\nName [bob]:")
	tm.dialog(
		say("isabell", "\nPassword:"),
		say(learnSecret, "\nConfirm password:"),
		say(learnSecret, "\nMake admin [no]:"),
		say("no", "created isabell (admin: no, password: 21 characters)\nDone.", "== Step 9 of 10"))
	tm.shot("answers")
	s := tm.dialog(say("echo "+learnSecret, "\n"+strings.Repeat("*", len(learnSecret))+"\n"))
	if strings.Contains(s, learnSecret) {
		t.Errorf("the secret is on the screen:\n%s", s)
	}
	tm.dialog(say("r", "created admin (admin: yes, password: 21 characters)\nrunbook ran it.", "== Step 10 of 10"))
	tm.shot("runbook-ran")
	s = tm.dialog(say(`echo "see you, $(basename "$PWD")"`,
		"You have been through every step of fixtures/learn.rst.", "done alone       6", "[runbook exited 0]"))
	tm.shot("finished")
	if strings.Contains(s, learnSecret) {
		t.Errorf("the secret is on the screen:\n%s", s)
	}
}

// checkSummary runs learn --summary --json on fixtures/learn.rst and compares the counts.
func checkSummary(t *testing.T, dir, want string) {
	t.Helper()
	checkSummaryOf(t, dir, "fixtures/learn.rst", want)
}

// checkSummaryOf runs learn --summary --json on guide and compares the counts.
func checkSummaryOf(t *testing.T, dir, guide, want string) {
	t.Helper()
	cmd := exec.Command("runbook", "learn", "--summary", "--json", guide)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), learnEnvFor(t, dir, false)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("learn --summary: %v", err)
	}
	var s map[string]any
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("learn --summary --json is not one JSON object: %v\n%s", err, out)
	}
	compact := strings.NewReplacer(" ", "", "\n", "").Replace(string(out))
	if !strings.Contains(compact, want) {
		t.Errorf("summary %s, want %s", compact, want)
	}
	if _, ok := s["seconds"].(float64); !ok || s["guide"] != guide {
		t.Errorf("summary lacks guide or seconds: %s", out)
	}
}

// checkCast reads the recording: asciinema v2, 80x24, the session in it,
// the secret not.
func checkCast(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var header struct{ Version, Width, Height int }
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &header) != nil || header.Version != 2 || header.Width != 80 || header.Height != 24 {
		t.Fatalf("not an 80x24 asciinema v2 header: %s", sc.Text())
	}
	var shown strings.Builder
	for sc.Scan() {
		var ev []any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || len(ev) != 3 {
			t.Fatalf("bad event %s", sc.Text())
		}
		if ev[1] == "o" {
			shown.WriteString(ev[2].(string))
		}
	}
	all := shown.String()
	if !strings.Contains(all, "Step 10 of 10") || !strings.Contains(all, "runbook ran it.") {
		t.Errorf("the recording misses the session")
	}
	if strings.Contains(all, learnSecret) {
		t.Errorf("the recording holds the secret")
	}
	if !strings.Contains(all, "echo ********") {
		t.Errorf("the recording does not show the masked secret the trainee typed")
	}
}

// sandboxGuide is the guide TestLearnInSandboxTmux learns, with ” for “.
const sandboxGuide = `Sandbox
=======

Who are you, and where?

::

 [isabell@stardust ~]$ whoami
 isabell
 [isabell@stardust ~]$ hostname
 stardust
 [isabell@stardust ~]$

Create ''~/etc/app.ini'' with the following content:

.. code-block:: ini

 [app]
 port = 8080

Read it back:

::

 [isabell@stardust ~]$ cat ~/etc/app.ini
 [app]
 port = 8080
 [isabell@stardust ~]$
`

// TestLearnInSandboxTmux: learn's default, a sandbox that looks like the
// guide's host (a small profile here), kept between sessions: the shell is
// isabell@stardust, runbook writes a file step into the sandbox's home, and
// nothing lands in the real home.
func TestLearnInSandboxTmux(t *testing.T) {
	integration.Need(t, "bwrap") // scripts/setup installs bubblewrap
	dir := t.TempDir()
	realHome := filepath.Join(dir, "home")
	os.MkdirAll(filepath.Join(dir, "profile"), 0o755)
	os.MkdirAll(realHome, 0o755)
	writeFile(t, filepath.Join(dir, "profile", "profile.yaml"), "name: mini\nhost: stardust\nuser: isabell\ndirs:\n  - \"{home}/etc\"\n")
	guide := filepath.Join(dir, "sandbox.rst")
	writeFile(t, guide, strings.ReplaceAll(sandboxGuide, "''", "``"))
	env := append(learnEnvFor(t, dir, false), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	tm := newTmux(t, dir)
	tm.start(learnScript(t, dir, "sb1.sh", env, "learn", guide, "--profile", filepath.Join(dir, "profile")))
	tm.waitFor("sandbox that looks like isabell@stardust", "== Step 1 of 4", "[isabell@stardust ~]$")
	tm.dialog(
		say("whoami", "isabell\nDone.", "== Step 2 of 4"),
		say("hostname", "stardust\nDone.", "== Step 3 of 4", "| port = 8080"))
	tm.shot("sandbox-file-step")
	tm.dialog(
		say("r", "runbook wrote it.", "== Step 4 of 4"),
		say("q", "Progress saved.", "[runbook exited 0]"))
	written, _ := filepath.Glob(filepath.Join(dir, "state", "runbook", "learn", "*", "sandbox", "home", "etc", "app.ini"))
	if len(written) != 1 {
		t.Fatalf("the file step was not written into the sandbox's home")
	}
	if _, err := os.Stat(filepath.Join(realHome, "etc", "app.ini")); err == nil {
		t.Errorf("the file step was written into the real home")
	}
	tm.start(learnScript(t, dir, "sb2.sh", env, "learn", guide, "--profile", filepath.Join(dir, "profile")))
	tm.waitFor("Resuming", "== Step 4 of 4")
	tm.dialog(say("cat ~/etc/app.ini",
		"port = 8080\nDone.", "You have been through every step", "run by runbook   1", "done alone       3", "[runbook exited 0]"))
	tm.shot("sandbox-finished")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// synapseSecrets are the Synapse guide's secrets, set so learn asks for none.
var synapseSecrets = []string{"my-super-secure-password", "MySuperSecretPSQLPassword", "MySuperSecret",
	"password:register_new_matrix_user", "password:hash_password"}

// TestLearnSynapseInSandboxTmux: guides/synapse.rst in the stardust
// sandbox (learn's default), its first five steps as a trainee does them:
// the domain list typed right (the host lists isabell.uber.space, which the
// guide leaves out, so n counts it done), a curl with other quoting, one
// without --silent, then hints and the right one typed on two lines as the
// step shows it; q, resumed, r, and mkdir.
func TestLearnSynapseInSandboxTmux(t *testing.T) {
	integration.Need(t, "bwrap") // scripts/setup installs bubblewrap
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "home"), 0o755)
	cache, err := os.UserCacheDir() // the stardust profile's setup, cached by scripts/setup or an earlier run
	if err != nil {
		t.Fatal(err)
	}
	env := append(learnEnvFor(t, dir, false), "XDG_CACHE_HOME="+cache)
	args := []string{"learn", "guides/synapse.rst"}
	for _, s := range synapseSecrets {
		args = append(args, "--set", s+"="+learnSecret)
	}
	tm := newTmux(t, dir)
	tm.start(learnScript(t, dir, "syn1.sh", env, args...))
	synapseFirst(t, tm)
	checkSummaryOf(t, dir, "guides/synapse.rst", `"steps":46,"alone":2,"hint":1,"ran":0,"skipped":0,"open":43`)
	tm.start(learnScript(t, dir, "syn2.sh", env, args...))
	tm.waitFor("Resuming guides/synapse.rst at step 4 of 46,", "== Step 4 of 46", "[isabell@stardust ~]$")
	tm.dialog(say("r", "runbook ran it.", "== Step 5 of 46 == Synapse > Installation", "We will install synapse using pip"))
	tm.shot("synapse-step5")
	tm.dialog(say("mkdir -p ~/synapse", "Done.", "== Step 6 of 46", "pip3.9 install --user jinja2"),
		say("q", "Progress saved.", "[runbook exited 0]"))
	checkSummaryOf(t, dir, "guides/synapse.rst", `"steps":46,"alone":3,"hint":1,"ran":1,"skipped":0,"open":41`)
	made, _ := filepath.Glob(filepath.Join(dir, "state", "runbook", "learn", "*", "sandbox", "home", "synapse"))
	if len(made) != 1 {
		t.Errorf("mkdir -p ~/synapse made no ~/synapse in the sandbox's home")
	}
}

// synapseFirst: steps 1 to 3 of the Synapse guide, then q.
func synapseFirst(t *testing.T, tm *tmuxTerm) {
	tm.waitFor("== Step 1 of 46 == Synapse > Prerequisites > Web domain",
		"Note: Keep in mind that since you can't create DNS records for",
		"[isabell@stardust ~]$ uberspace web domain list", "step 1/46, then Enter:")
	tm.shot("synapse-step1")
	tm.dialog(say("uberspace web domain list", "yours shows", "`isabell.uber.space`", "or n to count it done"))
	tm.shot("synapse-output-differs")
	tm.dialog(
		say("n", "only its output differed", "== Step 2 of 46", "Trigger the generation for each one"),
		say("s", "The guide shows:\n    [...]\n    (the guide leaves the output out: whatever the command prints will do)"))
	tm.shot("synapse-documented")
	tm.dialog(
		say(`curl --silent --head "https://example.org" | head -n 1`, "Done.", "== Step 3 of 46",
			"[isabell@stardust ~]$ curl --silent --head https://matrix.example.org | \\\n    > head -n 1\n"),
		say("curl --head https://matrix.example.org | head -n 1", "Not quite: the guide's command has `--silent` after `curl`."))
	tm.shot("synapse-wrong")
	tm.dialog(say("h", "The command starts with `curl`."),
		say("h", "The whole command:\n    curl --silent --head https://matrix.example.org | head -n 1\n"))
	tm.shot("synapse-hints")
	// Typed as the step shows it, on two lines.
	tm.typeLine(`curl --silent --head https://matrix.example.org | \`)
	tm.dialog(say("head -n 1", "Done.", "== Step 4 of 46"),
		say("q", "Progress saved.", "done with hints  1", "[runbook exited 0]"))
	tm.shot("synapse-quit")
}
