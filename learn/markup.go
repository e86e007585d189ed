package learn

import (
	"regexp"
	"strings"
)

// Inline markup of a guide's prose, read for a terminal: literals are
// highlighted, links show their text, roles such as :manual: show their
// text (a role that names code, such as :file:, is a literal), emphasis
// and strong emphasis keep their style. Anything not understood is shown
// as written, so no text is ever lost.

// literalRoleNames are the roles whose text is code, shown as a literal.
var literalRoleNames = map[string]bool{
	"file": true, "code": true, "literal": true, "samp": true, "command": true, "program": true,
	"envvar": true, "option": true, "kbd": true, "makevar": true, "mimetype": true,
}

// reRole is a role's name right before its interpreted text.
var reRole = regexp.MustCompile(`^:([\w.+-]+(?::[\w.+-]+)?):` + "`")

// ProseText reads a paragraph's inline markup; markdown selects Markdown's
// rules instead of reStructuredText's.
func ProseText(text string, markdown bool) Text {
	if markdown {
		return markdownText(text)
	}
	return rstText(text)
}

// inline is a shared reader for both markups: it collects spans, merging
// plain text.
type inline struct {
	s   string
	i   int
	out Text
}

func (in *inline) add(text string, st Style) {
	if text == "" {
		return
	}
	if n := len(in.out); n > 0 && in.out[n-1].Style == st && st == Plain {
		in.out[n-1].Text += text
		return
	}
	in.out = append(in.out, Span{Text: text, Style: st})
}

// char reads one character as plain text, or the one a backslash escapes.
func (in *inline) char(rest string) {
	if rest[0] == '\\' && len(rest) > 1 {
		in.add(rest[1:2], Plain)
		in.i += 2
		return
	}
	in.add(rest[:1], Plain)
	in.i++
}

// until returns the text up to the next delim (from the current position)
// and moves past it; ok is false when there is none.
func (in *inline) until(delim string) (string, bool) {
	end := strings.Index(in.s[in.i:], delim)
	if end <= 0 {
		return "", false
	}
	text := in.s[in.i : in.i+end]
	in.i += end + len(delim)
	return text, true
}

// rstText reads reStructuredText inline markup.
func rstText(s string) Text {
	in := &inline{s: s}
	for in.i < len(s) {
		rest := s[in.i:]
		switch {
		case strings.HasPrefix(rest, "``"):
			in.i += 2
			if t, ok := in.until("``"); ok {
				in.add(t, Literal)
			} else {
				in.add("``", Plain)
			}
		case rest[0] == ':' && reRole.MatchString(rest):
			in.role(reRole.FindStringSubmatch(rest))
		case rest[0] == '`':
			in.interpreted()
		case strings.HasPrefix(rest, "**"):
			in.emphasis("**", Strong)
		case rest[0] == '*':
			in.emphasis("*", Emphasis)
		case rest[0] == '_' && in.reference():
			in.i += len(rest) - len(strings.TrimLeft(rest, "_"))
		default:
			in.char(rest)
		}
	}
	return in.out
}

// reference reports whether the underscores at the reader end a simple
// reference name ("PHP_", "Composer__"): a word right before them and no
// word right after, so that snake_case stays as written.
func (in *inline) reference() bool {
	if in.i == 0 || !wordByte(in.s[in.i-1]) {
		return false
	}
	after := strings.TrimLeft(in.s[in.i:], "_")
	return len(in.s[in.i:])-len(after) <= 2 && (after == "" || !wordByte(after[0]))
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// role reads :name:`text`, showing its text (or its target, when it has
// only one) as a literal for code roles, else plainly.
func (in *inline) role(m []string) {
	start := in.i
	in.i += len(m[0])
	t, ok := in.until("`")
	if !ok {
		in.i = start
		in.add(m[0], Plain)
		in.i += len(m[0])
		return
	}
	name := m[1]
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:] // :py:func: is func
	}
	style := Plain
	if literalRoleNames[name] {
		style = Literal
	}
	in.add(linkText(t), style)
}

