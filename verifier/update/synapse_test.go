package update

import (
	"os"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/golden"
)

// synapseRun is a made-up run of guides/synapse.rst as user alice on
// alice.dev: the steps named here drifted and printed this output, every
// other step was ok. Lines are those of the prompts in synapse.rst.
var synapseRun = map[int]string{
	// A newer psycopg2, a new warning line, a faster download.
	103: "Collecting psycopg2-binary\n" +
		"  Downloading psycopg2_binary-2.9.9-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl (3.0 MB)\n" +
		"     |████████████████████████████████| 3.0 MB 41.2 MB/s\n" +
		"Installing collected packages: psycopg2-binary\n" +
		"WARNING: The script psycopg2 is installed in '/home/alice/.local/bin' which is not on PATH.\n" +
		"Successfully installed psycopg2-binary-2.9.9\n",
	// Only the prompt drifted (synape); the answers and output are as documented.
	339: "New user localpart [alice]: USER\nPassword:\nConfirm password:\nMake admin [no]: no\nSending registration request...\nSuccess!\n",
	// The backend message changed wording, with the real domain in it.
	209: "Set backend for alice.dev/.well-known/matrix to apache.\n",
	// A drifted step of an include: not this file's business.
	9: "SERVICE                            RUNNING   pid 1, uptime 0:00:01\n",
}

func TestRewriteSynapse(t *testing.T) {
	g, src := parseFile(t, "../../guides/synapse.rst")
	ps := []runbook.Param{
		{Name: "user", Example: "isabell", Value: "alice", Kind: runbook.ParamUser},
		{Name: "domain", Example: "example.org", Value: "alice.dev", Kind: runbook.ParamDomain},
	}
	home := "/home/alice"
	dir := home
	var rs []runbook.Result
	for _, st := range g.Steps {
		cmd, ok := st.(*runbook.Command)
		if !ok {
			rs = append(rs, runbook.Result{Step: st, Verdict: runbook.OK, Outcome: &runbook.Outcome{}})
			continue
		}
		if cmd.Text == "cd ~/synapse" {
			dir = home + "/synapse"
		} else if cmd.First {
			dir = home
		}
		res := runbook.Result{Step: cmd, Verdict: runbook.OK, Outcome: &runbook.Outcome{Dir: dir}}
		if out, ok := synapseRun[cmd.Pos.Line]; ok {
			res.Verdict, res.Outcome.Output = runbook.Drift, out
		}
		rs = append(rs, res)
	}
	got, err := Rewrite(src, g.Name, rs, Options{Replacer: runbook.NewReplacer(ps), Home: home})
	if err != nil {
		t.Fatal(err)
	}
	patch := Patch(src, got, "guides/synapse.rst")
	const patchFile = "testdata/synapse.patch"
	if golden.Update() {
		if err := os.WriteFile(patchFile, []byte(patch), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(patchFile)
	if err != nil {
		t.Fatal(err)
	}
	if patch != string(want) {
		t.Errorf("patch differs from %s:\n%s", patchFile, patch)
	}
}
