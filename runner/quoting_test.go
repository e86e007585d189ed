package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/pgtest"
	"github.com/runbookdev/runbook/internal/quote"
)

// hostileSecret has what breaks a value pasted raw: a double quote and a
// backslash sequence (yaml "…" would end early and read \t as a tab), a
// single quote, $ and % (shell and supervisord expansion), and a space.
const hostileSecret = `ab"c\td'e$f%g h`

// TestFixturePostgresHostileSecret runs fixtures/postgres.rst with a
// secret that breaks raw pasting: the yaml written parses and holds exactly
// the secret, createuser got exactly the secret (the role logs in with it
// and not with the yaml's raw reading), and neither the secret nor any
// escaped form of it shows in the results, events, state, recording, live
// output, or a dry run's file diff.
func TestFixturePostgresHostileSecret(t *testing.T) {
	opts, home, srv := postgresOptions(t)
	var rec, live strings.Builder
	var events []string
	opts.Record, opts.Output = &rec, &live
	opts.StatePath = filepath.Join(t.TempDir(), "state.json")
	opts.Progress = func(e Event) { events = append(events, fmt.Sprintf("%s %+v", jsonOf(e.Step), e.Result)) }
	g, r := loadGuide(t, fixturesDir, "postgres.rst", map[string]string{"my-super-secure-password": hostileSecret})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	dry := opts
	dry.DryRun, dry.StatePath, dry.Record, dry.Output = true, "", nil, nil
	dryRep, err := Run(ctx, g, r, dry)
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	rep, err := Run(ctx, g, r, opts)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, describe(rep))
	}
	expectVerdicts(t, rep, nil)

	written := yamlPassword(t, filepath.Join(home, "runbook-fixtures/postgres/database.yaml"))
	if written != hostileSecret {
		t.Errorf("database.yaml holds password %q, want %q", written, hostileSecret)
	}
	checkPostgresServer(t, ctx, srv, hostileSecret)

	state, err := os.ReadFile(opts.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	dryText := describe(dryRep) + jsonOf(dryRep.Results)
	if !strings.Contains(dryText, "password:") {
		t.Errorf("the dry run shows no diff of database.yaml:\n%s", dryText)
	}
	forms := append([]string{hostileSecret}, quote.Forms(hostileSecret)...)
	for what, text := range map[string]string{
		"results": describe(rep) + jsonOf(rep.Results), "events": strings.Join(events, "\n"),
		"state": string(state), "recording": rec.String(), "live output": live.String(), "dry run": dryText,
	} {
		for _, f := range forms {
			if strings.Contains(text, f) {
				t.Errorf("the secret leaked into the %s as %q", what, f)
			}
		}
		// Parts around the quotes, as they would show if masking missed a form.
		for _, part := range []string{`ab"c`, `d'e$f`, `c\td`, `e$f%g`} {
			if strings.Contains(text, part) {
				t.Errorf("part %q of the secret leaked into the %s", part, what)
			}
		}
	}
}

// TestHostileSecretApplied checks what reaches the shell and the file for
// the hostile secret: yaml escapes in the file, and no command of the
// fixture holds it raw (it is typed only at the hidden prompts).
func TestHostileSecretApplied(t *testing.T) {
	g, _ := loadGuide(t, fixturesDir, "postgres.rst", map[string]string{"my-super-secure-password": hostileSecret})
	var content string
	for _, st := range g.Steps {
		switch s := st.(type) {
		case *runbook.File:
			content += s.Content
		case *runbook.Command:
			for _, a := range s.Answers {
				if a.Kind == runbook.Hidden && a.Text != hostileSecret {
					t.Errorf("%s: hidden answer %q, want the secret as it is", s.Pos, a.Text)
				}
			}
		}
	}
	if want := `password: "ab\"c\\td'e$f%g h"`; !strings.Contains(content, want) {
		t.Errorf("database.yaml content lacks %s:\n%s", want, content)
	}
}

// quotedGuide types the secret in every bash quoting; the documented output
// is the secret three times.
const quotedGuide = `Quoting
=======

::

 [isabell@stardust ~]$ printf '%s\n' '<my super secure password>' "<my super secure password>" <my super secure password>
 <my super secure password>
 <my super secure password>
 <my super secure password>
 [isabell@stardust ~]$
`

