package runbook

import (
	"strings"
	"testing"
)

// TestDumpHidesSecrets checks that neither a hidden answer's text nor a
// secret param's value reaches the dump, while visible values do.
func TestDumpHidesSecrets(t *testing.T) {
	g := &Guide{Name: "g.rst", Title: "T", Steps: []Step{
		&Command{Header: Header{ID: 1, Pos: Pos{File: "g.rst", Line: 3}}, Text: "createuser -P",
			Answers: []Answer{{Kind: Hidden, Prompt: "Password:", Text: "hunter2-answer"}, {Kind: Reply, Prompt: "Admin [no]:", Text: "no"}}},
	}, Params: []Param{{Name: "password", Example: "MySecret", Value: "hunter2-param", Kind: ParamSecret, Secret: true},
		{Name: "user", Example: "isabell", Value: "alice", Kind: ParamUser}}}
	out := Dump(g)
	for _, secret := range []string{"hunter2-answer", "hunter2-param"} {
		if strings.Contains(out, secret) {
			t.Errorf("dump shows secret %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"g.rst:3", `text="no"`, `value="alice"`, "(secret, set)", "text=(secret)"} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %q:\n%s", want, out)
		}
	}
	if Dump(g) != out {
		t.Error("dump is not deterministic")
	}
}
