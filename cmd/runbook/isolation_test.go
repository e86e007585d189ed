package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// verdictsOf runs `check --no-sandbox ARGS --report json` and returns each
// guide's step verdicts, by guide, as "pos verdict" lines.
func verdictsOf(t *testing.T, args ...string) map[string][]string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"check", "--no-sandbox", "--idle", "3s", "--report", "json"}, args...)
	code := runMain(args, env{stdin: nil, stdout: &stdout, stderr: &stderr})
	if code != exitOK && code != exitFound {
		t.Fatalf("runbook %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	var doc struct {
		Guides []struct {
			Guide string
			Steps []struct{ Pos, Verdict string }
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	out := map[string][]string{}
	for _, g := range doc.Guides {
		for _, s := range g.Steps {
			out[filepath.Base(g.Guide)] = append(out[filepath.Base(g.Guide)], filepath.Base(s.Pos)+" "+s.Verdict)
		}
	}
	return out
}

// TestCheckIsolatesGuides checks that guides checked together cannot see
// each other's files: drift.rst fails at `cat settings.conf` because the
// guide never writes it, even when drift-fixed.rst (which does) ran in the
// same check just before it, or runs beside it with -j 4 among all the
// fixtures. Three runs with -j 4 give the same verdicts.
func TestCheckIsolatesGuides(t *testing.T) {
	fixtures, err := filepath.Abs("../../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", filepath.Join(fixtures, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	drift, fixed := filepath.Join(fixtures, "drift.rst"), filepath.Join(fixtures, "drift-fixed.rst")
	catFailed := "drift.rst:48 failed"

	// One after the other: drift-fixed.rst has written settings.conf in its own home.
	seq := verdictsOf(t, "-j", "1", fixed, drift)
	if !slices.Contains(seq["drift.rst"], catFailed) {
		t.Errorf("after drift-fixed.rst, drift.rst's cat did not fail: %v", seq["drift.rst"])
	}
	for _, v := range seq["drift-fixed.rst"] {
		if !strings.HasSuffix(v, " ok") {
			t.Errorf("drift-fixed.rst: %s", v)
		}
	}

	all, err := filepath.Glob(filepath.Join(fixtures, "*.rst"))
	if err != nil || len(all) < 5 {
		t.Fatalf("fixtures: %v %v", all, err)
	}
	var first map[string][]string
	for run := 1; run <= 3; run++ {
		got := verdictsOf(t, append([]string{"-j", "4"}, all...)...)
		if !slices.Contains(got["drift.rst"], catFailed) {
			t.Errorf("run %d: drift.rst's cat did not fail: %v", run, got["drift.rst"])
		}
		if !reflect.DeepEqual(got["drift-fixed.rst"], seq["drift-fixed.rst"]) {
			t.Errorf("run %d: drift-fixed.rst %v, want %v", run, got["drift-fixed.rst"], seq["drift-fixed.rst"])
		}
		if first == nil {
			first = got
		} else if !reflect.DeepEqual(got, first) {
			t.Errorf("run %d differs from run 1:\n%v\n%v", run, got, first)
		}
	}
}
