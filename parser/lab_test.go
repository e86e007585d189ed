package parser

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// labDir is ../shared/lab relative to the repository root.
const labDir = "../../shared/lab"

// labGuides lists the lab guides, skipping only when the folder is absent.
func labGuides(tb testing.TB) []string {
	tb.Helper()
	if _, err := os.Stat(labDir); os.IsNotExist(err) {
		tb.Skipf("%s is absent", labDir)
	}
	guides, err := filepath.Glob(filepath.Join(labDir, "*.rst"))
	if err != nil || len(guides) == 0 {
		tb.Fatalf("no guides in %s: %v", labDir, err)
	}
	return guides
}

// reLabPrompt is the prompt line that ../shared/tools/lab-recall.py counts.
var reLabPrompt = regexp.MustCompile(`^\s+(?:\([^)]*\)\s*)?\[isabell@stardust[^\]]*\]\$ ?(.+?)\s*$`)

// TestLabRecall parses every lab guide: no Error diagnostics, and every
// canonical prompt line's command is in some command step (the measure of
// lab-recall.py, whose target is 100%).
func TestLabRecall(t *testing.T) {
	found, expected := 0, 0
	for _, path := range labGuides(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := "lab/" + filepath.Base(path)
		g, err := Parse(name, src, os.DirFS(labDir))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		var blob strings.Builder
		for _, s := range g.Steps {
			if c, ok := s.(*runbook.Command); ok {
				blob.WriteString(normSpace(c.Text))
				blob.WriteByte('\n')
			}
		}
		all := blob.String()
		for i, line := range strings.Split(string(src), "\n") {
			m := reLabPrompt.FindStringSubmatch(line)
			if m == nil || strings.TrimSpace(m[1]) == "" || strings.TrimSpace(m[1]) == "[...]" {
				continue
			}
			expected++
			c := strings.TrimSpace(strings.TrimSuffix(normSpace(m[1]), "\\"))
			if c != "" && strings.Contains(all, c) {
				found++
			} else {
				t.Errorf("%s:%d: command not found among steps: %s", name, i+1, c)
			}
		}
	}
	t.Logf("commands found %d/%d", found, expected)
	if expected < 500 {
		t.Errorf("only %d prompt lines in the lab; is the folder complete?", expected)
	}
}

// TestLabUnindentedLiteral checks a real defect: conduit's update section
// has unindented literal blocks, which are warnings with file:line while its
// commands are still read.
func TestLabUnindentedLiteral(t *testing.T) {
	labGuides(t)
	src, err := os.ReadFile(filepath.Join(labDir, "guide_conduit.rst"))
	if err != nil {
		t.Fatal(err)
	}
	g, _ := Parse("guide_conduit.rst", src, os.DirFS(labDir))
	warned := false
	for _, d := range g.Diagnostics {
		if d.ID == "unindented-literal" && d.Severity == runbook.Warning && d.Pos.Line > 0 {
			warned = true
		}
	}
	if !warned {
		t.Error("no unindented-literal warning for guide_conduit.rst")
	}
	last := g.Steps[len(g.Steps)-1]
	if c, ok := last.(*runbook.Command); !ok || !strings.Contains(c.Text, "conduit_data_backup") {
		t.Errorf("the guide's last step is %#v, want the rm of the backup", last)
	}
}
