package merge

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// seedFromGolden adds every golden case of the format as a fuzz seed.
func seedFromGolden(f *testing.F, format string) {
	paths, _ := filepath.Glob("testdata/" + format + "-*.txtar")
	for _, p := range paths {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var base, frag, key string
		for _, file := range ar.Files {
			switch {
			case strings.HasPrefix(file.Name, "base."):
				base = string(file.Data)
			case strings.HasPrefix(file.Name, "fragment."):
				frag = string(file.Data)
			case file.Name == "key":
				key = strings.TrimSpace(string(file.Data))
			}
		}
		f.Add(base, frag, key)
	}
}

// splitKey turns the fuzzer's key string into a key path.
func splitKey(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ".")
}

func FuzzYAML(f *testing.F) {
	seedFromGolden(f, "yaml")
	f.Add("a: &x 1\nb: *x\n", "b: 2\n", "")
	f.Add("- 1\n- 2\n", "- 3\n", "")
	f.Add("a: 1\n---\nb: 2\n", "a: 2\n", "")
	f.Fuzz(func(t *testing.T, base, frag, key string) {
		out, _, err := YAML([]byte(base), []byte(frag), splitKey(key))
		if err != nil {
			return
		}
		if _, err := decodeYAML(out); err != nil {
			t.Fatalf("merged YAML does not parse: %v\n%s", err, out)
		}
	})
}

func FuzzJSON(f *testing.F) {
	seedFromGolden(f, "json")
	f.Add(`{"a":[1,{"b":2}]}`, `{"a":{"c":1}}`, "a")
	f.Fuzz(func(t *testing.T, base, frag, key string) {
		out, _, err := JSON([]byte(base), []byte(frag), splitKey(key))
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("merged JSON is not valid:\n%s", out)
		}
	})
}

func FuzzINI(f *testing.F) {
	seedFromGolden(f, "ini")
	f.Add("a=1\n[s]\n  cont\n", "[s]\nb=2\n", "")
	f.Add("", "x=1\n", "sec")
	f.Fuzz(func(t *testing.T, base, frag, key string) {
		out, _, err := INI([]byte(base), []byte(frag), splitKey(key))
		if err != nil {
			return
		}
		if _, err := parseINI(string(out)); err != nil {
			t.Fatalf("merged INI does not parse: %v\n%s", err, out)
		}
	})
}

// TestFuzzCorpusKept guards the checked-in corpus directory the fuzzers grow.
func TestFuzzCorpusKept(t *testing.T) {
	for _, name := range []string{"FuzzYAML", "FuzzJSON", "FuzzINI"} {
		if _, err := os.Stat(filepath.Join("testdata", "fuzz", name)); err != nil {
			t.Errorf("corpus for %s missing: %v", name, err)
		}
	}
}
