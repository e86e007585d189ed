package executor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// TestLongHeredoc sends a heredoc longer than a terminal line through the
// heredoc form and gets every byte back.
func TestLongHeredoc(t *testing.T) {
	sh := startTest(t, ShellOptions{Dir: t.TempDir()})
	var body strings.Builder
	for i := 0; i < 600; i++ {
		fmt.Fprintf(&body, "line %d: 'single' \"double\" $HOME \\ `tick`\n", i)
	}
	text := "cat > big.txt <<'EOF'\n" + body.String() + "EOF\nwc -l < big.txt\ncmp -s big.txt - <<'EOF'\n" + body.String() + "EOF"
	o := sh.Run(context.Background(), &runbook.Command{Text: text})
	if o.Err != nil || o.Exit != 0 || o.Output != "600\n" {
		t.Fatalf("outcome %s", describe(o))
	}
}

// TestSeqMemory prints 3,000,000 lines and checks the bounds: head and tail
// kept, the middle counted, and the heap never above 100 MB.
func TestSeqMemory(t *testing.T) {
	need(t, "seq")
	sh := startTest(t, ShellOptions{})
	runtime.GC()
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			max = maxU(max, m.HeapInuse)
			select {
			case <-done:
				peak <- max
				return
			case <-tick.C:
			}
		}
	}()
	o := sh.Run(context.Background(), &runbook.Command{Text: "seq 1 3000000"})
	close(done)
	p := <-peak
	t.Logf("seq 1 3000000: %v, peak HeapInuse %.1f MB, VmHWM %s", o.Duration, float64(p)/1e6, vmHWM())
	if o.Err != nil || o.Exit != 0 {
		t.Fatalf("outcome %v exit %d", o.Err, o.Exit)
	}
	if p > 100<<20 {
		t.Errorf("peak HeapInuse %d bytes, want < 100 MB", p)
	}
	if want := 3000000 - headLines - tailLines; o.Omitted != want {
		t.Errorf("omitted %d, want %d", o.Omitted, want)
	}
	if !strings.HasPrefix(o.Output, "1\n2\n3\n") || !strings.HasSuffix(o.Output, "\n2999999\n3000000\n") ||
		strings.Count(o.Output, "\n") != headLines+tailLines {
		t.Errorf("output: %q ... %q", o.Output[:20], o.Output[len(o.Output)-20:])
	}
	if !strings.Contains(o.Output, fmt.Sprintf("\n%d\n%d\n", headLines, 3000000-tailLines+1)) {
		t.Error("head and tail do not meet where the middle was dropped")
	}
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

func vmHWM() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}

