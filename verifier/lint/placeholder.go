package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	runbook "github.com/runbookdev/runbook"
)

// directive matches an explicit markup start: `.. name::`, `.. name ::`, or
// a comment `.. text` when the name part is absent.
var directive = regexp.MustCompile(`^(\s*)\.\.\s+([A-Za-z][\w:-]*?)\s*::`)

// codeDirectives are the directives whose body is code, not prose.
var codeDirectives = map[string]bool{"code-block": true, "code": true, "sourcecode": true, "literalinclude": true}

// placeholderRE finds angle-bracket placeholders in steps when the guide
// carries no detected params (the params detector has not run).
var placeholderRE = regexp.MustCompile(`<[a-z][a-z0-9_-]*(?: [a-z0-9_-]+)*>`)

// checkUnexplainedPlaceholders reports placeholders used in steps that the
// prose never mentions, so a reader cannot know what to put there. It needs
// the source; without it there is no prose to read.
func checkUnexplainedPlaceholders(c *context) []runbook.Diagnostic {
	if len(c.lines) == 0 {
		return nil
	}
	pr := newProse(strings.ToLower(c.prose()))
	var out []runbook.Diagnostic
	for _, p := range c.placeholders() {
		pos, typed := c.firstInput(p)
		if !typed || pr.explains(p.Example) || c.shownBefore(p, pos) {
			continue
		}
		out = append(out, warn(pos, "unexplained-placeholder",
			fmt.Sprintf("Placeholder %s is used but the prose never says what to put in its place.", p.Example)))
	}
	return out
}

// explained reports whether a placeholder explains itself ("<your mysql
// password>") or the prose mentions it: with its brackets, as the phrase
// inside them, or word by word ("<adminuser>" after "Admin User: the name
// of the admin user").
func (pr *prose) explains(example string) bool {
	prose := pr.text
	ex := strings.ToLower(example)
	inner := strings.TrimSpace(strings.Trim(ex, "<>"))
	if strings.HasPrefix(inner, "your ") || strings.HasPrefix(inner, "my ") || strings.Contains(prose, ex) {
		return true
	}
	if inner == "" || wordIn(prose, inner) {
		return true
	}
	words := placeholderWords(example)
	for _, w := range words {
		if !wordIn(prose, w) {
			return len(inner) >= 6 && strings.Contains(pr.squashed(), squash(inner))
		}
	}
	return len(words) > 0
}

// prose is the guide's explanatory text, lower-cased.
type prose struct {
	text string
	sq   string // text squashed, computed when first needed
}

func newProse(text string) *prose { return &prose{text: text} }

// squashed returns the prose with only its letters and digits.
func (pr *prose) squashed() string {
	if pr.sq == "" {
		pr.sq = squash(pr.text)
	}
	return pr.sq
}

// placeholderWords splits a placeholder into lower-case words at
// punctuation and camelCase humps, leaving out numbers: "<port-1>" is a
// port, "<someRandomString>" is some random string.
func placeholderWords(example string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for _, r := range strings.Trim(example, "<>") {
		switch {
		case unicode.IsUpper(r):
			flush()
			cur = append(cur, r)
		case unicode.IsLetter(r):
			cur = append(cur, r)
		default:
			flush() // digits and punctuation separate words and are dropped
		}
	}
	flush()
	return words
}

// shownBefore reports whether the placeholder appears in the documented
// output of a command before its first use: the reader copies the value
// from there ("pwgen 32 1" printing "<randomSecret>").
func (c *context) shownBefore(p runbook.Param, first runbook.Pos) bool {
	for _, u := range p.Uses {
		if u.File == first.File && u.Line < first.Line && c.inOutput(u) {
			return true
		}
	}
	return false
}

// squash keeps only letters and digits, so "Admin User" and "adminuser" meet.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// firstInput returns the first place a placeholder is used where the reader
// must type or write it: a command, a file's content or an answer, not
// documented output (where "<latest version>" describes what a program
// prints). typed is false when it occurs only in output.
func (c *context) firstInput(p runbook.Param) (runbook.Pos, bool) {
	for _, u := range p.Uses {
		if !c.inOutput(u) {
			return u, true
		}
	}
	return runbook.Pos{}, false
}

