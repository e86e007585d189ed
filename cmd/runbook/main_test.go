package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
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
			"exits":     cmdExits,
			"kept":      cmdKept,
			"cmpreport": cmdCmpReport,
		},
		Condition: needCondition,
		Setup: func(e *testscript.Env) error {
			e.Setenv("NO_COLOR", "1")
			repo, err := filepath.Abs("../..")
			if err != nil {
				return err
			}
			e.Setenv("RUNBOOK_REPO", repo) // the repository, for scripts that use its fixtures
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

// cmdKept moves the one home that `check --keep` left under $TMPDIR to
// $WORK/kept (replacing an earlier one), so that a script can look at the
// files a guide wrote in its own fresh home.
func cmdKept(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: kept")
	}
	homes, err := filepath.Glob(filepath.Join(ts.Getenv("TMPDIR"), "runbook-check-*", "home"))
	if err != nil || len(homes) != 1 {
		ts.Fatalf("kept: want one kept home under $TMPDIR, found %d (%v)", len(homes), err)
	}
	dst := ts.MkAbs("kept")
	ts.Check(os.RemoveAll(dst))
	ts.Check(os.Rename(homes[0], dst))
	ts.Check(os.RemoveAll(filepath.Dir(homes[0])))
}

// cmdCmpReport compares two JSON reports as data, ignoring the durations,
// which differ from run to run: `cmpreport a.json b.json`.
func cmdCmpReport(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmpreport A.json B.json")
	}
	var docs [2]any
	for i, name := range args {
		if err := json.Unmarshal([]byte(ts.ReadFile(name)), &docs[i]); err != nil {
			ts.Fatalf("%s: %v", name, err)
		}
		docs[i] = withoutDurations(docs[i])
	}
	same := reflect.DeepEqual(docs[0], docs[1])
	if same == neg {
		a, _ := json.MarshalIndent(docs[0], "", "  ")
		b, _ := json.MarshalIndent(docs[1], "", "  ")
		ts.Fatalf("%s and %s: equal=%v, want %v\n%s\n---\n%s", args[0], args[1], same, !neg, a, b)
	}
}

// withoutDurations zeroes every duration_ms in a decoded JSON document.
func withoutDurations(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "duration_ms" {
				x[k] = 0.0
			} else {
				x[k] = withoutDurations(val)
			}
		}
	case []any:
		for i := range x {
			x[i] = withoutDurations(x[i])
		}
	}
	return v
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
