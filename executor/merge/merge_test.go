package merge

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"gopkg.in/yaml.v3"

	"github.com/runbookdev/runbook/internal/golden"
)

// mergeCase is one txtar test: base.EXT (optional), fragment.EXT, key
// (optional, one element per line), and either want.EXT plus summary or error.
type mergeCase struct {
	ar       *txtar.Archive
	format   string
	base     []byte
	fragment []byte
	key      []string
}

func loadCase(t *testing.T, path string) *mergeCase {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &mergeCase{ar: ar}
	for _, f := range ar.Files {
		name, ext, _ := strings.Cut(f.Name, ".")
		switch name {
		case "base":
			c.base = f.Data
		case "fragment":
			c.fragment, c.format = f.Data, ext
		case "key":
			c.key = strings.Fields(string(f.Data))
		}
	}
	if c.format == "" {
		t.Fatalf("%s: no fragment.EXT file", path)
	}
	return c
}

func TestGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			runCase(t, path)
		})
	}
}

func runCase(t *testing.T, path string) {
	c := loadCase(t, path)
	got, sum, err := Merge(c.format, c.base, c.fragment, c.key)
	if wantErr, ok := golden.Lookup(c.ar, "error"); ok {
		if err == nil {
			t.Fatalf("merge succeeded, want error containing %q; got:\n%s", wantErr, got)
		}
		if !strings.Contains(err.Error(), strings.TrimSpace(wantErr)) {
			t.Fatalf("error %q does not contain %q", err, strings.TrimSpace(wantErr))
		}
		return
	}
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	wantName := "want." + c.format
	if golden.Update() {
		golden.SetSection(c.ar, wantName, string(got))
		golden.SetSection(c.ar, "summary", sum.String()+"\n")
		golden.Write(t, path, c.ar)
		return
	}
	want, ok := golden.Lookup(c.ar, wantName)
	if !ok {
		t.Fatalf("no %s (run go test -update)", wantName)
	}
	if string(got) != want {
		t.Errorf("merged output differs\n--- got ---\n%s--- want ---\n%s", got, want)
	}
	if s := golden.Section(c.ar, "summary"); strings.TrimSpace(s) != sum.String() {
		t.Errorf("summary = %q, want %q", sum.String(), strings.TrimSpace(s))
	}
	checkParses(t, c.format, got)
	again, sum2, err := Merge(c.format, got, c.fragment, c.key)
	if err != nil || sum2.Keys() != 0 || string(again) != string(got) {
		t.Errorf("merging the same block again is not a no-op: err=%v summary=%v\n%s", err, sum2, again)
	}
}

// checkParses fails when the merged output is not valid in its format.
func checkParses(t *testing.T, format string, b []byte) {
	t.Helper()
	var v any
	var err error
	switch format {
	case "yaml":
		err = yaml.Unmarshal(b, &v)
	case "json":
		err = json.Unmarshal(b, &v)
	case "ini":
		_, err = parseINI(string(b))
	}
	if err != nil {
		t.Errorf("merged %s does not parse: %v\n%s", format, err, b)
	}
}

func TestUnknownFormat(t *testing.T) {
	_, _, err := Merge("php", []byte("<?php"), []byte("$x = 1;"), nil)
	want := "cannot merge php files; use an override mode=create or mode=append"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

func TestSummaryString(t *testing.T) {
	for _, tc := range []struct {
		s    Summary
		want string
	}{
		{Summary{}, "unchanged"},
		{Summary{Added: 1}, "merged 1 key (0 changed, 1 added)"},
		{Summary{Changed: 2, Added: 1}, "merged 3 keys (2 changed, 1 added)"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// BenchmarkYAMLSynapse merges the synapse listener block into the trimmed
// generated homeserver.yaml of the golden test.
func BenchmarkYAMLSynapse(b *testing.B) {
	benchCase(b, "testdata/yaml-synapse-listener.txtar")
}

// BenchmarkINISupervisord merges into a supervisord service file.
func BenchmarkINISupervisord(b *testing.B) {
	benchCase(b, "testdata/ini-supervisord.txtar")
}

func benchCase(b *testing.B, path string) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var base, frag []byte
	var format string
	var key []string
	for _, f := range ar.Files {
		name, ext, _ := strings.Cut(f.Name, ".")
		switch name {
		case "base":
			base = f.Data
		case "fragment":
			frag, format = f.Data, ext
		case "key":
			key = strings.Fields(string(f.Data))
		}
	}
	b.SetBytes(int64(len(base)))
	for b.Loop() {
		if _, _, err := Merge(format, base, frag, key); err != nil {
			b.Fatal(err)
		}
	}
}