// TestHostileSecretInCommand runs a command that holds the hostile secret
// in '…', "…" and as a bare word: bash passes it exactly (the output,
// turned back into the example, matches the guide), and the typed command,
// echoed with the secret escaped three ways, shows masked in the recording
// and the live output.
func TestHostileSecretInCommand(t *testing.T) {
	requireTools(t, "bash")
	opts, _ := sandboxOptions(t)
	var rec, live strings.Builder
	opts.Record, opts.Output = &rec, &live
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "quoted.rst"), []byte(quotedGuide), 0o644); err != nil {
		t.Fatal(err)
	}
	g, r := loadGuide(t, dir, "quoted.rst", map[string]string{"my-super-secure-password": hostileSecret})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := Run(ctx, g, r, opts)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, describe(rep))
	}
	expectVerdicts(t, rep, nil)
	if !strings.Contains(live.String(), "printf") || !strings.Contains(live.String(), runbook.Mask) {
		t.Errorf("the live output does not show the masked command:\n%s", live.String())
	}
	for what, text := range map[string]string{"results": describe(rep) + jsonOf(rep.Results), "recording": rec.String(), "live output": live.String()} {
		for _, part := range []string{`ab"c`, `ab\"c`, `d'e$f`, `d'\''e`, `c\td`, `c\\td`, `e$f%g`, `e\$f`} {
			if strings.Contains(text, part) {
				t.Errorf("part %q of the secret leaked into the %s:\n%s", part, what, text)
			}
		}
	}
}

// conninfoGuide connects with the secret inside a PostgreSQL connection
// string inside a shell string, quoted and bare, as synapse.rst's SYNCV3_DB.
const conninfoGuide = `Connection strings
==================

::

 [isabell@stardust ~]$ psql "user=synapse dbname=synapse password='<my super secure password>'" --tuples-only --no-align --command="SELECT current_user"
 synapse
 [isabell@stardust ~]$ psql "dbname=synapse user=synapse password=<my super secure password>" --tuples-only --no-align --command="SELECT 2"
 2
 [isabell@stardust ~]$
`

// TestHostileSecretInConnectionString logs in through libpq with the
// hostile secret written into a connection string in a bash "…" string,
// quoted and bare: both need libpq's escapes under the shell's.
func TestHostileSecretInConnectionString(t *testing.T) {
	opts, _, srv := postgresOptions(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	create := "CREATE ROLE synapse LOGIN PASSWORD '" + strings.ReplaceAll(hostileSecret, "'", "''") + "'"
	for _, sql := range []string{create, "CREATE DATABASE synapse OWNER synapse"} {
		if _, err := srv.Psql(ctx, nil, "-d", "postgres", "-c", sql); err != nil {
			t.Fatal(err)
		}
	}
	checkPostgresServerLogin(t, ctx, srv)
	var rec strings.Builder
	opts.Record = &rec
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "conninfo.rst"), []byte(conninfoGuide), 0o644); err != nil {
		t.Fatal(err)
	}
	g, r := loadGuide(t, dir, "conninfo.rst", map[string]string{"my-super-secure-password": hostileSecret})
	rep, err := Run(ctx, g, r, opts)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, describe(rep))
	}
	expectVerdicts(t, rep, nil)
	for what, text := range map[string]string{"results": describe(rep) + jsonOf(rep.Results), "recording": rec.String()} {
		for _, part := range []string{`ab"c`, `ab\"c`, `d'e$f`, `d\'e`, `e$f%g`, `e\$f`} {
			if strings.Contains(text, part) {
				t.Errorf("part %q of the secret leaked into the %s", part, what)
			}
		}
	}
}

// checkPostgresServerLogin makes sure the server checks passwords, so the
// guide's logins prove the secret arrived intact.
func checkPostgresServerLogin(t *testing.T, ctx context.Context, srv *pgtest.Server) {
	t.Helper()
	as := func(pw string) error {
		_, err := srv.Psql(ctx, []string{"PGPASSWORD=" + pw}, "-U", "synapse", "-d", "synapse", "-c", "SELECT 1")
		return err
	}
	if err := as(hostileSecret); err != nil {
		t.Fatalf("the role does not log in with its password: %v", err)
	}
	if err := as(hostileSecret + "x"); err == nil {
		t.Fatal("a wrong password was not refused (is the server checking passwords?)")
	}
}
