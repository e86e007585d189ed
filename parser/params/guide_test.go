package params

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser/transcript"
)

// The params tests need a realistic guide while the reST parser is being
// written elsewhere, so this reads guides/synapse.rst with a rough reader:
// titles, includes, literal blocks; sessions go through the real transcript
// grammar and every other block becomes a File step.

var (
	codeDirective  = regexp.MustCompile(`^\s*\.\. (?:code-block|code|sourcecode)\s*::`)
	otherDirective = regexp.MustCompile(`^\s*\.\. [\w-]+\s*::\s*$`)
	includeRe      = regexp.MustCompile(`^\s*\.\. include::\s*(\S+)`)
)

type roughReader struct {
	root   string
	g      *runbook.Guide
	levels []string // adornment styles in order of first use
	path   []string
}

func readGuide(t testing.TB, file string) *runbook.Guide {
	t.Helper()
	r := &roughReader{root: filepath.Dir(file), g: &runbook.Guide{Name: file}}
	r.walk(t, file)
	for i, s := range r.g.Steps {
		s.Head().ID = i + 1
	}
	return r.g
}

// adornment is a title underline or overline: one punctuation character repeated.
type adornmentRule struct{}

var adornment adornmentRule

func (adornmentRule) MatchString(s string) bool {
	s = strings.TrimRight(s, " \t\r")
	if len(s) < 3 || !strings.ContainsRune(`=-^#~*"+`, rune(s[0])) {
		return false
	}
	return strings.Count(s, s[:1]) == len(s)
}

func leading(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

func (r *roughReader) walk(t testing.TB, file string) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		if m := includeRe.FindStringSubmatch(l); m != nil {
			r.walk(t, filepath.Join(r.root, m[1]))
			continue
		}
		if r.title(lines, i) {
			continue
		}
		if !codeDirective.MatchString(l) && (!strings.HasSuffix(l, "::") || otherDirective.MatchString(l)) {
			continue
		}
		lang := ""
		if codeDirective.MatchString(l) {
			lang = strings.TrimSpace(l[strings.Index(l, "::")+2:])
		}
		i = r.block(file, lines, i, lang) - 1
	}
}

// title recognises "Title\n=====" and "###\nTitle\n###" at lines[i].
func (r *roughReader) title(lines []string, i int) bool {
	if i+1 >= len(lines) || strings.TrimSpace(lines[i]) == "" || leading(lines[i]) > 0 {
		return false
	}
	style, text := "", ""
	switch {
	case adornment.MatchString(lines[i]) && i+2 < len(lines) && strings.TrimSpace(lines[i+2]) == strings.TrimSpace(lines[i]):
		style, text = "over"+lines[i][:1], strings.TrimSpace(lines[i+1])
	case adornment.MatchString(lines[i+1]) && !adornment.MatchString(lines[i]):
		style, text = lines[i+1][:1], strings.TrimSpace(lines[i])
	default:
		return false
	}
	lvl := -1
	for k, s := range r.levels {
		if s == style {
			lvl = k
		}
	}
	if lvl < 0 {
		r.levels = append(r.levels, style)
		lvl = len(r.levels) - 1
	}
	if lvl < len(r.path) {
		r.path = r.path[:lvl]
	}
	r.path = append(r.path, text)
	r.g.Sections = append(r.g.Sections, runbook.Section{Level: lvl + 1, Path: append([]string(nil), r.path...)})
	if r.g.Title == "" {
		r.g.Title = text
	}
	return true
}

// block reads the literal block after lines[i] and returns the index after it.
func (r *roughReader) block(file string, lines []string, i int, lang string) int {
	base := leading(lines[i])
	j := i + 1
	for j < len(lines) && leading(lines[j]) > base && strings.HasPrefix(strings.TrimSpace(lines[j]), ":") {
		j++
	}
	for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
		j++
	}
	start := j
	for j < len(lines) && (strings.TrimSpace(lines[j]) == "" || leading(lines[j]) > base) {
		j++
	}
	body := lines[start:j]
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	if len(body) == 0 {
		return j
	}
	min := -1
	for _, b := range body {
		if strings.TrimSpace(b) != "" && (min < 0 || leading(b) < min) {
			min = leading(b)
		}
	}
	ded := make([]string, len(body))
	for k, b := range body {
		if strings.TrimSpace(b) != "" {
			ded[k] = strings.TrimRight(b[min:], "\r")
		}
	}
	sec := append([]string(nil), r.path...)
	if transcript.IsSession(ded) {
		cmds, _ := transcript.Parse(file, start+1, body[0][:min], ded)
		for _, c := range cmds {
			c.Section, c.Lang = sec, lang
			r.g.Steps = append(r.g.Steps, c)
		}
		return j
	}
	r.g.Steps = append(r.g.Steps, &runbook.File{
		Header:  runbook.Header{Pos: runbook.Pos{File: file, Line: start + 1}, Section: sec, Lang: lang},
		Mode:    runbook.Create,
		Content: strings.Join(ded, "\n") + "\n",
	})
	return j
}

func synapse(t testing.TB) *runbook.Guide {
	return readGuide(t, filepath.Join("..", "..", "guides", "synapse.rst"))
}

// TestRoughReader makes sure the helper itself reads synapse.rst sensibly,
// so the tests below test params rather than the helper.
func TestRoughReader(t *testing.T) {
	g := synapse(t)
	cmds, files := 0, 0
	for _, s := range g.Steps {
		switch s.(type) {
		case *runbook.Command:
			cmds++
		case *runbook.File:
			files++
		}
	}
	if g.Title != "Synapse" || cmds < 40 || files < 8 {
		t.Fatalf("rough reader: title %q, %d commands, %d files", g.Title, cmds, files)
	}
}
