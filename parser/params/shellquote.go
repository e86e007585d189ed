package params

import (
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/quote"
)

// shState is the bash quoting an example value stands in.
type shState int

const (
	shPlain      shState = iota // an unquoted word
	shSingle                    // '…'
	shDouble                    // "…"
	shANSIC                     // $'…'
	shComment                   // # … to the end of the line
	shHereRaw                   // a here-document whose delimiter is quoted
	shHereExpand                // a here-document the shell expands
)

// escapeShell writes v as the shell must receive it in state st, so that
// the command gets exactly v.
func escapeShell(st shState, v string) string {
	switch st {
	case shPlain:
		return quote.ShellWord(v)
	case shSingle:
		return quote.ShellSingle(v)
	case shDouble:
		return quote.ShellDouble(v)
	case shANSIC:
		return quote.ANSIC(v)
	case shHereExpand:
		return quote.HereDoc(v)
	}
	return v
}

// forwardShell substitutes values into a bash command or script, each
// escaped for the quoting it lands in.
func forwardShell(r *runbook.Replacer, text string) string {
	return forwardWords(r, text, escapeShell)
}

// forwardWords substitutes values into shell-like text, escaping each by
// esc for the quoting it lands in.
func forwardWords(r *runbook.Replacer, text string, esc func(shState, string) string) string {
	ms := r.ForwardMatches(text)
	if len(ms) == 0 {
		return text
	}
	states := shellStates(text, ms)
	edits := make([]edit, len(ms))
	for i, m := range ms {
		edits[i] = edit{m.Start, m.End, esc(states[i], conninfoValue(text, m))}
	}
	return applyEdits(text, edits)
}

// edit replaces text[start:end].
type edit struct {
	start, end int
	text       string
}

// applyEdits applies edits sorted by start that do not overlap.
func applyEdits(text string, edits []edit) string {
	var b strings.Builder
	last := 0
	for _, e := range edits {
		if e.start < last {
			continue
		}
		b.WriteString(text[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.WriteString(text[last:])
	return b.String()
}

// shFrame is one level of nesting: a quoted string, a comment, a $(…) or
// `…` substitution (close says which), or a here-document body.
type shFrame struct {
	state shState
	close byte // for a substitution in shPlain: ')' or '`'
	depth int  // open parentheses inside a $(…)
	delim string
	dash  bool // <<-: the delimiter line may start with tabs
}

// shellLexer follows bash's quoting through a command; it knows no more of
// the grammar than where quotes, comments and here-documents start and end.
type shellLexer struct {
	stack   []shFrame
	pending []shFrame // here-documents whose bodies start at the next line
}

// shellStates returns the quoting each match starts in.
func shellStates(s string, ms []runbook.Match) []shState {
	out := make([]shState, len(ms))
	lx := &shellLexer{stack: []shFrame{{state: shPlain}}}
	m := 0
	for i := 0; i < len(s); {
		for m < len(ms) && ms[m].Start <= i {
			out[m] = lx.top().state
			if ms[m].Start == i {
				i = ms[m].End
			}
			m++
		}
		if i < len(s) {
			i = lx.step(s, i)
		}
	}
	return out
}

func (lx *shellLexer) top() *shFrame  { return &lx.stack[len(lx.stack)-1] }
func (lx *shellLexer) push(f shFrame) { lx.stack = append(lx.stack, f) }

func (lx *shellLexer) pop() {
	if len(lx.stack) > 1 {
		lx.stack = lx.stack[:len(lx.stack)-1]
	}
}

// step consumes what starts at s[i] and returns where the next thing starts.
func (lx *shellLexer) step(s string, i int) int {
	f := lx.top()
	c := s[i]
	switch f.state {
	case shComment:
		if c == '\n' {
			lx.pop()
			return lx.newline(i)
		}
	case shSingle:
		if c == '\'' {
			lx.pop()
		}
	case shANSIC:
		if c == '\\' {
			return i + 2
		}
		if c == '\'' {
			lx.pop()
		}
	case shDouble:
		return lx.double(s, i)
	case shHereRaw, shHereExpand:
		return lx.hereLine(s, i)
	default:
		return lx.plain(s, i)
	}
	return i + 1
}

// double steps through a "…" string.
func (lx *shellLexer) double(s string, i int) int {
	switch {
	case s[i] == '\\':
		return i + 2
	case s[i] == '"':
		lx.pop()
	case strings.HasPrefix(s[i:], "$("):
		lx.push(shFrame{state: shPlain, close: ')'})
		return i + 2
	case s[i] == '`':
		lx.push(shFrame{state: shPlain, close: '`'})
	}
	return i + 1
}

// plain steps through unquoted text.
func (lx *shellLexer) plain(s string, i int) int {
	f := lx.top()
	switch c := s[i]; {
	case c == '\\':
		return i + 2
	case c == '\'':
		lx.push(shFrame{state: shSingle})
	case c == '"':
		lx.push(shFrame{state: shDouble})
	case strings.HasPrefix(s[i:], "$'"):
		lx.push(shFrame{state: shANSIC})
		return i + 2
	case strings.HasPrefix(s[i:], "$("):
		lx.push(shFrame{state: shPlain, close: ')'})
		return i + 2
	case c == '`' && f.close == '`':
		lx.pop()
	case c == '`':
		lx.push(shFrame{state: shPlain, close: '`'})
	case c == '(' && f.close == ')':
		f.depth++
	case c == ')' && f.close == ')':
		if f.depth == 0 {
			lx.pop()
		} else {
			f.depth--
		}
	case c == '#' && (i == 0 || strings.IndexByte(" \t\n;&|()", s[i-1]) >= 0):
		lx.push(shFrame{state: shComment})
	case strings.HasPrefix(s[i:], "<<") && !strings.HasPrefix(s[i:], "<<<"):
		return lx.heredoc(s, i+2)
	case c == '\n':
		return lx.newline(i)
	}
	return i + 1
}

// heredoc reads a here-document's delimiter after "<<"; its body starts
// at the next line.
func (lx *shellLexer) heredoc(s string, i int) int {
	f := shFrame{state: shHereExpand}
	if i < len(s) && s[i] == '-' {
		f.dash = true
		i++
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	start := i
	for i < len(s) && strings.IndexByte(" \t\n;&|<>()", s[i]) < 0 {
		i++
	}
	word := s[start:i]
	if word == "" {
		return i
	}
	if strings.ContainsAny(word, `'"\`) {
		f.state = shHereRaw
		word = strings.NewReplacer(`'`, "", `"`, "", `\`, "").Replace(word)
	}
	f.delim = word
	lx.pending = append(lx.pending, f)
	return i
}

// newline ends a line of commands at s[i]: here-documents announced on it
// start, the first one on top.
func (lx *shellLexer) newline(i int) int {
	for k := len(lx.pending) - 1; k >= 0; k-- {
		lx.push(lx.pending[k])
	}
	lx.pending = nil
	return i + 1
}

// hereLine steps through a here-document body; its delimiter line ends it.
func (lx *shellLexer) hereLine(s string, i int) int {
	f := lx.top()
	if i > 0 && s[i-1] != '\n' {
		return i + 1
	}
	end := strings.IndexByte(s[i:], '\n')
	if end < 0 {
		end = len(s) - i
	}
	line := s[i : i+end]
	if f.dash {
		line = strings.TrimLeft(line, "\t")
	}
	if line == f.delim {
		lx.pop()
		return i + end + 1
	}
	return i + 1
}
