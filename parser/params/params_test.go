package params

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

func byName(t *testing.T, ps []runbook.Param, name string) runbook.Param {
	t.Helper()
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no param %q in %v", name, names(ps))
	return runbook.Param{}
}

func names(ps []runbook.Param) []string {
	var n []string
	for _, p := range ps {
		n = append(n, p.Name)
	}
	return n
}

func TestDetectSynapse(t *testing.T) {
	g := synapse(t)
	ps := Detect(g)
	want := []struct {
		name, example string
		kind          runbook.ParamKind
		secret        bool
		derived       string
	}{
		{"user", "isabell", runbook.ParamUser, false, ""},
		{"host", "stardust", runbook.ParamHost, false, ""},
		{"domain", "example.org", runbook.ParamDomain, false, ""},
		{"domain:matrix", "matrix.example.org", runbook.ParamDomain, false, "domain"},
		{"domain:syncv3", "syncv3.example.org", runbook.ParamDomain, false, "domain"},
		{"port", "<port>", runbook.ParamPlaceholder, false, ""},
		{"my-super-secure-password", "<my super secure password>", runbook.ParamSecret, true, ""},
		{"service", "SERVICE", runbook.ParamService, false, ""},
		{"psql-password", "MySuperSecretPSQLPassword", runbook.ParamSecret, true, ""},
		{"secret", "MySuperSecret", runbook.ParamSecret, true, ""},
	}
	for _, w := range want {
		p := byName(t, ps, w.name)
		if p.Example != w.example || p.Kind != w.kind || p.Secret != w.secret || p.Derived != w.derived {
			t.Errorf("%s = %+v, want example %q kind %s secret %v derived %q", w.name, p, w.example, w.kind, w.secret, w.derived)
		}
		if len(p.Uses) == 0 {
			t.Errorf("%s has no uses", w.name)
		}
		if w.secret && p.Value != "" || !w.secret && p.Value != orExample(p.Default, p.Example) {
			t.Errorf("%s: default value %q", w.name, p.Value)
		}
	}
	pw := byName(t, ps, "my-super-secure-password")
	if !slices.Contains(pw.Uses, runbook.Pos{File: filepath.Join("..", "..", "guides", "synapse.rst"), Line: 254}) {
		t.Errorf("<my super secure password> uses %v, want synapse.rst:254", pw.Uses)
	}
	user := byName(t, ps, "user")
	if len(user.Uses) < 40 {
		t.Errorf("isabell used only %d times", len(user.Uses))
	}
	for _, p := range ps {
		if p.Example == "isabella" || p.Example == "<hidden>" {
			t.Errorf("unexpected param %+v", p)
		}
	}
}

// hidden returns the params bound to the hidden answers of the command whose text starts with prefix.
func hidden(g *runbook.Guide, prefix string) [][]string {
	var out [][]string
	for _, s := range g.Steps {
		c, ok := s.(*runbook.Command)
		if !ok || !strings.HasPrefix(c.Text, prefix) {
			continue
		}
		var ps []string
		for _, a := range c.Answers {
			if a.Kind == runbook.Hidden {
				ps = append(ps, a.Param)
			}
		}
		out = append(out, ps)
	}
	return out
}

func TestBindSynapse(t *testing.T) {
	g := synapse(t)
	ps := Detect(g)
	cases := map[string][]string{
		"createuser synapse -P":    {"my-super-secure-password", "my-super-secure-password"},
		"psql --user synapse":      {"my-super-secure-password"},
		"createuser syncv3 -P":     {"psql-password", "psql-password"},
		"register_new_matrix_user": {"password:register_new_matrix_user", "password:register_new_matrix_user"},
		"hash_password":            {"password:hash_password", "password:hash_password"},
	}
	for prefix, want := range cases {
		got := hidden(g, prefix)
		if len(got) != 1 || !slices.Equal(got[0], want) {
			t.Errorf("%s: hidden answers bound to %v, want %v", prefix, got, want)
		}
	}
	for _, name := range []string{"password:register_new_matrix_user", "password:hash_password"} {
		p := byName(t, ps, name)
		if !p.Secret || p.Kind != runbook.ParamSecret || p.Example != "" || len(p.Uses) != 1 {
			t.Errorf("%s = %+v", name, p)
		}
	}
}

