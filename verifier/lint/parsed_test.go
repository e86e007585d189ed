package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
)

// parseFile parses a guide from disk the way the CLI does: the guide is
// named by its path, includes are read through the guide's directory.
func parseFile(t testing.TB, path string) (*runbook.Guide, Source) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fsys := os.DirFS(filepath.Dir(path))
	g, _ := parser.Parse(path, src, fsys)
	if g == nil {
		t.Fatalf("%s: parser returned no guide", path)
	}
	return g, ReadSource(g, src, fsys)
}

// TestSynapse checks the defects issues 4 and 7 name in guides/synapse.rst,
// with and without the source, and the complete list with it.
func TestSynapse(t *testing.T) {
	g, src := parseFile(t, "../../guides/synapse.rst")
	const file = "../../guides/synapse.rst"
	required := []string{
		file + ":164: prompt-dir",         // closing prompt ~ after cd ~/synapse (issue 7): found without the source too
		file + ":339: prompt-dir",         // [isabell@stardust synape]$ after cd ~/synapse
		file + ":422: content-in-console", // the client JSON in a console block
		file + ":424: bad-url",            // https:/matrix.example.org
		file + ":498: supervisord-key",    // Environment=
		file + ":513: prompt-no-dir",      // [isabell@stardust]$ (issue 7)
	}
	for name, ds := range map[string][]runbook.Diagnostic{"Lint": Lint(g), "LintSource": LintSource(g, src)} {
		got := map[string]bool{}
		for _, d := range ds {
			got[fmt.Sprintf("%s: %s", d.Pos, d.ID)] = true
		}
		for _, want := range required {
			if !got[want] {
				t.Errorf("%s: missing %s", name, want)
			}
		}
	}
	var lines []string
	for _, d := range LintSource(g, src) {
		lines = append(lines, fmt.Sprintf("%s: %s", d.Pos, d.ID))
	}
	want := []string{
		file + ":163: choice", // --report-stats=[yes|no]
		required[0],
		file + ":240: no-closing-prompt",
		required[1], required[2], required[3],
		file + ":449: no-closing-prompt",
		required[4], required[5],
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
