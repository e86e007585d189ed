package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/runbookdev/runbook/internal/integration"
)

// update rewrites the golden files inside the scripts (cmp stdout NAME).
var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/script")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"runbook": func() { os.Exit(runMain(os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr})) },
	})
}

// TestScript runs the end-to-end scripts in testdata/script. Besides the
// standard commands they have `exits N prog args...`, which runs prog like
// exec and requires exit code N, since the contract gives 1 and 2 different
// meanings.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       *updateGolden,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": cmdExits,
		},
		Condition: needCondition,
		Setup: func(e *testscript.Env) error {
			e.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}

func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// needCondition is [need:PROG]: true when PROG is installed. A missing one
// is an error (the script fails) when RUNBOOK_REQUIRE_INTEGRATION=1 says the
// machine must have everything, so `[!need:bwrap] skip` never hides it in CI.
func needCondition(cond string) (bool, error) {
	prog, ok := strings.CutPrefix(cond, "need:")
	if !ok {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	if err := integration.Missing(prog); err != nil {
		if integration.Required() {
			return false, fmt.Errorf("%v (RUNBOOK_REQUIRE_INTEGRATION=1)", err)
		}
		return false, nil
	}
	return true, nil
}