func TestSet(t *testing.T) {
	ps := Detect(synapse(t))
	if err := Set(ps, "example.org", "alice.dev"); err != nil {
		t.Fatal(err)
	}
	if v := byName(t, ps, "domain:matrix").Value; v != "matrix.alice.dev" {
		t.Errorf("matrix.example.org follows the domain as %q", v)
	}
	if err := Set(ps, "syncv3.example.org", "sync.other.net"); err != nil {
		t.Fatal(err)
	}
	if err := Set(ps, "domain", "bob.dev"); err != nil {
		t.Fatal(err)
	}
	if v := byName(t, ps, "domain:matrix").Value; v != "matrix.bob.dev" {
		t.Errorf("domain:matrix = %q after a second domain change", v)
	}
	if v := byName(t, ps, "domain:syncv3").Value; v != "sync.other.net" {
		t.Errorf("an explicitly set subdomain moved with the domain: %q", v)
	}
	if err := Set(ps, "psql-password", "pw1"); err != nil || byName(t, ps, "psql-password").Value != "pw1" {
		t.Errorf("set secret by name: %v", err)
	}
	err := Set(ps, "nonesuch", "x")
	if err == nil || !strings.Contains(err.Error(), "nonesuch") || !strings.Contains(err.Error(), "user (isabell)") ||
		!strings.Contains(err.Error(), "domain:matrix (matrix.example.org)") {
		t.Errorf("unknown key error = %v", err)
	}
	// the user domain follows the user
	ud := []runbook.Param{
		{Name: "user", Example: "isabell", Value: "isabell"},
		{Name: "userdomain", Example: "isabell.uber.space", Value: "isabell.uber.space", Derived: "user"},
		{Name: "userdomain:www", Example: "www.isabell.uber.space", Value: "www.isabell.uber.space", Derived: "userdomain"},
	}
	if err := Set(ud, "isabell", "alice"); err != nil {
		t.Fatal(err)
	}
	if ud[1].Value != "alice.uber.space" || ud[2].Value != "www.alice.uber.space" {
		t.Errorf("user domain chain: %q, %q", ud[1].Value, ud[2].Value)
	}
}

func TestApplySynapse(t *testing.T) {
	g := synapse(t)
	g.Params = Detect(g)
	before := dumpGuide(g)
	ps := slices.Clone(g.Params)
	for k, v := range map[string]string{
		"user": "alice", "domain": "alice.dev", "my-super-secure-password": "Db-Pw-1234",
		"psql-password": "Sync-Pw-5678", "password:register_new_matrix_user": "Matrix-Pw-9012",
	} {
		if err := Set(ps, k, v); err != nil {
			t.Fatal(err)
		}
	}
	a := Apply(g, ps)
	if dumpGuide(g) != before {
		t.Fatal("Apply changed the guide it was given")
	}
	got := dumpGuide(a)
	for _, s := range []string{"isabell", "example.org", "<my super secure password>", "MySuperSecretPSQLPassword"} {
		if strings.Contains(got, s) {
			t.Errorf("applied guide still holds %q", s)
		}
	}
	for _, s := range []string{"[alice@stardust ~]$", "https://matrix.alice.dev", "/home/alice/tmp", "password: \"Db-Pw-1234\"",
		"password='Sync-Pw-5678'", "New user localpart [alice]:", "hidden Enter password for new role: = Db-Pw-1234",
		"hidden Password: = Matrix-Pw-9012", "hidden Password for user synapse: = Db-Pw-1234", "synapse: available", "syncv3: available"} {
		if !strings.Contains(got, s) {
			t.Errorf("applied guide lacks %q", s)
		}
	}
	if strings.Contains(got, "SERVICE") {
		t.Error("SERVICE was not bound to the supervisord program")
	}
	// Redact on everything the applied guide holds leaves no secret.
	r := runbook.NewReplacer(ps)
	red := r.Redact(got)
	for _, p := range ps {
		if p.Secret && p.Value != "" && strings.Contains(red, p.Value) {
			t.Errorf("secret %s survives Redact", p.Name)
		}
	}
	// Reverse brings real output back to the guide's examples.
	if rv := r.Reverse("[alice@stardust ~]$ curl https://matrix.alice.dev"); rv != "[isabell@stardust ~]$ curl https://matrix.example.org" {
		t.Errorf("Reverse = %q", rv)
	}
}

