package parser

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser/params"
)

// seedGuides returns the lab guides (when present) and the golden guides
// whose name ends in ext.
func seedGuides(f *testing.F, ext string) [][]byte {
	var seeds [][]byte
	if ext == ".rst" {
		lab, _ := filepath.Glob(filepath.Join(labDir, "*.rst"))
		for _, p := range lab {
			if data, err := os.ReadFile(p); err == nil {
				seeds = append(seeds, data)
			}
		}
	}
	golden, _ := filepath.Glob("testdata/*.txtar")
	for _, p := range golden {
		a, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if strings.HasSuffix(file.Name, ext) {
				seeds = append(seeds, file.Data)
			}
		}
	}
	return seeds
}

// fuzzFS gives fuzzed guides includes to read, including one that includes
// itself and one that includes the guide.
func fuzzFS(guide string, data []byte) fstest.MapFS {
	return fstest.MapFS{
		guide:                  &fstest.MapFile{Data: data},
		"includes/a.rst":       &fstest.MapFile{Data: []byte(".. include:: a.rst\n\n::\n\n  [isabell@stardust ~]$ ls\n")},
		"includes/b.rst":       &fstest.MapFile{Data: []byte(".. include:: /" + guide + "\n")},
		"includes/c.rst":       &fstest.MapFile{Data: data},
		"guide.runbook.yaml":   &fstest.MapFile{Data: []byte("blocks:\n  - line: 3\n    file: ~/x.yaml\n")},
		"supervisord.rst":      &fstest.MapFile{Data: []byte("::\n\n [isabell@stardust ~]$ supervisorctl update\n")},
		"includes/web-end.rst": &fstest.MapFile{Data: []byte("Edit ``~/x.json``::\n\n  {}\n")},
	}
}

// checkGuide asserts the invariants every parse keeps, whatever the input.
func checkGuide(t *testing.T, g *runbook.Guide, err error) {
	if g == nil {
		t.Fatal("nil guide")
	}
	if (err != nil) != g.HasErrors() {
		t.Fatalf("error %v but HasErrors %v", err, g.HasErrors())
	}
	for i, s := range g.Steps {
		h := s.Head()
		if h.ID != i+1 {
			t.Fatalf("step %d has ID %d", i+1, h.ID)
		}
		if h.Pos.Line <= 0 {
			t.Fatalf("step %d has no line: %v", h.ID, h.Pos)
		}
		if f, ok := s.(*runbook.File); ok && (f.Path == "" || !strings.HasSuffix(f.Content, "\n")) {
			t.Fatalf("step %d: file without path or final newline: %+v", h.ID, f)
		}
	}
	for _, p := range g.Params {
		for _, tie := range p.Ties {
			if tie.Step < 1 || tie.Step > len(g.Steps) || tie.Text == "" {
				t.Fatalf("param %s: tie %+v is not in a step", p.Name, tie)
			}
		}
	}
	checkRolesAndFlows(t, g)
	_ = runbook.Dump(g)
	// Applying the values the parser found, and another one for each, keeps
	// every step (ties and local params included).
	ps := slices.Clone(g.Params)
	for i := range ps {
		ps[i].Value = "v" + ps[i].Name
	}
	if a := params.Apply(g, ps); a == nil || len(a.Steps) != len(g.Steps) {
		t.Fatal("Apply lost steps")
	}
	_ = runbook.NewReplacer(ps).Reverse("vuser isabell")
}

// checkRolesAndFlows: a section off the install path says why, a
// subsection of one has its role, and a flow goes from a command to later
// steps that exist.
func checkRolesAndFlows(t *testing.T, g *runbook.Guide) {
	for i, s := range g.Sections {
		if s.Role != runbook.RoleInstall && s.RoleWhy == "" {
			t.Fatalf("section %v is %s for no reason", s.Path, s.Role)
		}
		if p := parentSection(g.Sections[:i], &g.Sections[i]); p != nil && p.Role != runbook.RoleInstall && s.Role != p.Role {
			t.Fatalf("section %v is %q inside %v, which is %s", s.Path, s.Role, p.Path, p.Role)
		}
	}
	for _, f := range g.Flows {
		if f.From < 1 || f.From > len(g.Steps) || g.Steps[f.From-1].Kind() != runbook.KindCommand || len(f.To) == 0 {
			t.Fatalf("flow %+v", f)
		}
		for _, to := range f.To {
			if to <= f.From || to > len(g.Steps) {
				t.Fatalf("flow %+v goes to step %d", f, to)
			}
		}
	}
}

// FuzzParseRST feeds arbitrary bytes to the reST front end: it must never
// panic or hang, and every guide it returns keeps the invariants.
func FuzzParseRST(f *testing.F) {
	for _, s := range seedGuides(f, ".rst") {
		f.Add(s)
	}
	f.Add([]byte(".. include:: includes/a.rst\n.. include:: includes/b.rst\n.. include:: includes/c.rst\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Parse("guide.rst", data, fuzzFS("guide.rst", data))
		checkGuide(t, g, err)
	})
}

// FuzzParseMarkdown does the same for the Markdown front end.
func FuzzParseMarkdown(f *testing.F) {
	for _, s := range seedGuides(f, ".md") {
		f.Add(s)
	}
	f.Add([]byte("# T\n\nEdit `~/x.yaml`:\n\n```yaml\n- a: 1\n```\n<!-- runbook: skip -->\n    code\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Parse("guide.md", data, fuzzFS("guide.md", data))
		checkGuide(t, g, err)
	})
}

// BenchmarkParseLab parses every lab guide per iteration; the MB/s figure
// is the parser's throughput (target: 1.3 MB in under 0.5 s, > 2.6 MB/s).
func BenchmarkParseLab(b *testing.B) {
	guides := labGuides(b)
	type guide struct {
		name string
		src  []byte
	}
	var all []guide
	total := 0
	for _, p := range guides {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, guide{filepath.Base(p), data})
		total += len(data)
	}
	fsys := os.DirFS(labDir)
	b.SetBytes(int64(total))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, g := range all {
			if _, err := Parse(g.name, g.src, fsys); err != nil {
				b.Fatal(err)
			}
		}
	}
}
