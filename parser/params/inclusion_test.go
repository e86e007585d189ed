package params_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/golden"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
)

// TestInclusionData parses each testdata/inclusion-*.txtar guide (its other
// files are the includes), then for every "set NAME" section applies those
// --set lines (KEY=VALUE, one a line; empty for the defaults) and compares
// the params and the applied commands with "want NAME"; "error NAME" holds
// the error Set must give instead.
func TestInclusionData(t *testing.T) {
	files, _ := filepath.Glob("testdata/inclusion-*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata/inclusion-*.txtar")
	}
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{}
		var guide []byte
		for _, f := range a.Files {
			if f.Name == "guide.rst" {
				guide = f.Data
			} else if !strings.Contains(f.Name, " ") {
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
		}
		for i := range a.Files {
			name, ok := strings.CutPrefix(a.Files[i].Name, "set ")
			if !ok {
				continue
			}
			t.Run(filepath.Base(file)+"/"+name, func(t *testing.T) {
				got := applySet(t, guide, fsys, string(a.Files[i].Data))
				golden.Check(t, file, a, "want "+name, got)
			})
		}
	}
}

// applySet parses the guide, applies the --set lines and shows the params
// and the applied commands with their expected output; a Set error is
// shown as "error: …".
func applySet(t *testing.T, guide []byte, fsys fstest.MapFS, set string) string {
	t.Helper()
	g, err := parser.Parse("guide.rst", guide, fsys)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(set), "\n") {
		if line == "" {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		if err := params.Set(g.Params, k, v); err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
			return b.String()
		}
	}
	for _, p := range g.Params {
		fmt.Fprintf(&b, "param %s=%s uses=%v\n", p.Name, p.Value, p.Uses)
	}
	for _, st := range params.Apply(g, g.Params).Steps {
		if c, ok := st.(*runbook.Command); ok {
			fmt.Fprintf(&b, "## %s inclusion=%d\n$ %s\n", c.Pos, c.Inclusion, c.Text)
			for _, l := range c.Expect {
				fmt.Fprintf(&b, "%s\n", l)
			}
		}
	}
	return b.String()
}
