package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/verifier/report"
)

func cmdStep(id int, text string) *runbook.Command {
	return &runbook.Command{Header: runbook.Header{ID: id, Pos: runbook.Pos{File: "g.rst", Line: id * 10}}, Text: text}
}

// TestMarkCannotRun checks which failures are the place's and which the
// guide's: no network and a program the profile lists as missing here are
// manual, with the steps skipped after them saying why; a program nobody
// listed (a typo in the guide, or a gap not known yet) and an ordinary
// failure stay failed.
func TestMarkCannotRun(t *testing.T) {
	gaps := hostGaps{"mysql": "MariaDB does not run in the sandbox"}
	failed := func(id int, text, output, reason string) runbook.Result {
		return runbook.Result{Step: cmdStep(id, text), Verdict: runbook.Failed, Reason: reason,
			Outcome: &runbook.Outcome{Exit: 1, Output: output}}
	}
	rep := report.Report{Guide: "g.rst", Results: []runbook.Result{
		failed(1, "wget https://example.com/x.tar.gz", "Resolving example.com... failed: Temporary failure in name resolution.\n",
			"exit status 4: wget: unable to resolve host address 'example.com'"),
		{Step: cmdStep(2, "tar xf x.tar.gz"), Verdict: runbook.Skipped, Reason: "not run: step 1 failed"},
		failed(3, "mysql -e 'CREATE DATABASE x'", "bash: mysql: command not found\n", "exit status 127: bash: mysql: command not found"),
		failed(4, "mysqll -e x", "bash: mysqll: command not found\n", "exit status 127: bash: mysqll: command not found"),
		failed(5, "ls /nope", "ls: cannot access '/nope': No such file or directory\n", "exit status 2: ls: cannot access '/nope'"),
		{Step: cmdStep(6, "echo after"), Verdict: runbook.Skipped, Reason: "not run: step 5 failed"},
		{Step: cmdStep(7, "crontab -e"), Verdict: runbook.Drift, Outcome: &runbook.Outcome{
			Output: "crontab: cannot run here: crontab -e opens an editor; add the lines by hand\n"}},
		{Step: cmdStep(8, "echo ok"), Verdict: runbook.OK, Outcome: &runbook.Outcome{Output: "ok\n"}},
		failed(9, "pip3.11 install --user mailman", "ERROR: Could not find a version that satisfies the requirement mailman (from versions: none)\nERROR: No matching distribution found for mailman\n", "exit status 1"),
	}}
	markCannotRun(&rep, gaps, true)
	want := []struct {
		verdict runbook.Verdict
		reason  string
	}{
		{runbook.ManualStep, "cannot run here: it needs the internet, which the sandbox does not have (Resolving example.com... failed: Temporary failure in name resolution.)"},
		{runbook.Skipped, "not run: step 1 cannot run here"},
		{runbook.ManualStep, "cannot run here: mysql is not in this sandbox (MariaDB does not run in the sandbox)"},
		{runbook.Failed, "exit status 127: bash: mysqll: command not found"},
		{runbook.Failed, "exit status 2: ls: cannot access '/nope'"},
		{runbook.Skipped, "not run: step 5 failed"},
		{runbook.ManualStep, "cannot run here: crontab -e opens an editor; add the lines by hand"},
		{runbook.OK, ""},
		{runbook.ManualStep, "cannot run here: it needs the internet (the package index), which the sandbox does not have (ERROR: No matching distribution found for mailman)"},
	}
	// On this host (--no-sandbox), pip finding nothing may be the guide's typo.
	pip := []runbook.Result{failed(1, "pip install mailmann", "ERROR: No matching distribution found for mailmann\n", "exit status 1")}
	onHost := report.Report{Results: pip}
	markCannotRun(&onHost, nil, false)
	if onHost.Results[0].Verdict != runbook.Failed {
		t.Errorf("on this host, pip's miss became %s", onHost.Results[0].Verdict)
	}
	for i, w := range want {
		if r := rep.Results[i]; r.Verdict != w.verdict || r.Reason != w.reason {
			t.Errorf("step %d: %s %q, want %s %q", i+1, r.Verdict, r.Reason, w.verdict, w.reason)
		}
	}
}

// TestLoadHostGaps reads a profile's unavailable.yaml, and says what is wrong with a bad one.
func TestLoadHostGaps(t *testing.T) {
	dir := t.TempDir()
	if g, err := loadHostGaps(dir); err != nil || g != nil {
		t.Errorf("no file: %v %v", g, err)
	}
	os.WriteFile(filepath.Join(dir, gapsFile), []byte("programs:\n  pwsh: PowerShell runs on the reader's computer\n"), 0o644)
	if g, err := loadHostGaps(dir); err != nil || g["pwsh"] != "PowerShell runs on the reader's computer" {
		t.Errorf("gaps %v %v", g, err)
	}
	os.WriteFile(filepath.Join(dir, gapsFile), []byte("programs:\n  pwsh:\n"), 0o644)
	if _, err := loadHostGaps(dir); err == nil || !strings.Contains(err.Error(), "pwsh has no reason") {
		t.Errorf("empty reason: %v", err)
	}
	os.WriteFile(filepath.Join(dir, gapsFile), []byte("programs: [\n"), 0o644)
	if _, err := loadHostGaps(dir); err == nil || !strings.Contains(err.Error(), gapsFile) {
		t.Errorf("bad yaml: %v", err)
	}
}

// TestHostSecrets reads a profile's secrets.yaml and finds the guide's
// value for a secret the host has, from the documented output that shows it.
func TestHostSecrets(t *testing.T) {
	dir := t.TempDir()
	if hs, err := loadHostSecrets(dir); err != nil || hs != nil {
		t.Errorf("no file: %v %v", hs, err)
	}
	write := func(s string) { os.WriteFile(filepath.Join(dir, hostSecretsFile), []byte(s), 0o644) }
	write("secrets:\n  - command: my_print_defaults\n    output: '^--password=(\\S+)$'\n    env: DBPW\n")
	hs, err := loadHostSecrets(dir)
	if err != nil || len(hs) != 1 {
		t.Fatalf("secrets %v %v", hs, err)
	}
	show := &runbook.Command{Text: "my_print_defaults client", Expect: []string{"--user=isabell", "--password=MySuperSecretPassword"}}
	other := &runbook.Command{Text: "echo --password=MySuperSecretPassword", Expect: []string{"--password=MySuperSecretPassword"}}
	ps := []runbook.Param{{Name: "password", Example: "MySuperSecretPassword", Value: "v4lue", Secret: true}}
	if env := hostSecretEnv(&runbook.Guide{Steps: []runbook.Step{other, show}}, ps, hs); len(env) != 1 || env[0] != "DBPW=v4lue" {
		t.Errorf("env %v", env)
	}
	if env := hostSecretEnv(&runbook.Guide{Steps: []runbook.Step{other}}, ps, hs); len(env) != 0 {
		t.Errorf("another program's output gave %v", env)
	}
	ps[0].Value = ""
	if env := hostSecretEnv(&runbook.Guide{Steps: []runbook.Step{show}}, ps, hs); len(env) != 0 {
		t.Errorf("a secret with no value gave %v", env)
	}
	write("secrets:\n  - command: x\n    output: 'no group'\n    env: V\n")
	if _, err := loadHostSecrets(dir); err == nil || !strings.Contains(err.Error(), "captures nothing") {
		t.Errorf("no group: %v", err)
	}
}
