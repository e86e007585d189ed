package main

import (
	"path/filepath"
	"regexp"
	"testing"
)

func TestStatePath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	a, err := statePath("guides/synapse.rst")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^/state/runbook/synapse\.rst-[0-9a-f]{16}\.json$`).MatchString(a) {
		t.Errorf("state path %q", a)
	}
	abs, _ := filepath.Abs("guides/synapse.rst")
	if b, _ := statePath(abs); b != a {
		t.Errorf("relative and absolute paths give %q and %q", a, b)
	}
	if c, _ := statePath("other/synapse.rst"); c == a {
		t.Errorf("two guides share the state file %q", c)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/alice")
	if d, _ := statePath("x.rst"); !regexp.MustCompile(`^/home/alice/\.local/state/runbook/x\.rst-`).MatchString(d) {
		t.Errorf("state path without XDG_STATE_HOME: %q", d)
	}
}

func TestParseReports(t *testing.T) {
	specs, err := parseReports([]string{"text", "junit:out/r.xml", "github"})
	if err != nil {
		t.Fatal(err)
	}
	want := []reportSpec{{"text", ""}, {"junit", "out/r.xml"}, {"github", ""}}
	if len(specs) != len(want) {
		t.Fatalf("got %v", specs)
	}
	for i := range want {
		if specs[i] != want[i] {
			t.Errorf("spec %d = %v, want %v", i, specs[i], want[i])
		}
	}
	if specs, _ := parseReports(nil); len(specs) != 1 || specs[0] != (reportSpec{format: "text"}) {
		t.Errorf("default reports %v", specs)
	}
	if _, err := parseReports([]string{"yaml:x"}); err == nil {
		t.Errorf("yaml accepted as a report format")
	}
}

func TestCheckRange(t *testing.T) {
	for _, c := range []struct {
		from, to, total int
		ok              bool
	}{
		{0, 0, 5, true}, {2, 4, 5, true}, {5, 5, 5, true},
		{4, 2, 5, false}, {6, 0, 5, false}, {0, 6, 5, false}, {-1, 0, 5, false},
	} {
		if err := checkRange(c.from, c.to, c.total); (err == nil) != c.ok {
			t.Errorf("checkRange(%d, %d, %d) = %v", c.from, c.to, c.total, err)
		}
	}
}

func TestRandomSecret(t *testing.T) {
	a, err := randomSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := randomSecret()
	if !regexp.MustCompile(`^[A-Za-z0-9]{24}$`).MatchString(a) || a == b {
		t.Errorf("random secrets %q and %q", a, b)
	}
}
