package flow_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/golden"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/flow"
)

// dumpFlows prints a guide's flows, one a line, with the steps' positions.
func dumpFlows(g *runbook.Guide) string {
	var b strings.Builder
	for _, f := range g.Flows {
		fmt.Fprintf(&b, "%q from %d (%s) line %d to %v secret=%v\n",
			f.Example, f.From, g.Steps[f.From-1].Head().Pos, f.Line, f.To, f.Secret)
	}
	if b.Len() == 0 {
		return "no flows\n"
	}
	return b.String()
}

// TestGolden parses the guide of each testdata/*.txtar and compares its
// flows with the want section.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", "want", func(t *testing.T, a *txtar.Archive) string {
		fsys := fstest.MapFS{}
		for _, f := range a.Files {
			fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		}
		g, err := parser.Parse("guide.rst", fsys["guide.rst"].Data, fsys)
		if err != nil {
			t.Fatal(err)
		}
		return dumpFlows(g)
	})
}

// TestSynapse: the hash hash_password prints (synapse.rst:358) is the one
// the UPDATE in psql (synapse.rst:366) stores; secret, since hash_password
// reads the password at a hidden prompt.
func TestSynapse(t *testing.T) {
	src, err := os.ReadFile("../../guides/synapse.rst")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := parser.Parse("synapse.rst", src, os.DirFS("../../guides"))
	want := `"$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02" from 35 (synapse.rst:355) line 2 to [36] secret=true` + "\n"
	if got := dumpFlows(g); got != want {
		t.Errorf("flows:\n%s\nwant:\n%s", got, want)
	}
}

// TestLabTaskd: taskd prints the new user's key, which the next step
// writes into a file (a guide nobody here wrote). Skipped without ../shared.
func TestLabTaskd(t *testing.T) {
	dir := "../../../shared/lab"
	src, err := os.ReadFile(filepath.Join(dir, "guide_taskd.rst"))
	if os.IsNotExist(err) {
		t.Skip("no ../shared/lab")
	}
	if err != nil {
		t.Fatal(err)
	}
	g, _ := parser.Parse("guide_taskd.rst", src, os.DirFS(dir))
	got := dumpFlows(g)
	if !strings.Contains(got, `"cf31f287-ee9e-43a8-843e-e8bbd5de4294" from 43 (guide_taskd.rst:236) line 0 to [44] secret=false`) {
		t.Errorf("flows:\n%s", got)
	}
}

func TestValue(t *testing.T) {
	for s, want := range map[string]bool{
		"$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02": true,
		"cf31f287-ee9e-43a8-843e-e8bbd5de4294":                         true,
		"3f9a0c5d2e7b41a8c6f0d9e2b5a7c3e1f4d8b2a6":                     true,
		"sk_live_51H8xYzAbCdEfGh12345":                                 true,
		"dGhpcyBpcyBhIHRva2VuIDEyMw==":                                 true,
		"MySuperSecretPassword":                                        false, // no digit: a made-up word
		"Jinja2-2.10.1-py2.py3-none-any.whl":                           false, // a file name
		"psycopg2_binary-2.9.5-cp39-cp39-manylinux_2_17_x86_64":        false,
		"20231108122539":                                               false, // a number
		"deadbeef":                                                     false, // too short
		"/home/isabell/synapse/homeserver.yaml":                        false,
		"matrix-synapse":                                               false,
	} {
		if got := flow.Value(s); got != want {
			t.Errorf("Value(%q) = %v, want %v", s, got, want)
		}
	}
}
