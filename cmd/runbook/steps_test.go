package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// handGuide is a guide built by hand, so the rendering of every step kind is
// tested without the parser.
func handGuide() (*runbook.Guide, []runbook.Param) {
	sec := []string{"Demo", "Setup"}
	ps := []runbook.Param{
		{Name: "user", Example: "isabell", Value: "alice", Kind: runbook.ParamUser,
			Uses: []runbook.Pos{{File: "g.rst", Line: 7}, {File: "g.rst", Line: 8}, {File: "g.rst", Line: 9}, {File: "g.rst", Line: 20}}},
		{Name: "password", Example: "MySuperSecretPassword", Value: "hunter22", Kind: runbook.ParamSecret, Secret: true,
			Uses: []runbook.Pos{{File: "g.rst", Line: 30}}},
	}
	g := &runbook.Guide{Name: "g.rst", Title: "Demo", Params: ps, Steps: []runbook.Step{
		&runbook.Command{Header: runbook.Header{ID: 1, Pos: runbook.Pos{File: "g.rst", Line: 7}, Section: sec},
			Prompt: runbook.Prompt{User: "isabell", Host: "stardust", Dir: "synape"},
			Text:   "register \\\n  --user alice",
			Expect: []string{"New user localpart [isabell]: USER", "Password:", "Make admin [no]: no", "Success!", "[...]"},
			Answers: []runbook.Answer{
				{Kind: runbook.Reply, Prompt: "New user localpart [isabell]:", Text: "USER"},
				{Kind: runbook.Hidden, Prompt: "Password:", Text: "hunter22", Param: "password"},
				{Kind: runbook.Reply, Prompt: "Make admin [no]:", Text: "no"},
			}},
		&runbook.File{Header: runbook.Header{ID: 2, Pos: runbook.Pos{File: "inc/x.rst", Line: 3}, Section: sec},
			Path: "~/synapse/homeserver.yaml", Mode: runbook.Merge, Format: "yaml", Key: []string{"listeners"},
			Content: "- port: 8008\n  type: http\n  password: hunter22\n  tls: false\n  x: 1\n"},
		&runbook.File{Header: runbook.Header{ID: 3, Pos: runbook.Pos{File: "g.rst", Line: 40}, Section: []string{"Demo", "Daemon"}},
			Path: "~/etc/services.d/synapse.ini", Mode: runbook.Create, Format: "ini", Content: "[program:synapse]\nautostart=yes\n"},
		&runbook.Manual{Header: runbook.Header{ID: 4, Pos: runbook.Pos{File: "g.rst", Line: 50}, Section: []string{"Demo", "Daemon"}},
			Reason: "an edit to an nginx file is not automated", Path: "~/nginx.conf", Format: "nginx", Content: "server {}\n"},
	}}
	return g, ps
}

func TestStepsText(t *testing.T) {
	g, ps := handGuide()
	var b bytes.Buffer
	if err := writeStepsText(&b, g, ps, newSecrets(runbook.NewReplacer(ps), ps)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Demo (g.rst): 4 steps: 1 command, 2 files, 1 step by hand\n",
		"  isabell = alice\n",
		"  MySuperSecretPassword = (secret, set)\n",
		"\nSetup\n",
		"  1/4     g.rst:7\n",
		"[isabell@stardust synape]$ register \\\n",
		"                                       --user alice\n",
		"            New user localpart [isabell]: USER\n",
		"            … 2 more lines\n",
		`answers "New user localpart [isabell]:" with USER`,
		`answers "Password:" with (secret from password)`,
		`answers "Make admin [no]:" with no`,
		"  2/4     inc/x.rst:3\n",
		"merge into ~/synapse/homeserver.yaml under listeners (yaml, 5 lines)",
		"\nDaemon\n",
		"create ~/etc/services.d/synapse.ini (ini, 2 lines)",
		"by hand: an edit to an nginx file is not automated",
		"file ~/nginx.conf (nginx, 1 line)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("steps text lacks %q; got:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter22") {
		t.Errorf("steps text shows a secret:\n%s", out)
	}
	if strings.Count(out, "\nSetup\n") != 1 {
		t.Errorf("section heading repeated:\n%s", out)
	}
}

