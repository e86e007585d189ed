package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/pgtest"
	"github.com/runbookdev/runbook/verifier/report"
)

// pgSecret is the role's password in TestFixturePostgres: spaces and shell
// characters, so that a value typed or written with the wrong quoting shows.
const pgSecret = "pg Secret-$HOME&9'q"

// postgresOptions starts a real PostgreSQL server with its socket in ~/tmp,
// as on Uberspace, and points the guide's shell at it: PGHOST, PGUSER (the
// superuser, isabell) and the server's own client programs first on PATH.
func postgresOptions(t *testing.T) (Options, string, *pgtest.Server) {
	t.Helper()
	requireTools(t, "bash")
	opts, home := sandboxOptions(t)
	srv := pgtest.Start(t, pgtest.Options{Superuser: "isabell", SocketDir: filepath.Join(home, "tmp")})
	path := lookupEnv(opts.Env, "PATH")
	opts.Env = append(opts.Env, srv.Env()...)
	// No pager: on a long result it would wait for a key, as no guide shows.
	opts.Env = append(opts.Env, "PATH="+srv.BinDir+string(os.PathListSeparator)+path, "PSQL_PAGER=", "PAGER=cat")
	return opts, home, srv
}

// TestFixturePostgres runs fixtures/postgres.rst against a real server: the
// password typed (hidden, twice) at createuser -P is the one written into the
// yaml file, and the one the server accepts when psql asks for it; the psql
// session's typed SQL really ran; the password shows nowhere.
func TestFixturePostgres(t *testing.T) {
	opts, home, srv := postgresOptions(t)
	var rec, live strings.Builder
	var events []string
	opts.Record, opts.Output = &rec, &live
	opts.StatePath = filepath.Join(t.TempDir(), "state.json")
	opts.Progress = func(e Event) { events = append(events, fmt.Sprintf("%s %+v", jsonOf(e.Step), e.Result)) }

	g, r := loadGuide(t, fixturesDir, "postgres.rst", map[string]string{"my-super-secure-password": pgSecret})
	checkPostgresBinding(t, g)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := Run(ctx, g, r, opts)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, describe(rep))
	}
	expectVerdicts(t, rep, nil)
	if n := len(rep.Results); n != 5 {
		t.Errorf("%d steps, want 5", n)
	}

	written := yamlPassword(t, filepath.Join(home, "runbook-fixtures/postgres/database.yaml"))
	if written != pgSecret {
		t.Errorf("database.yaml holds password %q, want the secret", written)
	}
	checkPostgresServer(t, ctx, srv, written)

	state, err := os.ReadFile(opts.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{
		"results": describe(rep) + jsonOf(rep.Results), "events": strings.Join(events, "\n"),
		"state": string(state), "recording": rec.String(), "live output": live.String(),
	} {
		if strings.Contains(text, pgSecret) {
			t.Errorf("the secret leaked into the %s", what)
		}
	}
	if !strings.Contains(live.String(), "UPDATE 1") {
		t.Errorf("the live output does not show psql's UPDATE 1:\n%q", live.String())
	}
}

// checkPostgresBinding checks that every hidden answer of the guide (both of
// createuser -P's, and psql's "Password for user synapse:") gets the secret
// the yaml file is written with.
func checkPostgresBinding(t *testing.T, g *runbook.Guide) {
	t.Helper()
	var prompts []string
	for _, st := range g.Steps {
		c, ok := st.(*runbook.Command)
		if !ok {
			continue
		}
		for _, a := range c.Answers {
			if a.Kind == runbook.Hidden {
				prompts = append(prompts, a.Prompt)
				if a.Param != "my-super-secure-password" {
					t.Errorf("%s: %q is bound to %q, want my-super-secure-password", c.Pos, a.Prompt, a.Param)
				}
			}
		}
	}
	if want := "Enter password for new role:|Enter it again:|Password for user synapse:"; strings.Join(prompts, "|") != want {
		t.Errorf("hidden prompts %q, want %q", strings.Join(prompts, "|"), want)
	}
}

// yamlPassword reads database.args.password from the file the guide wrote.
func yamlPassword(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Database struct {
			Args struct {
				User, Password, Database string
			}
		}
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if a := doc.Database.Args; a.User != "synapse" || a.Database != "synapse" {
		t.Errorf("%s: user %q, database %q", name, a.User, a.Database)
	}
	return doc.Database.Args.Password
}

