package sandbox

import (
	"context"
	"path/filepath"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
)

// BenchmarkStart measures what a sandbox costs before its first step: "new"
// is the folder, the generated files and the certificates; "shell" adds a
// shell at its first prompt (bwrap, the namespaces, the mini profile's
// init) and closing both.
func BenchmarkStart(b *testing.B) {
	need(b, "bwrap", "unshare", "setpriv")
	for _, withShell := range []bool{false, true} {
		b.Run(map[bool]string{false: "new", true: "shell"}[withShell], func(b *testing.B) {
			cache, root := b.TempDir(), b.TempDir()
			ctx := context.Background()
			for i := 0; i < b.N; i++ {
				sb, err := New(ctx, Options{Profile: filepath.Join("testdata", "profiles", "mini"), CacheDir: cache,
					Dir: filepath.Join(root, "sb")})
				if err != nil {
					b.Fatal(err)
				}
				if withShell {
					sh, err := executor.StartShell(ctx, sb.ShellOptions(executor.ShellOptions{}))
					if err != nil {
						b.Fatal(err)
					}
					sh.Close()
				}
				if err := sb.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkShellStep runs trivial steps in a sandboxed shell, to compare with
// the executor's BenchmarkShellStep on this host: the difference is what the
// sandbox adds per step.
func BenchmarkShellStep(b *testing.B) {
	sb := newTest(b, Options{Profile: filepath.Join("testdata", "profiles", "second")})
	sh := startShell(b, sb)
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
