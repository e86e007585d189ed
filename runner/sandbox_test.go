package runner

import (
	"context"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
)

// fakeSandbox records what the runner asks of a sandbox.
type fakeSandbox struct {
	marked int
	root   executor.Root
}

func (f *fakeSandbox) ShellOptions(o executor.ShellOptions) executor.ShellOptions {
	o.Argv = []string{"bwrap", "--", "bash"}
	return o
}
func (f *fakeSandbox) Home() string        { return "/home/alice" }
func (f *fakeSandbox) User() string        { return "alice" }
func (f *fakeSandbox) Host() string        { return "stardust" }
func (f *fakeSandbox) Root() executor.Root { return f.root }
func (f *fakeSandbox) MarkSimulated(out *runbook.Outcome) {
	f.marked++
	if strings.Contains(out.Output, "stand-in") {
		out.Simulated = true
		out.Notes = append(out.Notes, "simulated: a download (no internet)")
	}
}

type fakeRoot struct{}

func (fakeRoot) Resolve(p string) (string, error) { return "/sandbox" + p, nil }
func (fakeRoot) Shown(msg string) string          { return msg }
func (fakeRoot) Base(string) string               { return "/sandbox" }

// TestSandboxOptions: with a Sandbox the shell starts inside it, in its
// home, file steps get its Root and user, and a command's outcome is marked
// after it ran, so the result is simulated with the sandbox's note.
func TestSandboxOptions(t *testing.T) {
	sb := &fakeSandbox{root: fakeRoot{}}
	h := &harness{onRun: func(_ context.Context, text string) *runbook.Outcome {
		return &runbook.Outcome{Output: text}
	}}
	var files *executor.Files
	p := h.parts()
	p.applyFile = func(f *executor.Files, step *runbook.File) *runbook.Outcome {
		files = f
		return &runbook.Outcome{}
	}
	g := guide(cmd(1, "A", "real"), cmd(2, "A", "stand-in"),
		&runbook.File{Header: runbook.Header{ID: 3, Pos: runbook.Pos{File: "g.rst", Line: 30}}, Path: "~/x", Mode: runbook.Create})
	rep, err := runWith(context.Background(), g, nil, Options{Sandbox: sb, Argv: []string{"ignored"}}, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.opts) != 1 || h.opts[0].Argv[0] != "bwrap" || h.opts[0].Dir != "/home/alice" {
		t.Fatalf("the shell was not started in the sandbox: %+v", h.opts)
	}
	if sb.marked != 2 {
		t.Fatalf("MarkSimulated ran %d times, want once per command", sb.marked)
	}
	if rep.Results[0].Outcome.Simulated || !rep.Results[1].Outcome.Simulated ||
		!strings.Contains(strings.Join(rep.Results[1].Outcome.Notes, "|"), "simulated: a download") {
		t.Fatalf("simulated: %v %v %q", rep.Results[0].Outcome.Simulated, rep.Results[1].Outcome.Simulated, rep.Results[1].Outcome.Notes)
	}
	if files == nil || files.Root == nil || files.Home != "/home/alice" || files.User != "alice" {
		t.Fatalf("file steps do not write inside the sandbox: %+v", files)
	}
}
