package transcript

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// labBlock is a literal block cut out of a lab guide by a rough reST reader
// that is good enough to feed the transcript grammar real blocks.
type labBlock struct {
	file   string
	line   int // source line of lines[0]
	indent string
	lines  []string
}

var (
	codeDirective  = regexp.MustCompile(`^\s*\.\. (?:code-block|code|sourcecode)\s*::`)
	otherDirective = regexp.MustCompile(`^\s*\.\. [\w-]+\s*::\s*$`)
)

// labDir finds ../shared/lab from the package directory.
func labDir(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(wd, "..", "..", "..", "shared", "lab")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("lab guides not present: %v", err)
	}
	return dir
}

// labBlocks returns every literal block of every guide in the lab.
func labBlocks(t testing.TB) ([]labBlock, int) {
	dir := labDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.rst"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no lab guides in %s: %v", dir, err)
	}
	var blocks []labBlock
	size := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		size += len(src)
		blocks = append(blocks, cutBlocks(filepath.Base(f), string(src))...)
	}
	return blocks, size
}

// cutBlocks finds the literal blocks of one reST source.
func cutBlocks(name, src string) []labBlock {
	lines := strings.Split(src, "\n")
	var out []labBlock
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		if !codeDirective.MatchString(l) && (!strings.HasSuffix(l, "::") || otherDirective.MatchString(l)) {
			continue
		}
		base := leadingSpace(l)
		j := i + 1
		for j < len(lines) && leadingSpace(lines[j]) > base && strings.HasPrefix(strings.TrimSpace(lines[j]), ":") {
			j++
		}
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		start := j
		for j < len(lines) && (strings.TrimSpace(lines[j]) == "" || leadingSpace(lines[j]) > base) {
			j++
		}
		body := lines[start:j]
		for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
			body = body[:len(body)-1]
		}
		if len(body) == 0 {
			continue
		}
		min := -1
		for _, b := range body {
			if strings.TrimSpace(b) != "" && (min < 0 || leadingSpace(b) < min) {
				min = leadingSpace(b)
			}
		}
		ded := make([]string, len(body))
		for k, b := range body {
			ded[k] = strings.TrimRight(trimIndent(b, min), "\r")
		}
		out = append(out, labBlock{file: name, line: start + 1, indent: body[0][:min], lines: ded})
		i = j - 1
	}
	return out
}

// TestLabClassification checks the block-level session rule on every lab
// guide: the known file contents stay content, the known sessions are
// sessions, and no block makes the grammar panic or misplace a command.
func TestLabClassification(t *testing.T) {
	blocks, _ := labBlocks(t)
	sessions, commands := 0, 0
	for _, b := range blocks {
		if !IsSession(b.lines) {
			continue
		}
		sessions++
		cmds, _ := Parse(b.file, b.line, b.indent, b.lines)
		for _, c := range cmds {
			commands++
			if c.Pos.Line < b.line || c.Pos.Line >= b.line+len(b.lines) {
				t.Errorf("%s: command %q placed outside its block", c.Pos, c.Text)
			}
		}
	}
	t.Logf("%d blocks, %d sessions, %d commands", len(blocks), sessions, commands)
	if sessions < 380 || commands < 690 {
		t.Errorf("only %d sessions with %d commands found in the lab", sessions, commands)
	}
	mustBe := map[string]bool{ // file:first line of a block → session?
		"guide_conduit.rst:[global]":                   false,
		"guide_etesync-server.rst:#!/usr/bin/env bash": false,
		"guide_pleroma.rst:# config :pleroma, Pleroma.Upload, filters: [Pleroma.Upload.Filter.Exiftool]": false,
		"guide_datedmail.rst:PS /home/isabell> crontab -e":                                               true,
		"guide_otree.rst:(venv) [isabell@stardust otree]$ otree startproject myproject":                  true,
	}
	seen := map[string]bool{}
	for _, b := range blocks {
		key := b.file + ":" + b.lines[0]
		if want, ok := mustBe[key]; ok {
			seen[key] = true
			if got := IsSession(b.lines); got != want {
				t.Errorf("%s:%d: IsSession = %v, want %v", b.file, b.line, got, want)
			}
		}
	}
	for k := range mustBe {
		if !seen[k] {
			t.Errorf("block %q not found in the lab", k)
		}
	}
}

