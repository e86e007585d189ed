package parser

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// parseSynapse parses guides/synapse.rst (with its includes) as the CLI would.
func parseSynapse(t *testing.T) *runbook.Guide {
	t.Helper()
	src, err := os.ReadFile("../guides/synapse.rst")
	if err != nil {
		t.Fatal(err)
	}
	for _, inc := range []string{"web-backend.rst", "supervisord.rst"} {
		if _, err := os.Stat(filepath.Join("../guides/includes", inc)); err != nil {
			t.Fatalf("guides/includes/%s is required: %v", inc, err)
		}
	}
	g, err := Parse("guides/synapse.rst", src, os.DirFS("../guides"))
	if err != nil {
		t.Fatalf("synapse.rst: %v", err)
	}
	return g
}

// rePromptLine captures a documented prompt: user, host, dir and the command.
var rePromptLine = regexp.MustCompile(`^\s*\[(\w+)@(\w+)(?: ([^\]]*))?\]\$ ?(.*?)\s*$`)

// TestSynapseCommands checks that every prompt line of the guide and its
// includes is a command step at that line, with the prompt as written and
// the documented output that follows it.
func TestSynapseCommands(t *testing.T) {
	g := parseSynapse(t)
	byPos := map[runbook.Pos]*runbook.Command{}
	for _, s := range g.Steps {
		if c, ok := s.(*runbook.Command); ok {
			byPos[c.Pos] = c
		}
	}
	n := 0
	for _, file := range []string{"synapse.rst", "includes/web-backend.rst", "includes/supervisord.rst"} {
		data, err := os.ReadFile(filepath.Join("../guides", file))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i, line := range lines {
			m := rePromptLine.FindStringSubmatch(line)
			if m == nil || m[4] == "" {
				continue
			}
			n++
			pos := runbook.Pos{File: "guides/" + file, Line: i + 1}
			c := byPos[pos]
			if c == nil {
				t.Errorf("%s: command %q is not a step", pos, m[4])
				continue
			}
			if c.Prompt.User != m[1] || c.Prompt.Host != m[2] || c.Prompt.Dir != m[3] {
				t.Errorf("%s: prompt %+v, want user=%s host=%s dir=%q", pos, c.Prompt, m[1], m[2], m[3])
			}
			if !strings.HasPrefix(normSpace(c.Text), normSpace(strings.TrimSuffix(m[4], "\\"))) {
				t.Errorf("%s: command %q, want %q", pos, c.Text, m[4])
			}
			next := ""
			if i+1 < len(lines) {
				next = strings.TrimSpace(lines[i+1])
			}
			if next != "" && !strings.HasSuffix(m[4], "\\") && !rePromptLine.MatchString(lines[i+1]) {
				if len(c.Expect) == 0 || strings.TrimSpace(c.Expect[0]) != next {
					t.Errorf("%s: output %q does not start with the documented %q", pos, c.Expect, next)
				}
			}
		}
	}
	if n < 40 {
		t.Errorf("found only %d prompt lines in synapse.rst and includes", n)
	}
}

// TestSynapseSpecifics checks the cases the issue names: the typo'd dir,
// the multi-line --generate-config command, the merges and the creates.
func TestSynapseSpecifics(t *testing.T) {
	g := parseSynapse(t)
	if g.Title != "Synapse" {
		t.Errorf("title %q", g.Title)
	}
	var files []*runbook.File
	typo, generate := false, false
	for _, s := range g.Steps {
		switch s := s.(type) {
		case *runbook.Command:
			if s.Prompt.Dir == "synape" && strings.HasPrefix(s.Text, "register_new_matrix_user") {
				typo = true
			}
			if strings.Contains(s.Text, "synapse.app.homeserver") && strings.Contains(s.Text, "--generate-config") {
				generate = true
				for _, want := range []string{"--server-name example.org", "--config-path homeserver.yaml", "--report-stats=[yes|no]"} {
					if !strings.Contains(s.Text, want) {
						t.Errorf("generate-config command lacks %q: %q", want, s.Text)
					}
				}
			}
		case *runbook.File:
			files = append(files, s)
		}
	}
	if !typo {
		t.Error("no register_new_matrix_user command with the prompt dir \"synape\" as written")
	}
	if !generate {
		t.Error("--generate-config is not one command with its continuation lines")
	}
	var merges []*runbook.File
	creates := map[string]string{}
	for _, f := range files {
		switch f.Mode {
		case runbook.Merge:
			merges = append(merges, f)
		case runbook.Create:
			creates[f.Path] = f.Format
		}
	}
	if len(merges) != 3 {
		t.Fatalf("%d merges, want the 3 yaml blocks", len(merges))
	}
	for i, f := range merges {
		if f.Path != "~/synapse/homeserver.yaml" || f.Format != "yaml" {
			t.Errorf("merge %d: %s (%s)", i, f.Path, f.Format)
		}
		wantKey := []string(nil)
		if i == 0 {
			wantKey = []string{"listeners"}
		}
		if !slices.Equal(f.Key, wantKey) {
			t.Errorf("merge %d: key %v, want %v", i, f.Key, wantKey)
		}
	}
	want := map[string]string{
		"/var/www/virtual/$USER/example.org/.well-known/matrix/server": "json",
		"/var/www/virtual/$USER/example.org/.well-known/matrix/client": "json",
		"~/etc/services.d/synapse.ini":                                 "ini",
		"~/etc/services.d/syncv3.ini":                                  "ini",
		"~/bin/synapse-update":                                         "bash",
	}
	for p, format := range want {
		if got, ok := creates[p]; !ok || got != format {
			t.Errorf("create %s: format %q (present %v), want %s", p, got, ok, format)
		}
	}
	if len(creates) != len(want) {
		t.Errorf("creates %v, want exactly %v", creates, want)
	}
}
