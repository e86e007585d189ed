package executor

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/creack/pty"
	runbook "github.com/runbookdev/runbook"
)

// BenchmarkShellStep runs N trivial steps through Shell.Run: the full
// per-step path (typing, echo stripping, sentinel, outcome).
func BenchmarkShellStep(b *testing.B) {
	sh := startTest(b, ShellOptions{})
	cmd := &runbook.Command{Text: "true"}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if o := sh.Run(ctx, cmd); o.Err != nil || o.Exit != 0 {
			b.Fatalf("step %d: %v exit %d", i, o.Err, o.Exit)
		}
	}
}

// BenchmarkBashBaseline types the same command into one plain bash in a pty
// and waits for its prompt, a bare marker byte: bash's own cost per step.
// ShellStep minus this is runbook's overhead.
func BenchmarkBashBaseline(b *testing.B) {
	need(b, "bash")
	c := exec.Command("bash", "--norc", "--noprofile", "--noediting", "-i")
	c.Env = append(os.Environ(), "PS1=\x1e", "PS2=", "TERM=dumb")
	f, err := pty.Start(c)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { c.Process.Kill(); c.Wait(); f.Close() }()
	buf := make([]byte, 4096)
	wait := func() {
		for {
			n, err := f.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			if bytes.IndexByte(buf[:n], '\x1e') >= 0 {
				return
			}
		}
	}
	wait()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.WriteString("true\n"); err != nil {
			b.Fatal(err)
		}
		wait()
	}
}
