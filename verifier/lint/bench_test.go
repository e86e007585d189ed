package lint

import (
	"os"
	"path/filepath"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
)

// BenchmarkLintLab lints every lab guide (already parsed), reporting the
// throughput over the guides' source bytes.
func BenchmarkLintLab(b *testing.B) {
	type parsed struct {
		g   *runbook.Guide
		src Source
	}
	var all []parsed
	size := 0
	for _, path := range labGuides(b) {
		g, src := parseFile(b, path)
		all = append(all, parsed{g, src})
		size += len(src[g.Name])
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		for _, p := range all {
			LintSource(p.g, p.src)
		}
	}
}

// BenchmarkParseAndLintLab parses and lints every lab guide, the work of
// `runbook lint` on the collection.
func BenchmarkParseAndLintLab(b *testing.B) {
	type guide struct {
		path string
		src  []byte
	}
	var all []guide
	size := 0
	for _, path := range labGuides(b) {
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, guide{path, src})
		size += len(src)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		for _, gd := range all {
			fsys := os.DirFS(filepath.Dir(gd.path))
			g, _ := parser.Parse(gd.path, gd.src, fsys)
			LintSource(g, ReadSource(g, gd.src, fsys))
		}
	}
}
