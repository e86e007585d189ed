package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// labDir is ../shared/lab from the repository root.
const labDir = "../../../shared/lab"

// labGuides lists the lab's guides; the test is skipped only when the
// folder is absent.
func labGuides(t testing.TB) []string {
	if _, err := os.Stat(labDir); err != nil {
		t.Skip("no ../shared/lab")
	}
	files, err := filepath.Glob(filepath.Join(labDir, "*.rst"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no guides in %s: %v", labDir, err)
	}
	return files
}

// TestLintLab lints every lab guide, checks that each finding is well
// formed, and logs the table of findings per check id (go test -v). With
// LINT_LAB_FINDINGS=FILE it also writes every finding to FILE for review.
func TestLintLab(t *testing.T) {
	counts := map[string]int{}
	guides := map[string]map[string]bool{}
	var all []string
	examined := map[string]int{}
	for _, path := range labGuides(t) {
		g, src := parseFile(t, path)
		c := newContext(g, src)
		examined["commands"] += len(c.commands())
		for _, b := range c.blocks {
			examined["content blocks"]++
			if b.format == "json" || b.format == "yaml" || b.format == "ini" {
				examined[b.format+" blocks"]++
			}
			if isSupervisord(b) {
				examined["supervisord blocks"]++
			}
		}
		for _, d := range LintSource(g, src) {
			if d.ID == "" || d.Pos.File == "" || d.Pos.Line <= 0 || !wellFormed(d.Message) {
				t.Errorf("malformed finding: %+v", d)
			}
			counts[d.ID]++
			if guides[d.ID] == nil {
				guides[d.ID] = map[string]bool{}
			}
			guides[d.ID][filepath.Base(path)] = true
			all = append(all, fmt.Sprintf("%s: %s: %s", d.Pos, d.ID, d.Message))
		}
	}
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var table strings.Builder
	fmt.Fprintf(&table, "| check | findings | guides |\n|---|---:|---:|\n")
	for _, id := range ids {
		fmt.Fprintf(&table, "| %s | %d | %d |\n", id, counts[id], len(guides[id]))
	}
	fmt.Fprintf(&table, "\nexamined: %v\n", examined)
	t.Logf("lint over %s:\n%s", labDir, table.String())
	if out := os.Getenv("LINT_LAB_FINDINGS"); out != "" {
		if err := os.WriteFile(out, []byte(table.String()+"\n"+strings.Join(all, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// wellFormed reports whether a message reads as one sentence: it starts with
// a letter and has no line break.
func wellFormed(msg string) bool {
	return msg != "" && !strings.Contains(msg, "\n") && unicode.IsLetter([]rune(msg)[0])
}