// dumpGuide renders the parts of a guide that Apply touches.
func dumpGuide(g *runbook.Guide) string {
	var b strings.Builder
	for _, s := range g.Steps {
		switch s := s.(type) {
		case *runbook.Command:
			b.WriteString("[" + s.Prompt.User + "@" + s.Prompt.Host + " " + s.Prompt.Dir + "]$ " + s.Text + "\n")
			for _, l := range s.Expect {
				b.WriteString(l + "\n")
			}
			for _, a := range s.Answers {
				b.WriteString(a.Kind.String() + " " + a.Prompt + " = " + a.Text + "\n")
			}
			if c := s.Closing; c != nil {
				b.WriteString("closing [" + c.User + "@" + c.Host + " " + c.Dir + "]$ at " + c.Pos.String() + "\n")
			}
		case *runbook.File:
			b.WriteString("file " + s.Path + "\n" + s.Content)
		case *runbook.Manual:
			b.WriteString("manual " + s.Path + "\n" + s.Content)
		}
	}
	return b.String()
}

func TestPlaceholders(t *testing.T) {
	g := &runbook.Guide{Name: "g.rst", Steps: []runbook.Step{
		&runbook.File{Header: runbook.Header{Pos: runbook.Pos{File: "g.rst", Line: 3}}, Path: "~/html/index.html",
			Content: "<html><body><div>x</div><custom>y</custom></body></html>\n<IfModule mod_rewrite.c>\n</IfModule>\n"},
		&runbook.Command{Header: runbook.Header{Pos: runbook.Pos{File: "g.rst", Line: 10}},
			Text:   "mysql -u <username> -p<mysql_password> <database name> < dump.sql > out.txt",
			Expect: []string{"connected to <database name>"}, ExpectLine: 11},
	}}
	ps := Detect(g)
	got := map[string]runbook.Param{}
	for _, p := range ps {
		got[p.Name] = p
	}
	if len(got) != 3 {
		t.Fatalf("params %v, want username, mysql_password, database-name", names(ps))
	}
	if p := got["database-name"]; p.Example != "<database name>" || p.Secret || len(p.Uses) != 2 || p.Uses[1].Line != 11 {
		t.Errorf("database-name = %+v", p)
	}
	if p := got["mysql_password"]; !p.Secret || p.Value != "" {
		t.Errorf("mysql_password = %+v", p)
	}
}