// TestContextCancel interrupts a step when the run is cancelled.
func TestContextCancel(t *testing.T) {
	sh := startTest(t, ShellOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	o := sh.Run(ctx, &runbook.Command{Text: "sleep 30"})
	if !errors.Is(o.Err, context.Canceled) || o.Exit != -1 || !sh.Alive() {
		t.Fatalf("outcome %s alive %v", describe(o), sh.Alive())
	}
	if o := sh.Run(context.Background(), &runbook.Command{Text: "echo ok"}); o.Output != "ok\n" {
		t.Fatalf("after cancel: %s", describe(o))
	}
}

// TestTeeAndSecret checks that the tee sees the raw terminal, answers
// included, and never a secret.
func TestTeeAndSecret(t *testing.T) {
	tee := &lockedBuffer{}
	sh := startTest(t, ShellOptions{Tee: tee})
	o := sh.Run(context.Background(), &runbook.Command{
		Text: `read -r -p 'Login: ' u; read -r -s -p 'Password: ' p; echo; echo "$u ${#p}"`,
		Answers: []runbook.Answer{{Prompt: "Login:", Text: "isabell"},
			{Kind: runbook.Hidden, Param: "password", Prompt: "Password:", Text: "MySuperSecret"}}})
	if o.Err != nil || o.Output != "Login: isabell\nPassword: \nisabell 13\n" {
		t.Fatalf("outcome %s", describe(o))
	}
	raw := tee.String()
	if !strings.Contains(raw, "Login: isabell\r\n") || strings.Contains(raw, "MySuperSecret") {
		t.Fatalf("tee: %q", raw)
	}
}

// TestLoginShell starts a login shell, which reads the profile files, and
// still finds its sentinel.
func TestLoginShell(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(home+"/.bash_profile", []byte("export FROM_PROFILE=yes\nPS1='fancy> '\nPROMPT_COMMAND='echo hi'\n"), 0o644)
	sh := startTest(t, ShellOptions{Login: true, Env: []string{"HOME=" + home}})
	o := sh.Run(context.Background(), &runbook.Command{Text: "echo $FROM_PROFILE; shopt -q login_shell && echo login"})
	if o.Err != nil || o.Output != "yes\nlogin\n" || sh.Dir() == "" {
		t.Fatalf("outcome %s", describe(o))
	}
}

// TestCloseEndsJobs checks Close ends the shell and leaves Alive false.
func TestCloseEndsJobs(t *testing.T) {
	before := runtime.NumGoroutine()
	sh := startTest(t, ShellOptions{})
	sh.Run(context.Background(), &runbook.Command{Text: "sleep 300 &"})
	if err := sh.Close(); err != nil || sh.Alive() {
		t.Fatalf("close: %v, alive %v", err, sh.Alive())
	}
	o := sh.Run(context.Background(), &runbook.Command{Text: "true"})
	if o.Err == nil || o.Exit != -1 {
		t.Fatalf("run after close: %s", describe(o))
	}
	// The reader and the reaper end with the shell.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

// TestStartShellBadDir reports a start directory that does not exist.
func TestStartShellBadDir(t *testing.T) {
	need(t, "bash")
	_, err := StartShell(context.Background(), ShellOptions{Dir: "/nonexistent/runbook/dir"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/runbook/dir") {
		t.Fatalf("err %v", err)
	}
}

// TestEchoOff runs commands, a long one too, after a step turned the
// terminal's echo off: nothing waits for an echo that never comes.
func TestEchoOff(t *testing.T) {
	need(t, "stty")
	sh := startTest(t, ShellOptions{Dir: t.TempDir()})
	ctx := context.Background()
	if o := sh.Run(ctx, &runbook.Command{Text: "stty -echo"}); o.Err != nil || o.Exit != 0 {
		t.Fatalf("stty: %s", describe(o))
	}
	o := sh.Run(ctx, &runbook.Command{Text: "echo short"})
	if o.Output != "short\n" {
		t.Fatalf("short: %s", describe(o))
	}
	long := "cat <<'EOF' | wc -l\n" + strings.Repeat("some text for a long heredoc\n", 300) + "EOF"
	if o := sh.Run(ctx, &runbook.Command{Text: long}); o.Err != nil || o.Output != "300\n" {
		t.Fatalf("long: %s", describe(o))
	}
	if o := sh.Run(ctx, &runbook.Command{Text: "stty echo; echo on"}); o.Output != "on\n" {
		t.Fatalf("echo back on: %s", describe(o))
	}
}

// TestCloseDuringRun closes the shell while a step runs (the runner's
// Ctrl-C path): the step ends at once, reporting the shell's end.
func TestCloseDuringRun(t *testing.T) {
	sh := startTest(t, ShellOptions{})
	time.AfterFunc(200*time.Millisecond, func() { sh.Close() })
	o := sh.Run(context.Background(), &runbook.Command{Text: "sleep 30"})
	var died *ShellDiedError
	if !errors.As(o.Err, &died) || o.Exit != -1 || o.Duration > 10*time.Second || sh.Alive() {
		t.Fatalf("outcome %s", describe(o))
	}
}

// TestLongLineAndControls types a line longer than the terminal's line
// buffer and a command holding characters the line discipline acts on.
func TestLongLineAndControls(t *testing.T) {
	need(t, "base64", "wc")
	sh := startTest(t, ShellOptions{})
	ctx := context.Background()
	o := sh.Run(ctx, &runbook.Command{Text: "echo " + strings.Repeat("x", 9000) + " | wc -c"})
	if o.Err != nil || o.Output != "9001\n" {
		t.Fatalf("long line: %s", describe(o))
	}
	o = sh.Run(ctx, &runbook.Command{Text: "printf 'a\x15b\x03c' | od -An -c | tr -s ' '"})
	if o.Err != nil || o.Output != " a 025 b 003 c\n" {
		t.Fatalf("controls: %s", describe(o))
	}
}

// TestFenceHidden checks that the fence runbook types after a step with
// answers shows neither in the output nor on the tee.
func TestFenceHidden(t *testing.T) {
	tee := &lockedBuffer{}
	sh := startTest(t, ShellOptions{Tee: tee})
	o := sh.Run(context.Background(), &runbook.Command{Text: "read -r -p 'Name: ' n; echo \"hi $n\"",
		Answers: []runbook.Answer{{Prompt: "Name:", Text: "zed"}}})
	if o.Err != nil || o.Output != "Name: zed\nhi zed\n" {
		t.Fatalf("outcome %s", describe(o))
	}
	if strings.Contains(tee.String(), "__rb_f=1$(exit $?)") {
		t.Fatalf("tee shows the fence: %q", tee.String())
	}
}
