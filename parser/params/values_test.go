package params_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
)

// These tests parse guides with the real parser (an external test package
// may import it) and check what --set does to the steps that run.

func parse(t *testing.T, name, src string, files ...string) *runbook.Guide {
	t.Helper()
	fsys := fstest.MapFS{name: {Data: []byte(src)}}
	for i := 0; i+1 < len(files); i += 2 {
		fsys[files[i]] = &fstest.MapFile{Data: []byte(files[i+1])}
	}
	g, err := parser.Parse(name, []byte(src), fsys)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return g
}

func synapseGuide(t *testing.T) *runbook.Guide {
	t.Helper()
	src, err := os.ReadFile("../../guides/synapse.rst")
	if err != nil {
		t.Fatal(err)
	}
	g, err := parser.Parse("guides/synapse.rst", src, os.DirFS("../../guides"))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// applied sets the values and returns the guide as it would run.
func applied(t *testing.T, g *runbook.Guide, set ...string) *runbook.Guide {
	t.Helper()
	ps := append([]runbook.Param(nil), g.Params...)
	for i := 0; i+1 < len(set); i += 2 {
		if err := params.Set(ps, set[i], set[i+1]); err != nil {
			t.Fatalf("--set %s=%s: %v", set[i], set[i+1], err)
		}
	}
	return params.Apply(g, ps)
}

func command(t *testing.T, g *runbook.Guide, prefix string, nth int) *runbook.Command {
	t.Helper()
	for _, st := range g.Steps {
		if c, ok := st.(*runbook.Command); ok && strings.HasPrefix(c.Text, prefix) {
			if nth == 0 {
				return c
			}
			nth--
		}
	}
	t.Fatalf("no command %q", prefix)
	return nil
}

func file(t *testing.T, g *runbook.Guide, path string) *runbook.File {
	t.Helper()
	for _, st := range g.Steps {
		if f, ok := st.(*runbook.File); ok && f.Path == path {
			return f
		}
	}
	t.Fatalf("no file step %s", path)
	return nil
}

func param(t *testing.T, ps []runbook.Param, name string) runbook.Param {
	t.Helper()
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no param %s", name)
	return runbook.Param{}
}

// TestChoice: --report-stats=[yes|no] runs as its first option; the param's
// name or its text picks another; output that says "yes" is not turned
// back into the choice.
func TestChoice(t *testing.T) {
	g := synapseGuide(t)
	gen := func(a *runbook.Guide) string { return command(t, a, "python3.9 -m synapse.app.homeserver", 0).Text }
	if got := gen(applied(t, g)); !strings.HasSuffix(got, "--report-stats=yes") {
		t.Errorf("default: %q", got)
	}
	for _, key := range []string{"report-stats", "[yes|no]"} {
		if got := gen(applied(t, g, key, "no")); !strings.HasSuffix(got, "--report-stats=no") {
			t.Errorf("--set %s=no: %q", key, got)
		}
	}
	p := param(t, g.Params, "report-stats")
	if p.Kind != runbook.ParamChoice || p.Value != "yes" || p.Example != "[yes|no]" {
		t.Errorf("report-stats = %+v", p)
	}
	g2 := parse(t, "g.rst", "T\n=\n\n::\n\n  [isabell@stardust ~]$ app --db=<sqlite|postgres>\n  using sqlite\n  [isabell@stardust ~]$\n")
	if rv := runbook.NewReplacer(g2.Params).Reverse("using sqlite"); rv != "using sqlite" {
		t.Errorf("Reverse turned output into %q", rv)
	}
}

// TestAnswerPlaceholder: USER at "New user localpart [isabell]:" types the
// default, follows --set isabell=alice, takes its own --set, and never
// touches $USER.
func TestAnswerPlaceholder(t *testing.T) {
	src := "T\n=\n\n::\n\n  [isabell@stardust ~]$ register_new_matrix_user -c /home/$USER/h.yaml\n" +
		"  New user localpart [isabell]: USER\n  Success! USER is registered\n  [isabell@stardust ~]$ echo $USER\n  isabell\n  [isabell@stardust ~]$\n"
	g := parse(t, "g.rst", src)
	cases := []struct {
		set          []string
		text, expect string
	}{
		{nil, "isabell", "New user localpart [isabell]: isabell"},
		{[]string{"isabell", "alice"}, "alice", "New user localpart [alice]: alice"},
		{[]string{"USER", "bob"}, "bob", "New user localpart [isabell]: bob"},
		{[]string{"new-user-localpart", "bob", "isabell", "carol"}, "bob", "New user localpart [carol]: bob"},
	}
	for _, c := range cases {
		a := applied(t, g, c.set...)
		reg := command(t, a, "register_new_matrix_user", 0)
		if reg.Answers[0].Text != c.text || reg.Expect[0] != c.expect {
			t.Errorf("%v: answer %q, line %q; want %q, %q", c.set, reg.Answers[0].Text, reg.Expect[0], c.text, c.expect)
		}
		if !strings.Contains(reg.Text, "/home/$USER/") || reg.Expect[1] != "Success! USER is registered" {
			t.Errorf("%v: USER changed outside its answer: %q / %q", c.set, reg.Text, reg.Expect[1])
		}
		if e := command(t, a, "echo", 0); e.Text != "echo $USER" {
			t.Errorf("%v: %q", c.set, e.Text)
		}
	}
	// The default is the guide's own name: real output that shows it is
	// not turned into USER.
	if rv := runbook.NewReplacer(g.Params).Reverse("[isabell@stardust ~]$ ls /home/isabell"); strings.Contains(rv, "USER") {
		t.Errorf("Reverse = %q", rv)
	}
}

// TestServicePerProgram: synapse's two supervisord inclusions are service
// (synapse) and service-2 (syncv3); setting one renames its program in the
// ini file and in what supervisorctl shows, and nothing else.
func TestServicePerProgram(t *testing.T) {
	g := synapseGuide(t)
	for name, want := range map[string]string{"service": "synapse", "service-2": "syncv3"} {
		if p := param(t, g.Params, name); p.Value != want || p.Default != want {
			t.Errorf("%s = %q (default %q), want %q", name, p.Value, p.Default, want)
		}
	}
	reread := func(a *runbook.Guide, n int) string { return command(t, a, "supervisorctl reread", n).Expect[0] }
	a := applied(t, g)
	if reread(a, 0) != "synapse: available" || reread(a, 1) != "syncv3: available" {
		t.Errorf("defaults: %q, %q", reread(a, 0), reread(a, 1))
	}
	a = applied(t, g, "service", "matrix")
	if reread(a, 0) != "matrix: available" || reread(a, 1) != "syncv3: available" {
		t.Errorf("service=matrix: %q, %q", reread(a, 0), reread(a, 1))
	}
	ini := file(t, a, "~/etc/services.d/synapse.ini").Content
	if !strings.HasPrefix(ini, "[program:matrix]\n") || !strings.Contains(ini, "%(ENV_HOME)s/synapse/homeserver.yaml") {
		t.Errorf("synapse.ini:\n%s", ini)
	}
	if c := command(t, a, "cd ~/synapse", 0); c.Text != "cd ~/synapse" {
		t.Errorf("the synapse directory was renamed: %q", c.Text)
	}
	a = applied(t, g, "SERVICE", "svc")
	if reread(a, 0) != "svc: available" || reread(a, 1) != "svc: available" {
		t.Errorf("SERVICE=svc sets every inclusion: %q, %q", reread(a, 0), reread(a, 1))
	}
	if rv := runbook.NewReplacer(g.Params).Reverse("cd /home/isabell/synapse"); rv != "cd /home/isabell/synapse" {
		t.Errorf("Reverse = %q", rv)
	}
}

// TestPortTie: --set port=9999 changes the listener block the prose ties to
// <port> ("modify the entry with “port: 8008“") as well as the web backend
// of the first inclusion; port-2 (8009) stays.
func TestPortTie(t *testing.T) {
	g := synapseGuide(t)
	listener := func(a *runbook.Guide) string {
		for _, st := range a.Steps {
			if f, ok := st.(*runbook.File); ok && strings.HasPrefix(f.Content, "- port:") {
				return strings.SplitN(f.Content, "\n", 2)[0]
			}
		}
		t.Fatal("no listener block")
		return ""
	}
	backend := func(a *runbook.Guide, n int) string {
		return command(t, a, "uberspace web backend set / --http", n).Text
	}
	a := applied(t, g)
	if listener(a) != "- port: 8008" || !strings.HasSuffix(backend(a, 0), "--port 8008") || !strings.HasSuffix(backend(a, 1), "--port 8009") {
		t.Errorf("defaults: %q, %q, %q", listener(a), backend(a, 0), backend(a, 1))
	}
	a = applied(t, g, "port", "9999")
	if listener(a) != "- port: 9999" || !strings.HasSuffix(backend(a, 0), "--port 9999") || !strings.HasSuffix(backend(a, 1), "--port 8009") {
		t.Errorf("port=9999: %q, %q, %q", listener(a), backend(a, 0), backend(a, 1))
	}
	if p := param(t, g.Params, "port"); len(p.Ties) != 1 || p.Ties[0].Pos.Line != 171 {
		t.Errorf("port ties %+v, want synapse.rst:171", p.Ties)
	}
}

// TestProseSecret: "Use “MySuperSecretPassword“ as the password:" makes
// that literal the secret the hidden prompts type; --set names it by the
// literal.
func TestProseSecret(t *testing.T) {
	src := "T\n=\n\nUse ``MySuperSecretPassword`` as the password:\n\n::\n\n" +
		"  [isabell@stardust ~]$ register_new_matrix_user -c homeserver.yaml\n  Password:\n  Confirm password:\n  [isabell@stardust ~]$\n\n" +
		"Enter the password ``password`` when asked, then write it to ``~/pw.txt``:\n\n::\n\n" +
		"  [isabell@stardust ~]$ htpasswd -c ~/.htpasswd isabell\n  New password:\n  Re-type new password:\n  [isabell@stardust ~]$\n"
	g := parse(t, "g.rst", src)
	a := applied(t, g, "MySuperSecretPassword", "Pw-1", "password:htpasswd", "Pw-2")
	reg := command(t, a, "register_new_matrix_user", 0)
	if reg.Answers[0].Text != "Pw-1" || reg.Answers[1].Text != "Pw-1" {
		t.Errorf("register answers %+v", reg.Answers)
	}
	ht := command(t, a, "htpasswd", 0)
	if ht.Answers[0].Text != "Pw-2" || ht.Answers[1].Text != "Pw-2" || ht.Expect[0] != "New password:" {
		t.Errorf("htpasswd %+v %q", ht.Answers, ht.Expect)
	}
	p := param(t, g.Params, "password")
	if !p.Secret || p.Example != "MySuperSecretPassword" || len(p.Uses) == 0 || p.Uses[0].Line != 4 {
		t.Errorf("password = %+v", p)
	}
}
