package params

import (
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Guides often show a database client without its password prompt ("You
// can verify access with: psql synapse synapse"): the author's shell had
// the password stored, or the author left the prompt out. A reader types
// the password the role was given and leaves the client with ^D; runbook
// does the same, with answers marked Unasked, so the step is judged on
// what the client does instead of hanging at a prompt nobody answers.

// pgClients are the PostgreSQL programs that ask "Password for user R:"
// when the server wants one; psql alone opens an interactive prompt.
var pgClients = map[string]bool{"psql": true, "pg_dump": true, "pg_dumpall": true, "pg_restore": true,
	"createdb": true, "dropdb": true, "vacuumdb": true, "reindexdb": true, "clusterdb": true}

// psqlArgOptions are the short options of the PostgreSQL clients that take
// a separate argument ("-h localhost"), so that argument is no database.
const psqlArgOptions = "cdfhpUvoLFRPT"

// pgCall is what a client's command line says about the connection.
type pgCall struct {
	prog, db, role string
	interactive    bool // psql reading its commands from the terminal
}

// addUnasked gives each PostgreSQL client command that names a role whose
// secret the guide knows, and documents no hidden answer, the password
// prompt it will show; a psql left at its prompt also gets ^D there.
func addUnasked(g *runbook.Guide, d *detector) {
	for i, st := range g.Steps {
		c, ok := st.(*runbook.Command)
		if !ok || hasHiddenOrUnasked(c) {
			continue
		}
		call, ok := parsePGCall(c.Text)
		if !ok || call.role == "" || call.role == d.user {
			continue
		}
		secret := d.roleSecret(g, i, call.role)
		if secret == "" {
			continue
		}
		extra := []runbook.Answer{{Kind: runbook.Hidden, Prompt: "Password for user " + call.role + ":",
			Param: secret, Line: -1, Unasked: true}}
		if call.interactive && !hasInput(c) {
			extra = append(extra, runbook.Answer{Kind: runbook.EndInput, Prompt: call.db + "=>", Line: -1, Unasked: true})
		}
		c.Answers = append(extra, c.Answers...)
	}
}

// hasHiddenOrUnasked reports whether c documents a hidden answer already,
// or was given unasked ones by an earlier detection of the same guide.
func hasHiddenOrUnasked(c *runbook.Command) bool {
	for _, a := range c.Answers {
		if a.Kind == runbook.Hidden || a.Unasked {
			return true
		}
	}
	return false
}

// hasInput reports whether the transcript types into the program's prompt.
func hasInput(c *runbook.Command) bool {
	for _, a := range c.Answers {
		if a.Kind == runbook.Input || a.Kind == runbook.EndInput {
			return true
		}
	}
	return false
}

// roleSecret is the secret typed for role when an earlier command created
// it ("createuser synapse -P"), else the secret written beside its name.
func (d *detector) roleSecret(g *runbook.Guide, before int, role string) string {
	for _, st := range g.Steps[:before] {
		c, ok := st.(*runbook.Command)
		if !ok {
			continue
		}
		if _, r := programAndRole(c.Text); r != role {
			continue
		}
		for _, a := range c.Answers {
			if a.Kind == runbook.Hidden && a.Param != "" && !a.Unasked {
				return a.Param
			}
		}
	}
	return d.secretBeside(g, role)
}

// parsePGCall reads a one-line PostgreSQL client call: "psql DB ROLE",
// "psql -U ROLE -d DB", "pg_dump --username=ROLE DB". Input from a pipe,
// a redirection or -c/-f makes psql non-interactive.
func parsePGCall(text string) (pgCall, bool) {
	if strings.Contains(strings.TrimRight(text, "\n"), "\n") && !strings.Contains(text, "\\\n") {
		return pgCall{}, false // a script or a heredoc: not one client call
	}
	f := strings.Fields(strings.ReplaceAll(text, "\\\n", " "))
	for len(f) > 0 && strings.Contains(f[0], "=") {
		f = f[1:] // PGPASSWORD=… psql …
	}
	if len(f) == 0 || !pgClients[path.Base(f[0])] {
		return pgCall{}, false
	}
	call := pgCall{prog: path.Base(f[0])}
	call.interactive = call.prog == "psql"
	var pos []string
	for k := 1; k < len(f); k++ {
		w := strings.Trim(f[k], `"'`)
		if strings.ContainsAny(w, "|<>;&") || strings.HasPrefix(w, "$(") {
			call.interactive = false
			break
		}
		k = call.option(f, k, w, &pos)
	}
	call.positional(pos)
	if call.db == "" {
		call.db = call.role
	}
	return call, true
}

// option reads the word at f[k] (w, unquoted) and returns the index of the
// last word it used; a plain word goes to pos.
func (c *pgCall) option(f []string, k int, w string, pos *[]string) int {
	next := func() string {
		if k+1 < len(f) {
			k++
			return strings.Trim(f[k], `"'`)
		}
		return ""
	}
	name, val, hasVal := strings.Cut(w, "=")
	switch {
	case name == "-U" || name == "--username" || name == "--user":
		if !hasVal {
			val = next()
		}
		c.role = val
	case name == "-d" || name == "--dbname":
		if !hasVal {
			val = next()
		}
		c.db = val
	case name == "-c" || name == "-f" || name == "-l" || name == "--command" || name == "--file" || name == "--list":
		c.interactive = false
		if !hasVal && name != "-l" && name != "--list" {
			next()
		}
	case strings.HasPrefix(w, "--"):
		// a long option; one with a separate argument is rare in guides
	case strings.HasPrefix(w, "-U") && len(w) > 2:
		c.role = w[2:]
	case strings.HasPrefix(w, "-d") && len(w) > 2:
		c.db = w[2:]
	case strings.HasPrefix(w, "-") && len(w) == 2 && strings.ContainsRune(psqlArgOptions, rune(w[1])):
		next()
	case strings.HasPrefix(w, "-"):
	default:
		*pos = append(*pos, w)
	}
	return k
}

// positional gives the plain words their meaning: psql's are DB and ROLE,
// the other clients' one is the database.
func (c *pgCall) positional(pos []string) {
	if len(pos) > 0 && c.db == "" {
		c.db = pos[0]
	}
	if len(pos) > 1 && c.role == "" && c.prog == "psql" {
		c.role = pos[1]
	}
	if !roleWord.MatchString(c.role) || strings.HasPrefix(c.role, "<") {
		c.role = ""
	}
}