func TestSecretName(t *testing.T) {
	for in, want := range map[string]string{
		"MySuperSecret": "secret", "MySuperSecretPSQLPassword": "psql-password",
		"MySuperSecretPassword": "password", "SuperSecretDBPassword": "db-password", "MySuperSecret_token": "token",
	} {
		if got := secretName(in); got != want {
			t.Errorf("secretName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLabGuides detects params in every lab guide: no panic, the user
// wherever isabell occurs, every hidden answer bound to a secret param.
func TestLabGuides(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "lab")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("lab guides not present: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.rst"))
	bound := 0
	for _, f := range files {
		g := readGuide(t, f)
		ps := Detect(g)
		src, _ := os.ReadFile(f)
		known := map[string]runbook.Param{}
		for _, p := range ps {
			if _, dup := known[p.Name]; dup {
				t.Errorf("%s: two params named %s", f, p.Name)
			}
			known[p.Name] = p
		}
		if strings.Contains(string(src), "[isabell@stardust") && known["user"].Example != "isabell" {
			t.Errorf("%s: no user param", f)
		}
		for _, s := range g.Steps {
			c, ok := s.(*runbook.Command)
			if !ok {
				continue
			}
			for _, a := range c.Answers {
				if a.Kind != runbook.Hidden {
					continue
				}
				if p, ok := known[a.Param]; !ok || !p.Secret {
					t.Errorf("%s: hidden answer %q bound to %q", c.Pos, a.Prompt, a.Param)
				}
				bound++
			}
		}
	}
	if bound < 20 {
		t.Errorf("only %d hidden answers bound in the lab", bound)
	}
}

func BenchmarkDetectSynapse(b *testing.B) {
	g := readGuide(b, filepath.Join("..", "..", "guides", "synapse.rst"))
	b.ReportAllocs()
	for b.Loop() {
		Detect(g)
	}
}

func BenchmarkApplySynapse(b *testing.B) {
	g := readGuide(b, filepath.Join("..", "..", "guides", "synapse.rst"))
	ps := Detect(g)
	if err := Set(ps, "domain", "alice.dev"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Apply(g, ps)
	}
}

func TestDomainsIn(t *testing.T) {
	cases := map[string][]string{
		"https://matrix.example.org/x and example.org.": {"matrix.example.org", "example.org"},
		"a.b.example.org:443":                           {"a.b.example.org"},
		"xexample.org example.org_x my-example.org":     {"example.org"},
		"admin@example.org .example.org a..example.org": {"example.org", "example.org", "example.org"},
		"no domain here":                                nil,
	}
	for in, want := range cases {
		if got := domainsIn(in, "example.org"); !slices.Equal(got, want) {
			t.Errorf("domainsIn(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBindOnlySecretOfGuide: a hidden prompt in a section with no secret of
// its own takes the guide's only documented secret, as issue 3 asks.
func TestBindOnlySecretOfGuide(t *testing.T) {
	file := &runbook.File{Header: runbook.Header{ID: 1, Pos: runbook.Pos{File: "g.rst", Line: 5}, Section: []string{"G", "Config"}},
		Path: "~/app.yaml", Mode: runbook.Create, Format: "yaml", Content: "db:\n  password: \"MySuperSecretPassword\"\n"}
	cmd := &runbook.Command{Header: runbook.Header{ID: 2, Pos: runbook.Pos{File: "g.rst", Line: 20}, Section: []string{"G", "Login"}},
		Text: "app-login", Expect: []string{"Enter the password from above:"},
		Answers: []runbook.Answer{{Kind: runbook.Hidden, Prompt: "Enter the password from above:"}}}
	g := &runbook.Guide{Name: "g.rst", Steps: []runbook.Step{file, cmd}}
	ps := Detect(g)
	secret := ""
	for _, p := range ps {
		if p.Secret && p.Example == "MySuperSecretPassword" {
			secret = p.Name
		}
	}
	if secret == "" {
		t.Fatalf("the documented secret was not detected: %v", names(ps))
	}
	if got := cmd.Answers[0].Param; got != secret {
		t.Errorf("hidden answer bound to %q, want the guide's only secret %q", got, secret)
	}
	// With a second documented secret the guide has no "only" one: a new param.
	file.Content += "other: MySuperSecretToken\n"
	cmd.Answers[0].Param = ""
	Detect(g)
	if got := cmd.Answers[0].Param; got == secret || got == "" {
		t.Errorf("with two secrets, hidden answer bound to %q; want a new param of its own", got)
	}
}