// checkPostgresServer asks the server, outside runbook, what the guide did:
// the role, the database it owns, the row the psql session updated, and the
// password in the yaml file being the role's (a wrong one is refused).
func checkPostgresServer(t *testing.T, ctx context.Context, srv *pgtest.Server, password string) {
	t.Helper()
	for query, want := range map[string]string{
		"SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = 'synapse'":                                                           "t|f",
		"SELECT pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = 'synapse'": "synapse|UTF8|C|C",
		"SELECT name || ' ' || password_hash FROM users":                                                                                 "@isabell:example.org $2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02",
		"SELECT tableowner FROM pg_tables WHERE tablename = 'users'":                                                                     "synapse",
	} {
		got, err := srv.Psql(ctx, nil, "-d", "synapse", "-c", query)
		if err != nil || got != want {
			t.Errorf("%s\n= %q, %v; want %q", query, got, err, want)
		}
	}
	as := func(pw string) (string, error) {
		return srv.Psql(ctx, []string{"PGPASSWORD=" + pw}, "-U", "synapse", "-d", "synapse", "-c", "SELECT current_user")
	}
	if got, err := as(password); err != nil || got != "synapse" {
		t.Errorf("the yaml file's password does not log in as synapse: %q, %v", got, err)
	}
	if _, err := as(password + "x"); err == nil || !strings.Contains(err.Error(), "password authentication failed") {
		t.Errorf("a wrong password was not refused (is the server checking passwords?): %v", err)
	}
}

// TestSynapseGuidePostgresBinding checks the consistency rule on the guide
// the project was made for: each role's hidden prompts (createuser -P, and
// psql's "Password for user ...:") get the secret the guide writes for that
// role: homeserver.yaml's for synapse, the SYNCV3_DB string's for syncv3.
func TestSynapseGuidePostgresBinding(t *testing.T) {
	g, _ := loadGuide(t, "../guides", "synapse.rst", nil)
	got := map[string]string{}
	for _, st := range g.Steps {
		c, ok := st.(*runbook.Command)
		if !ok {
			continue
		}
		for _, a := range c.Answers {
			if a.Kind == runbook.Hidden && (strings.HasPrefix(c.Text, "createuser") || strings.HasPrefix(c.Text, "psql")) {
				got[c.Text+" | "+a.Prompt] = a.Param
			}
		}
	}
	want := map[string]string{
		"createuser synapse -P | Enter password for new role:": "my-super-secure-password",
		"createuser synapse -P | Enter it again:":              "my-super-secure-password",
		"psql --user synapse | Password for user synapse:":     "my-super-secure-password",
		"createuser syncv3 -P | Enter password for new role:":  "psql-password",
		"createuser syncv3 -P | Enter it again:":               "psql-password",
		// "You can verify access with:" shows no prompt; the role's secret is unasked for.
		"psql synapse synapse | Password for user synapse:": "my-super-secure-password",
		"psql syncv3 syncv3 | Password for user syncv3:":    "psql-password",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: bound to %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("hidden PostgreSQL prompts %v, want %v", got, want)
	}
}

// synapseSteps keeps the guide's steps at the given lines of synapse.rst.
func synapseSteps(t *testing.T, g *runbook.Guide, lines ...int) *runbook.Guide {
	t.Helper()
	sub := *g
	sub.Steps = nil
	for _, line := range lines {
		for _, st := range g.Steps {
			if p := st.Head().Pos; p.Line == line && strings.HasSuffix(p.File, "synapse.rst") {
				sub.Steps = append(sub.Steps, st)
			}
		}
	}
	if len(sub.Steps) != len(lines) {
		t.Fatalf("found %d of the steps at lines %v", len(sub.Steps), lines)
	}
	return &sub
}

// TestSynapseGuidePostgres runs the PostgreSQL steps of guides/synapse.rst
// itself against a real server, in two runs as a reader would meet them:
// the synapse role, database and homeserver.yaml; then, once Synapse has
// made its users table (the test makes it), the password reset in psql
// and the sliding-sync role. What the guide gets wrong is asserted too.
func TestSynapseGuidePostgres(t *testing.T) {
	const dbSecret, syncSecret = "db Secret-&$9'q", "sync-Secret-7f3a"
	opts, home, srv := postgresOptions(t)
	opts.KeepGoing = true
	var rec strings.Builder
	opts.Record = &rec
	g, r := loadGuide(t, "../guides", "synapse.rst", map[string]string{
		"my-super-secure-password": dbSecret, "psql-password": syncSecret})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	synapseDatabase(t, ctx, g, r, opts, home, dbSecret)
	// Synapse would now make its tables; the test makes the one the guide updates.
	for _, sql := range []string{
		"CREATE TABLE users (name text PRIMARY KEY, password_hash text)",
		"INSERT INTO users VALUES ('@isabell:example.org', 'old')",
	} {
		if _, err := srv.Psql(ctx, []string{"PGPASSWORD=" + dbSecret}, "-U", "synapse", "-d", "synapse", "-c", sql); err != nil {
			t.Fatal(err)
		}
	}
	rep := synapseResetAndSyncv3(t, ctx, g, r, opts, srv)

	for role, pw := range map[string]string{"synapse": dbSecret, "syncv3": syncSecret} {
		if got, err := srv.Psql(ctx, []string{"PGPASSWORD=" + pw}, "-U", role, "-d", role, "-c", "SELECT current_user"); err != nil || got != role {
			t.Errorf("%s cannot log in with its secret: %q, %v", role, got, err)
		}
	}
	if !strings.Contains(synapseSteps(t, g, 466).Steps[0].(*runbook.Command).Text, "password='"+syncSecret+"'") {
		t.Errorf("the SYNCV3_DB string does not carry the secret typed at createuser syncv3 -P")
	}
	for what, text := range map[string]string{"results": describe(rep) + jsonOf(rep.Results), "recording": rec.String()} {
		if strings.Contains(text, dbSecret) || strings.Contains(text, syncSecret) {
			t.Errorf("a secret leaked into the %s", what)
		}
	}
}

