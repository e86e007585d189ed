package lint

import (
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// context is what every check reads: the guide, its source split in lines,
// and the content blocks gathered once.
type context struct {
	g      *runbook.Guide
	lines  map[string][]string // source lines by file name, without line ends
	blocks []block
}

// block is a content block (a File or a Manual step with content) with what
// the checks need to know about it.
type block struct {
	head    *runbook.Header
	path    string // target file, if the guide names one
	format  string // "json", "yaml", "ini", ... or ""
	content string
	start   int  // source line of the first content line
	manual  bool // a Manual step: shown, not written
}

func newContext(g *runbook.Guide, src Source) *context {
	c := &context{g: g, lines: map[string][]string{}}
	for name, b := range src {
		s := strings.ReplaceAll(string(b), "\r\n", "\n")
		c.lines[name] = strings.Split(s, "\n")
	}
	for _, st := range g.Steps {
		var b block
		switch s := st.(type) {
		case *runbook.File:
			b = block{head: &s.Header, path: s.Path, format: formatOf(s.Format, s.Lang, s.Path), content: s.Content}
		case *runbook.Manual:
			if strings.TrimSpace(s.Content) == "" {
				continue
			}
			b = block{head: &s.Header, path: s.Path, format: formatOf(s.Format, s.Lang, s.Path), content: s.Content, manual: true}
		default:
			continue
		}
		b.start = c.contentStart(b.head.Pos, b.content)
		c.blocks = append(c.blocks, b)
	}
	return c
}

// line returns source line n (1-based) of file, if the source is known.
func (c *context) line(file string, n int) (string, bool) {
	ls, ok := c.lines[file]
	if !ok || n < 1 || n > len(ls) {
		return "", false
	}
	return ls[n-1], true
}

// contentStart finds the source line of a block's first content line. The
// step's Pos may be the directive line or the first content line; with the
// source at hand the first non-blank content line is looked up just after
// Pos, so that positions inside the block are exact either way.
func (c *context) contentStart(pos runbook.Pos, content string) int {
	ls := strings.Split(content, "\n")
	first := -1
	for i, l := range ls {
		if strings.TrimSpace(l) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return pos.Line
	}
	want := strings.TrimSpace(ls[first])
	for n := pos.Line; n < pos.Line+40; n++ {
		l, ok := c.line(pos.File, n)
		if !ok {
			break
		}
		if strings.TrimSpace(l) == want {
			return n - first
		}
	}
	return pos.Line
}

// at is the position of line i (0-based) of a block's content.
func (b block) at(i int) runbook.Pos {
	return runbook.Pos{File: b.head.Pos.File, Line: b.start + i}
}

// formatOf decides a content block's format from what the parser inferred,
// then the declared language, then the target's extension.
func formatOf(format, lang, target string) string {
	for _, f := range []string{format, lang, strings.TrimPrefix(path.Ext(target), ".")} {
		switch strings.ToLower(f) {
		case "json":
			return "json"
		case "yaml", "yml":
			return "yaml"
		case "ini", "dosini", "cfg", "supervisord":
			return "ini"
		case "", "text", "none", "console", "shell-session", "bash-session", "sh-session", "default":
			continue
		default:
			return strings.ToLower(f)
		}
	}
	return ""
}

// hasElision reports whether any line of the content is an elision line.
func hasElision(content string) bool {
	for _, l := range strings.Split(content, "\n") {
		if runbook.IsElisionLine(l) {
			return true
		}
	}
	return false
}

// commands returns the guide's command steps in order.
func (c *context) commands() []*runbook.Command {
	var cs []*runbook.Command
	for _, st := range c.g.Steps {
		if cmd, ok := st.(*runbook.Command); ok {
			cs = append(cs, cmd)
		}
	}
	return cs
}

// warn builds a warning finding.
func warn(pos runbook.Pos, id, msg string) runbook.Diagnostic {
	return runbook.Diagnostic{Pos: pos, Severity: runbook.Warning, ID: id, Message: msg}
}
