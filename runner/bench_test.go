package runner

import (
	"context"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
)

// trivialGuide is n steps of `:` with a documented empty output, in one section.
func trivialGuide(n int) *runbook.Guide {
	g := &runbook.Guide{Name: "bench.rst"}
	for i := 1; i <= n; i++ {
		g.Steps = append(g.Steps, &runbook.Command{Header: runbook.Header{ID: i,
			Pos: runbook.Pos{File: "bench.rst", Line: i}, Section: []string{"Bench"}}, Text: ":"})
	}
	return g
}

// BenchmarkRunnerStep runs b.N trivial steps through Run (selection, events,
// scrubbing, verifying and, in the "state" case, saving the state file after
// every step), to compare with BenchmarkShellStep.
func BenchmarkRunnerStep(b *testing.B) {
	for _, withState := range []bool{false, true} {
		name := map[bool]string{false: "no-state", true: "state"}[withState]
		b.Run(name, func(b *testing.B) {
			requireTools(b, "bash")
			home := b.TempDir()
			opts := Options{Dir: home, Home: home, Env: []string{"HOME=" + home}, Progress: func(Event) {}}
			if withState {
				opts.StatePath = home + "/state.json"
			}
			g := trivialGuide(b.N)
			b.ResetTimer()
			rep, err := Run(context.Background(), g, runbook.NewReplacer(nil), opts)
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range rep.Results {
				if r.Verdict != runbook.OK {
					b.Fatalf("%s: %s %s", r.Step.Head().Pos, r.Verdict, r.Reason)
				}
			}
		})
	}
}

// BenchmarkShellStep runs the same commands straight through the executor's shell.
func BenchmarkShellStep(b *testing.B) {
	requireTools(b, "bash")
	home := b.TempDir()
	sh, err := executor.StartShell(context.Background(), executor.ShellOptions{Dir: home, Env: []string{"HOME=" + home}})
	if err != nil {
		b.Fatal(err)
	}
	defer sh.Close()
	g := trivialGuide(b.N)
	b.ResetTimer()
	for _, st := range g.Steps {
		if out := sh.Run(context.Background(), st.(*runbook.Command)); out.Exit != 0 {
			b.Fatalf("exit %d: %v", out.Exit, out.Err)
		}
	}
}

// BenchmarkSaveState measures writing the state file once, as after every step.
func BenchmarkSaveState(b *testing.B) {
	g := trivialGuide(b.N)
	ru, err := newRun(g, runbook.NewReplacer(nil), Options{StatePath: b.TempDir() + "/state.json"}, realParts())
	if err != nil {
		b.Fatal(err)
	}
	ru.dir = "/home/isabell/synapse"
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		ru.state.LastGood = i
		if err := ru.saveState(); err != nil {
			b.Fatal(err)
		}
	}
}