// inOutput reports whether a position is on a documented output line that
// is not an answer typed by the reader.
func (c *context) inOutput(pos runbook.Pos) bool {
	for _, cmd := range c.commands() {
		i := pos.Line - cmd.ExpectLine
		if cmd.Pos.File != pos.File || i < 0 || i >= len(cmd.Expect) {
			continue
		}
		for _, a := range cmd.Answers {
			if a.Line == i && a.Kind != runbook.Hidden {
				return false
			}
		}
		return true
	}
	return false
}

// wordIn reports whether phrase occurs in text on word boundaries.
func wordIn(text, phrase string) bool {
	if phrase == "" {
		return false
	}
	for from := 0; ; {
		k := strings.Index(text[from:], phrase)
		if k < 0 {
			return false
		}
		start, end := from+k, from+k+len(phrase)
		if (start == 0 || !isWordByte(text[start-1])) && (end == len(text) || !isWordByte(text[end])) {
			return true
		}
		from = start + 1
	}
}

// isWordByte reports whether b belongs to a word.
func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// placeholders returns the guide's angle-bracket params; when the guide has no
// params at all they are found in the steps here, with the line of first use.
func (c *context) placeholders() []runbook.Param {
	var ps []runbook.Param
	for _, p := range c.g.Params {
		if p.Kind == runbook.ParamPlaceholder || (p.Secret && isPlaceholderText(p.Example)) {
			ps = append(ps, p) // "<password>" is a secret and a placeholder
		}
	}
	if len(c.g.Params) > 0 {
		return ps
	}
	seen := map[string]bool{}
	add := func(pos runbook.Pos, text string) {
		for _, m := range placeholderRE.FindAllString(text, -1) {
			if !seen[m] {
				seen[m] = true
				ps = append(ps, runbook.Param{Name: strings.Trim(m, "<>"), Example: m, Kind: runbook.ParamPlaceholder})
			}
			for k := range ps {
				if ps[k].Example == m {
					ps[k].Uses = append(ps[k].Uses, pos)
				}
			}
		}
	}
	for _, st := range c.g.Steps {
		switch s := st.(type) {
		case *runbook.Command:
			add(s.Pos, s.Text)
			for i, l := range s.Expect {
				add(runbook.Pos{File: s.Pos.File, Line: s.ExpectLine + i}, l)
			}
		case *runbook.File:
			if !slices.Contains([]string{"xml", "html", "php"}, s.Format) {
				add(s.Pos, s.Content)
			}
		}
	}
	return ps
}

// prose returns the text of every source file with code blocks, literal
// blocks and comments removed: what a reader reads as explanation.
func (c *context) prose() string {
	var sb strings.Builder
	names := make([]string, 0, len(c.lines))
	for n := range c.lines {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		for _, l := range proseLines(c.lines[n]) {
			sb.WriteString(l)
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// proseLines drops the bodies of code directives, literal blocks (after a
// paragraph ending in `::`) and comments from reST lines.
func proseLines(lines []string) []string {
	var out []string
	skipIndent := -1 // while >= 0, lines indented deeper than this are skipped
	for _, l := range lines {
		t := strings.TrimSpace(l)
		ind := len(l) - len(strings.TrimLeft(l, " \t"))
		if skipIndent >= 0 {
			if t == "" || ind > skipIndent {
				continue
			}
			skipIndent = -1
		}
		if strings.HasPrefix(t, "..") {
			m := directive.FindStringSubmatch(l)
			switch {
			case m != nil && codeDirectives[m[2]]:
				skipIndent = ind
				continue
			case m != nil:
				out = append(out, t) // an admonition's text counts as prose
				continue
			case !strings.Contains(t, "::"):
				skipIndent = ind // a comment or link target, with its indented body
				continue
			}
		}
		if strings.HasSuffix(t, "::") {
			skipIndent = ind
			t = strings.TrimSuffix(t, ":")
		}
		out = append(out, t)
	}
	return out
}
