package params

import (
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// TestParsePGCall reads the client calls guides show; a non-interactive
// psql gets no ^D, and a call without a role names none.
func TestParsePGCall(t *testing.T) {
	cases := []struct {
		text        string
		ok          bool
		db, role    string
		interactive bool
	}{
		{"psql synapse synapse", true, "synapse", "synapse", true},
		{"psql --user synapse", true, "synapse", "synapse", true},
		{"psql -U app -d appdb", true, "appdb", "app", true},
		{"psql -h localhost -p 5432 -Uapp appdb", true, "appdb", "app", true},
		{"psql --username=app --dbname=appdb -c 'SELECT 1'", true, "appdb", "app", false},
		{"psql -f ~/setup.psql", true, "", "", false},
		{"psql app app < dump.sql", true, "app", "app", false},
		{"PGPASSWORD=x pg_dump -U app appdb", true, "appdb", "app", false},
		{"psql <database name>", true, "", "", false}, // a placeholder reads as a redirection: no role, nothing added
		{"createuser synapse -P", false, "", "", false},
		{"psql app app <<EOF\nSELECT 1;\nEOF", false, "", "", false},
	}
	for _, c := range cases {
		got, ok := parsePGCall(c.text)
		if ok != c.ok || ok && (got.db != c.db || got.role != c.role || got.interactive != c.interactive) {
			t.Errorf("parsePGCall(%q) = %+v, %v; want db=%q role=%q interactive=%v, %v",
				c.text, got, ok, c.db, c.role, c.interactive, c.ok)
		}
	}
}

// unaskedOf lists the unasked answers of the command that starts with prefix.
func unaskedOf(g *runbook.Guide, prefix string) []runbook.Answer {
	for _, s := range g.Steps {
		if c, ok := s.(*runbook.Command); ok && len(c.Text) >= len(prefix) && c.Text[:len(prefix)] == prefix {
			var out []runbook.Answer
			for _, a := range c.Answers {
				if a.Unasked {
					out = append(out, a)
				}
			}
			return out
		}
	}
	return nil
}

// TestUnaskedSynapse: "You can verify access with: psql synapse synapse"
// shows neither the password prompt nor a way out; the role's secret is
// the one createuser -P typed. The reset's psql documents its prompt, so
// it gets nothing more, and detecting twice adds nothing twice.
func TestUnaskedSynapse(t *testing.T) {
	g := synapse(t)
	Detect(g)
	Detect(g)
	for _, c := range []struct{ prefix, db, secret string }{
		{"psql synapse synapse", "synapse", "my-super-secure-password"},
		{"psql syncv3 syncv3", "syncv3", "psql-password"},
	} {
		got := unaskedOf(g, c.prefix)
		if len(got) != 2 || got[0].Kind != runbook.Hidden || got[0].Param != c.secret || got[0].Line != -1 ||
			got[0].Prompt != "Password for user "+c.db+":" || got[1].Kind != runbook.EndInput || got[1].Prompt != c.db+"=>" {
			t.Errorf("%s: unasked answers %+v", c.prefix, got)
		}
	}
	if got := unaskedOf(g, "psql --user synapse"); len(got) != 0 {
		t.Errorf("psql --user synapse documents its prompt, yet got %+v", got)
	}
}
