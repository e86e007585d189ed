package transcript

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/*.txtar")

// TestGolden parses the input block of each testdata/*.txtar (as lines
// 10.. of guide.rst, indented two spaces) and compares the dump with want.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			input, want := section(ar, "input"), section(ar, "want")
			if input == nil {
				t.Fatalf("%s: no input section", f)
			}
			got := render(string(input))
			if *update {
				setSection(ar, "want", []byte(got))
				if err := os.WriteFile(f, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(want) {
				t.Errorf("%s: dump differs (run go test -update to accept)\n--- got ---\n%s--- want ---\n%s", f, got, want)
			}
		})
	}
}

// render is what a golden file's want section holds for an input block.
func render(input string) string {
	lines := strings.Split(strings.TrimSuffix(input, "\n"), "\n")
	var b strings.Builder
	if !IsSession(lines) {
		return "content\n"
	}
	b.WriteString("session\n")
	cmds, diags := Parse("guide.rst", 10, "  ", lines)
	b.WriteString(dump(cmds, diags))
	return b.String()
}

func section(ar *txtar.Archive, name string) []byte {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func setSection(ar *txtar.Archive, name string, data []byte) {
	for i, f := range ar.Files {
		if f.Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}
