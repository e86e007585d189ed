package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// synapseStep is a step of `steps --json`, read back through the contract.
type synapseStep struct {
	ID      int      `json:"id"`
	Kind    string   `json:"kind"`
	Pos     string   `json:"pos"`
	Section []string `json:"section"`
	Prompt  *struct {
		User, Host, Dir string
	} `json:"prompt"`
	Command string `json:"command"`
	Expect  string `json:"expect"`
	Answers []struct {
		Prompt, Text string
		Secret       bool
		Kind         string
	} `json:"answers"`
	Path, Mode, Format, Content, Reason string
}

// runJSON runs the CLI in-process and decodes its stdout.
func runJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(args, env{stdin: os.Stdin, stdout: &out, stderr: &errb})
	if code != 0 {
		t.Fatalf("runbook %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	if err := json.Unmarshal(out.Bytes(), v); err != nil {
		t.Fatalf("runbook %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
}

// TestSynapseSteps checks the facts issue 2 asks of guides/synapse.rst
// through the JSON contract of `runbook steps`.
func TestSynapseSteps(t *testing.T) {
	var doc struct {
		Guide  string
		Title  string
		Steps  []synapseStep
		Params []struct {
			Name, Example, Value, Kind string
			Secret                     bool
			Uses                       []string
		}
	}
	runJSON(t, &doc, "steps", "--json", "../../guides/synapse.rst")
	if doc.Title != "Synapse" || doc.Guide != "../../guides/synapse.rst" {
		t.Errorf("guide %q, title %q", doc.Guide, doc.Title)
	}
	var cmds, merges, creates []synapseStep
	for i, s := range doc.Steps {
		if s.ID != i+1 {
			t.Errorf("step %d has id %d", i+1, s.ID)
		}
		switch s.Kind {
		case "command":
			cmds = append(cmds, s)
		case "file":
			if s.Mode == "merge" {
				merges = append(merges, s)
			} else if s.Mode == "create" {
				creates = append(creates, s)
			}
		}
	}

	// The prompt dir as written, typo included.
	if n := countCmds(cmds, func(s synapseStep) bool {
		return s.Prompt.Dir == "synape" && strings.HasPrefix(s.Command, "register_new_matrix_user")
	}); n != 1 {
		t.Errorf("%d register_new_matrix_user commands at prompt dir synape, want 1", n)
	}
	// --generate-config is one command, continuation lines kept.
	gen := findCmds(cmds, "--generate-config")
	if len(gen) != 1 {
		t.Fatalf("%d commands contain --generate-config, want 1", len(gen))
	}
	// The choice [yes|no] runs as its first option.
	for _, part := range []string{"python3.9 -m synapse.app.homeserver \\\n", "--server-name example.org \\\n", "--report-stats=yes"} {
		if !strings.Contains(gen[0].Command, part) {
			t.Errorf("--generate-config command lacks %q: %q", part, gen[0].Command)
		}
	}
	if gen[0].Prompt.Dir != "synapse" {
		t.Errorf("--generate-config prompt dir %q, want synapse", gen[0].Prompt.Dir)
	}
	checkSynapseFiles(t, merges, creates)
	checkSynapseAnswers(t, cmds)
	checkSynapseParams(t, doc.Params)
}

// checkSynapseFiles: three yaml merges into homeserver.yaml, five creates.
func checkSynapseFiles(t *testing.T, merges, creates []synapseStep) {
	t.Helper()
	// Three yaml merges into homeserver.yaml.
	if len(merges) != 3 {
		t.Errorf("%d merges, want 3: %+v", len(merges), merges)
	}
	for _, m := range merges {
		if m.Path != "~/synapse/homeserver.yaml" || m.Format != "yaml" {
			t.Errorf("merge at %s into %q (%s), want ~/synapse/homeserver.yaml (yaml)", m.Pos, m.Path, m.Format)
		}
	}
	// The five creates.
	wantCreates := []string{ // in document order
		"/var/www/virtual/$USER/example.org/.well-known/matrix/server",
		"~/etc/services.d/synapse.ini",
		"~/bin/synapse-update",
		"/var/www/virtual/$USER/example.org/.well-known/matrix/client",
		"~/etc/services.d/syncv3.ini",
	}
	var got []string
	for _, c := range creates {
		got = append(got, c.Path)
	}
	if strings.Join(got, "\n") != strings.Join(wantCreates, "\n") {
		t.Errorf("creates:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantCreates, "\n"))
	}
}

func checkSynapseAnswers(t *testing.T, cmds []synapseStep) {
	t.Helper()
	for _, c := range findCmds(cmds, "createuser") {
		if len(c.Answers) < 2 || !c.Answers[0].Secret || !c.Answers[1].Secret {
			t.Errorf("%s %q: want two secret answers, got %+v", c.Pos, c.Command, c.Answers)
		}
	}
	reg := findCmds(cmds, "register_new_matrix_user")
	if len(reg) != 1 {
		t.Fatalf("%d register_new_matrix_user commands", len(reg))
	}
	want := []struct {
		prompt, text string
		secret       bool
	}{
		{"New user localpart [isabell]:", "isabell", false}, // USER is the reader's name, by default the one offered
		{"Password:", "", true},
		{"Confirm password:", "", true},
		{"Make admin [no]:", "no", false},
	}
	if len(reg[0].Answers) != len(want) {
		t.Fatalf("register_new_matrix_user answers %+v", reg[0].Answers)
	}
	for i, w := range want {
		a := reg[0].Answers[i]
		if a.Prompt != w.prompt || a.Text != w.text || a.Secret != w.secret {
			t.Errorf("answer %d = %+v, want %+v", i, a, w)
		}
	}
	hash := findCmds(cmds, "hash_password")
	if len(hash) != 1 || len(hash[0].Answers) != 2 || !hash[0].Answers[0].Secret || !hash[0].Answers[1].Secret {
		t.Errorf("hash_password answers: %+v", hash)
	}
	psql := findCmds(cmds, "psql --user synapse")
	if len(psql) != 1 {
		t.Fatalf("%d psql --user synapse commands", len(psql))
	}
	var update bool
	for _, a := range psql[0].Answers {
		if strings.HasPrefix(a.Text, "UPDATE users SET password_hash=") && strings.HasPrefix(a.Prompt, "synapse=>") {
			update = true
		}
	}
	if !update {
		t.Errorf("psql: the UPDATE is not input at synapse=>: %+v", psql[0].Answers)
	}
	for _, c := range cmds {
		for _, a := range c.Answers {
			if a.Secret && a.Text != "" {
				t.Errorf("%s: secret answer %q shows text", c.Pos, a.Prompt)
			}
		}
	}
}

func checkSynapseParams(t *testing.T, ps []struct {
	Name, Example, Value, Kind string
	Secret                     bool
	Uses                       []string
}) {
	t.Helper()
	examples := map[string]bool{}
	values := map[string]string{}
	secrets := 0
	for _, p := range ps {
		examples[p.Example] = true
		values[p.Name] = p.Value
		if p.Secret {
			secrets++
			if p.Value != "" {
				t.Errorf("secret %s shows a value", p.Name)
			}
		}
		if len(p.Uses) == 0 {
			t.Errorf("param %s has no uses", p.Name)
		}
	}
	for _, want := range []string{"isabell", "stardust", "example.org", "matrix.example.org", "syncv3.example.org", "[yes|no]", "USER"} {
		if !examples[want] {
			t.Errorf("params lack %q", want)
		}
	}
	for name, want := range map[string]string{"report-stats": "yes", "new-user-localpart": "isabell",
		"service": "synapse", "service-2": "syncv3", "port": "8008", "port-2": "8009"} {
		if values[name] != want {
			t.Errorf("param %s = %q, want %q", name, values[name], want)
		}
	}
	if secrets == 0 {
		t.Errorf("no secret params detected")
	}
}

func findCmds(cmds []synapseStep, sub string) []synapseStep {
	var out []synapseStep
	for _, c := range cmds {
		if strings.Contains(c.Command, sub) {
			out = append(out, c)
		}
	}
	return out
}

func countCmds(cmds []synapseStep, f func(synapseStep) bool) int {
	n := 0
	for _, c := range cmds {
		if f(c) {
			n++
		}
	}
	return n
}

// TestSynapseDryRun runs `run --dry-run` on guides/synapse.rst over a home
// that holds a homeserver.yaml as Synapse generates it (secrets included):
// the merges are shown against it and against each other, the syncv3
// listener on 8009 (not the first inclusion's 8008), no secret shows, and
// nothing is written.
func TestSynapseDryRun(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	config := filepath.Join(home, "synapse", "homeserver.yaml")
	generated := "server_name: \"example.org\"\nlisteners:\n  - port: 8008\n    tls: false\n    type: http\n" +
		"    x_forwarded: true\n    bind_addresses: ['::1', '127.0.0.1']\n    resources:\n      - names: [client, federation]\n" +
		"        compress: false\nregistration_shared_secret: \"Zq8,abc_Gen3rated\"\nmacaroon_secret_key: \"Mac-Gen3rated-xyz\"\n"
	if err := os.MkdirAll(filepath.Dir(config), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, []byte(generated), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := runMain([]string{"run", "--dry-run", "../../guides/synapse.rst", "--set", "my-super-secure-password=Db-Secret-42"},
		env{stdin: os.Stdin, stdout: &out, stderr: &errb})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	text := out.String()
	for _, leak := range []string{"Db-Secret-42", "Gen3rated", "MySuperSecret", "<my super secure password>"} {
		if strings.Contains(text, leak) {
			t.Errorf("the dry run shows %q", leak)
		}
	}
	for _, want := range []string{
		"--- " + config + "\n", // step 16 merges into the file on disk
		`registration_shared_secret: "********"`,
		"--- " + config + " (as step 16 of this dry run leaves it)\n", // step 24 into what 16 leaves
		"--- " + config + " (as step 24 of this dry run leaves it)\n",
		`+    password: "********"`,
		"step 15, a command, may change homeserver.yaml before this step",
		`SYNCV3_BINDADDR="0.0.0.0:8009"`,
		"Updates\n  3 steps not run: maintenance section: not run by default (--section Updates or --all)\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the dry run lacks %q", want)
		}
	}
	if strings.Contains(text, `SYNCV3_BINDADDR="0.0.0.0:8008"`) {
		t.Error("the dry run shows syncv3 on 8008, where run writes 8009")
	}
	if data, _ := os.ReadFile(config); string(data) != generated {
		t.Errorf("the dry run changed homeserver.yaml:\n%s", data)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 1 {
		t.Errorf("the dry run wrote into the home: %v", entries)
	}
}
