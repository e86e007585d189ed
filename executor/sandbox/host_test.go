package sandbox

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/runbookdev/runbook/internal/golden"
)

// TestHost runs the commands of each testdata/host/*.txtar in a sandbox,
// one step a line, and compares what they print with the archive's "want":
// what the guide's user sees of the host (whoami, hostname, the layout, the
// read-only system, the hidden host). The "options" section sets the
// sandbox: profile, user, host, domains (space-separated).
func TestHost(t *testing.T) {
	golden.Run(t, filepath.Join("testdata", "host", "*.txtar"), "want", func(t *testing.T, ar *txtar.Archive) string {
		sb := newTest(t, hostOptions(t, golden.Section(ar, "options")))
		sh := startShell(t, sb)
		var b strings.Builder
		for _, line := range strings.Split(strings.TrimSpace(golden.Section(ar, "script")), "\n") {
			if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			out := run(t, sh, line)
			fmt.Fprintf(&b, "$ %s\n%s", line, out.Output)
			if out.Exit != 0 || out.Err != nil {
				fmt.Fprintf(&b, "[exit %d %v]\n", out.Exit, out.Err)
			}
		}
		return b.String()
	})
}

// hostOptions reads "key: value" lines into Options.
func hostOptions(t *testing.T, text string) Options {
	var o Options
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "profile":
			o.Profile = filepath.Join("testdata", "profiles", v)
		case "user":
			o.User = v
		case "host":
			o.Host = v
		case "domains":
			o.Domains = strings.Fields(v)
		default:
			t.Fatalf("options: unknown key %q", k)
		}
	}
	return o
}