// interpreted reads `text`, `text <url>`_ (a link) or `text`__.
func (in *inline) interpreted() {
	start := in.i
	in.i++
	t, ok := in.until("`")
	if !ok {
		in.i = start + 1
		in.add("`", Plain)
		return
	}
	switch {
	case strings.HasPrefix(in.s[in.i:], "__"):
		in.i += 2
		in.add(linkText(t), Plain)
	case strings.HasPrefix(in.s[in.i:], "_"):
		in.i++
		in.add(linkText(t), Plain)
	case reTrailingRole.MatchString(in.s[in.i:]):
		in.i += len(reTrailingRole.FindString(in.s[in.i:]))
		in.add(linkText(t), Plain)
	default:
		in.add(t, Emphasis) // the default role, which Sphinx shows in italics
	}
}

// reTrailingRole is a role written after its text: `text`:role:.
var reTrailingRole = regexp.MustCompile(`^:[\w.+-]+:`)

// linkText is what a link shows: "text <target>" shows text; a bare
// target shows itself.
func linkText(t string) string {
	t = strings.TrimSpace(t)
	if strings.HasSuffix(t, ">") {
		if i := strings.LastIndex(t, "<"); i > 0 {
			if text := strings.TrimSpace(t[:i]); text != "" {
				return text
			}
		} else if i == 0 {
			return t[1 : len(t)-1]
		}
	}
	return t
}

// emphasis reads text between delim pairs; a delim followed by a space is
// just a character ("2 * 3").
func (in *inline) emphasis(delim string, st Style) {
	after := in.i + len(delim)
	if after >= len(in.s) || in.s[after] == ' ' {
		in.add(delim, Plain)
		in.i = after
		return
	}
	in.i = after
	if t, ok := in.until(delim); ok && !strings.HasSuffix(t, " ") {
		in.add(t, st)
		return
	}
	in.i = after
	in.add(delim, Plain)
}

// reMDLink is [text](url) or [text][ref], with an optional ! for images.
var reMDLink = regexp.MustCompile(`^!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])`)

// reAutolink is <https://...>.
var reAutolink = regexp.MustCompile(`^<((?:https?|mailto|ftp):[^>\s]+)>`)

// markdownText reads Markdown inline markup.
func markdownText(s string) Text {
	in := &inline{s: s}
	for in.i < len(s) {
		rest := s[in.i:]
		switch {
		case rest[0] == '`':
			in.codeSpan()
		case reMDLink.MatchString(rest):
			m := reMDLink.FindStringSubmatch(rest)
			in.out = append(in.out, markdownText(m[1])...)
			in.i += len(m[0])
		case rest[0] == '<' && reAutolink.MatchString(rest):
			m := reAutolink.FindStringSubmatch(rest)
			in.add(m[1], Plain)
			in.i += len(m[0])
		case strings.HasPrefix(rest, "**") || strings.HasPrefix(rest, "__"):
			in.emphasis(rest[:2], Strong)
		case rest[0] == '*' || rest[0] == '_' && (in.i == 0 || s[in.i-1] == ' '):
			in.emphasis(rest[:1], Emphasis)
		default:
			in.char(rest)
		}
	}
	return in.out
}

// codeSpan reads a Markdown code span: a run of backticks up to the same run.
func (in *inline) codeSpan() {
	n := 0
	for in.i+n < len(in.s) && in.s[in.i+n] == '`' {
		n++
	}
	fence := in.s[in.i : in.i+n]
	in.i += n
	t, ok := in.until(fence)
	if !ok {
		in.add(fence, Plain)
		return
	}
	if len(t) > 2 && t[0] == ' ' && t[len(t)-1] == ' ' {
		t = t[1 : len(t)-1]
	}
	in.add(t, Literal)
}