// TestLabNoCommentSessions: no lab block whose first line is a "#" comment
// or "#!" is a session, and every block with a canonical prompt is one.
func TestLabNoCommentSessions(t *testing.T) {
	blocks, _ := labBlocks(t)
	for _, b := range blocks {
		first := strings.TrimSpace(b.lines[0])
		if strings.HasPrefix(first, "#") && IsSession(b.lines) {
			t.Errorf("%s:%d: block starting %q taken for a session", b.file, b.line, first)
		}
		for _, l := range b.lines {
			if strings.Contains(l, "@stardust") && strings.Contains(l, "]$") && !IsSession(b.lines) {
				t.Errorf("%s:%d: block with prompt %q not a session", b.file, b.line, l)
				break
			}
		}
	}
}

// BenchmarkLab parses every session of the lab guides; it reports MB/s of
// guide source (the whole guide, of which the sessions are a part).
func BenchmarkLab(b *testing.B) {
	blocks, size := labBlocks(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, bl := range blocks {
			if IsSession(bl.lines) {
				Parse(bl.file, bl.line, bl.indent, bl.lines)
			}
		}
	}
}

// TestLabDump writes every parsed lab session to $RUNBOOK_LAB_DUMP, for reading by hand.
func TestLabDump(t *testing.T) {
	out := os.Getenv("RUNBOOK_LAB_DUMP")
	if out == "" {
		t.Skip("set RUNBOOK_LAB_DUMP=FILE to write the dump")
	}
	blocks, _ := labBlocks(t)
	var sb strings.Builder
	for _, b := range blocks {
		if !IsSession(b.lines) {
			sb.WriteString("==== CONTENT " + b.file + " " + b.lines[0] + "\n")
			continue
		}
		cmds, diags := Parse(b.file, b.line, b.indent, b.lines)
		sb.WriteString("==== SESSION " + b.file + "\n" + dump(cmds, diags))
	}
	if err := os.WriteFile(out, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSynapseGuide reads every block of guides/synapse.rst: each canonical
// prompt line with a command becomes exactly one command, and the known
// content blocks (the console-labelled JSON, the bash script) stay content.
func TestSynapseGuide(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "guides", "synapse.rst"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^\s*\[[^\]\n]*\]\$ +\S`).FindAllStringIndex(string(src), -1)
	var cmds []string
	contents := map[string]bool{}
	for _, b := range cutBlocks("synapse.rst", string(src)) {
		if !IsSession(b.lines) {
			contents[strings.TrimSpace(b.lines[0])] = true
			continue
		}
		cs, _ := Parse("synapse.rst", b.line, b.indent, b.lines)
		for _, c := range cs {
			cmds = append(cmds, c.Prompt.Dir+" $ "+c.Text)
		}
	}
	if len(cmds) != len(want) {
		t.Errorf("%d commands, want one per prompt line: %d", len(cmds), len(want))
	}
	joined := strings.Join(cmds, "\n")
	for _, s := range []string{
		"synape $ register_new_matrix_user -c homeserver.yaml https://matrix.example.org",
		"synapse $ python3.9 -m synapse.app.homeserver \\\n  --server-name example.org \\\n  --config-path homeserver.yaml \\\n  --generate-config \\\n  --report-stats=[yes|no]",
		"~ $ createdb \\\n  --encoding=UTF8 \\\n",
	} {
		if !strings.Contains(joined, s) {
			t.Errorf("no command %q", s)
		}
	}
	for _, first := range []string{"{", "#!/bin/bash", "[program:synapse]", "database:"} {
		if !contents[first] {
			t.Errorf("block starting %q is not content", first)
		}
	}
}