// synapseDatabase runs createuser, createdb, "psql synapse synapse" and the
// database block merged into a homeserver.yaml as Synapse generates it.
func synapseDatabase(t *testing.T, ctx context.Context, g *runbook.Guide, r *runbook.Replacer, opts Options, home, secret string) {
	t.Helper()
	config := filepath.Join(home, "synapse/homeserver.yaml")
	generated := "# generated by synapse\nserver_name: \"example.org\"\ndatabase:\n  name: sqlite3\n  args:\n    database: /home/isabell/synapse/homeserver.db\n"
	if err := os.MkdirAll(filepath.Dir(config), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, []byte(generated), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, synapseSteps(t, g, 224, 227, 240, 248), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	// "You can verify access with: psql synapse synapse" shows no password
	// prompt and no way out of psql: runbook types the role's secret and
	// ^D, as a reader would, and says so; access is verified for real.
	expectVerdicts(t, rep, map[string]runbook.Verdict{"synapse.rst:240": runbook.OK})
	expectUnasked(t, resultAt(t, rep, "synapse.rst:240").Outcome, "synapse", "my-super-secure-password")
	if got := yamlPassword(t, config); got != secret {
		t.Errorf("homeserver.yaml holds password %q, want the secret typed at createuser -P", got)
	}
	if data, _ := os.ReadFile(config); !strings.Contains(string(data), "# generated by synapse") ||
		!strings.Contains(string(data), `server_name: "example.org"`) {
		t.Errorf("the merge lost what it did not touch:\n%s", data)
	}
}

// synapseResetAndSyncv3 runs the password reset in psql and the
// sliding-sync role and database, and checks the row psql updated.
func synapseResetAndSyncv3(t *testing.T, ctx context.Context, g *runbook.Guide, r *runbook.Replacer, opts Options, srv *pgtest.Server) report.Report {
	t.Helper()
	opts.Sections = []string{"Password reset"} // maintenance: not run by default
	rep, err := Run(ctx, synapseSteps(t, g, 366, 439, 442, 449), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	reset := "synapse.rst:366"
	expectVerdicts(t, rep, map[string]runbook.Verdict{reset: runbook.Drift, "synapse.rst:449": runbook.OK})
	expectUnasked(t, resultAt(t, rep, "synapse.rst:449").Outcome, "syncv3", "psql-password")
	// The only drift is the banner of a psql older than any Uberspace has now.
	if d := resultAt(t, rep, reset).Diff; !strings.Contains(d, "-psql (9.6.10)") || !strings.Contains(d, "+psql (") ||
		strings.Count(d, "\n-") != 1 || strings.Count(d, "\n+") != 1 {
		t.Errorf("%s: the diff is not only the banner:\n%s", reset, d)
	}
	got, err := srv.Psql(ctx, nil, "-d", "synapse", "-c", "SELECT password_hash FROM users WHERE name = '@isabell:example.org'")
	if want := "$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02"; err != nil || got != want {
		t.Errorf("the psql session did not update the hash: %q, %v", got, err)
	}
	return rep
}

// expectUnasked checks that psql connected as role after runbook typed the
// role's secret at a prompt the guide does not show, and ended it with ^D.
func expectUnasked(t *testing.T, o *runbook.Outcome, role, secret string) {
	t.Helper()
	notes := []string{
		`the guide does not show the prompt "Password for user ` + role + `:"; typed the secret ` + secret + ` there`,
		`the guide leaves the program at its prompt "` + role + `=>"; ended it with ^D`,
	}
	if o == nil || o.Err != nil || o.Exit != 0 || !slices.Equal(o.Notes, notes) ||
		!strings.Contains(o.Output, "Type \"help\" for help.") || strings.Contains(o.Output, "authentication failed") {
		t.Errorf("psql %s %s: %+v", role, role, o)
	}
}