func TestStepsJSON(t *testing.T) {
	g, ps := handGuide()
	var b bytes.Buffer
	if err := writeStepsJSON(&b, g, ps, newSecrets(runbook.NewReplacer(ps), ps)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "hunter22") {
		t.Fatalf("steps --json shows a secret:\n%s", b.String())
	}
	var doc struct {
		Guide, Title string
		Params       []map[string]any
		Steps        []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Guide != "g.rst" || doc.Title != "Demo" || len(doc.Steps) != 4 || len(doc.Params) != 2 {
		t.Fatalf("got %+v", doc)
	}
	fields := map[string][]string{
		"command": {"answers", "command", "expect", "id", "kind", "pos", "prompt", "role", "section"},
		"file":    {"content", "format", "id", "key", "kind", "mode", "path", "pos", "role", "section"},
		"manual":  {"content", "format", "id", "kind", "path", "pos", "reason", "role", "section"},
	}
	for _, s := range doc.Steps {
		kind := s["kind"].(string)
		want := fields[kind]
		if kind == "file" && s["key"] == nil {
			want = without(want, "key")
		}
		if got := keys(s); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("step %v (%s) has fields %v, want %v", s["id"], kind, got, want)
		}
	}
	c := doc.Steps[0]
	if c["pos"] != "g.rst:7" || c["command"] != "register \\\n  --user alice" {
		t.Errorf("command step: %v", c)
	}
	if c["expect"] != "New user localpart [isabell]: USER\nPassword:\nMake admin [no]: no\nSuccess!\n[...]" {
		t.Errorf("expect = %q", c["expect"])
	}
	if p := c["prompt"].(map[string]any); p["dir"] != "synape" || p["user"] != "isabell" || p["host"] != "stardust" {
		t.Errorf("prompt = %v", p)
	}
	ans := c["answers"].([]any)
	hidden := ans[1].(map[string]any)
	if hidden["secret"] != true || hidden["text"] != "" || hidden["prompt"] != "Password:" {
		t.Errorf("hidden answer = %v", hidden)
	}
	if vis := ans[2].(map[string]any); vis["secret"] != false || vis["text"] != "no" {
		t.Errorf("visible answer = %v", vis)
	}
	if pw := doc.Params[1]; pw["value"] != "" || pw["secret"] != true || pw["example"] != "MySuperSecretPassword" {
		t.Errorf("secret param = %v", pw)
	}
	if u := doc.Params[0]; u["value"] != "alice" || len(u["uses"].([]any)) != 4 {
		t.Errorf("user param = %v", u)
	}
}

func TestParamsText(t *testing.T) {
	_, ps := handGuide()
	var b bytes.Buffer
	if err := writeParamsText(&b, ps); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"NAME", "user", "isabell", "alice", "g.rst:7, g.rst:8, g.rst:9, … (4 in all)", "(secret, set)"} {
		if !strings.Contains(out, want) {
			t.Errorf("params text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter22") {
		t.Errorf("params text shows a secret:\n%s", out)
	}
}

func TestRedactingWriterSplitWrites(t *testing.T) {
	ps := []runbook.Param{{Name: "pw", Secret: true, Value: "s3cr3t"}}
	var b bytes.Buffer
	w := newSecrets(nil, ps).writer(&b)
	for _, part := range []string{"a s3", "cr3t b\nc s3cr", "3t", " Password: s", "3"} {
		if _, err := w.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := b.String(), "a ******** b\nc ******** Password: "; got != want {
		t.Errorf("before Close: got %q, want %q", got, want)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "a ******** b\nc ******** Password: s3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func without(ss []string, x string) []string {
	var out []string
	for _, s := range ss {
		if s != x {
			out = append(out, s)
		}
	}
	return out
}
