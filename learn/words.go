package learn

import (
	"strings"
)

// A small shell word splitter, enough to tell whether what a trainee typed is
// the step's command: quotes removed, `~` and `$HOME` expanded, operators as
// words of their own, heredoc bodies as one word. It does not run anything
// and does not expand other variables, globs or command substitutions: those
// stay as written on both sides, so they compare equal when written alike.
// (mvdan.cc/sh would parse more, but would be a new dependency for a
// comparison that needs only words.)

// word is one shell word as bash would pass it to the program.
type word struct {
	text string // after quote removal and expansion of ~ and $HOME
	src  string // as typed, for messages
	op   bool   // an operator (|, &&, ;, >, 2>&1, ...), not an argument
}

// key is what two words must share to be the same word.
func (w word) key() string {
	if w.op {
		return "\x00" + w.text
	}
	return w.text
}

// opChars start an operator.
const opChars = "|&;<>()"

// operators, longest first, so that "&&" is not read as two "&".
var operators = []string{"&>>", "<<<", "<<-", ">>", "<<", "&&", "||", ";;", ">&", "<&", "&>", ">|", "|&",
	"|", "&", ";", "<", ">", "(", ")"}

// splitter reads one command line.
type splitter struct {
	s     string
	i     int
	home  string
	words []word
	cur   strings.Builder
	start int  // where the current word began in s; -1 when none
	plain bool // the current word has no quoted part yet (for ~ at its start)
	// heredocs are the delimiters of heredocs whose bodies start at the next newline.
	heredocs []heredoc
}

type heredoc struct {
	delim string
	tabs  bool // <<- strips leading tabs
}

// shellWords splits a command line into words; home is what ~ and $HOME mean.
func shellWords(line, home string) []word {
	sp := &splitter{s: line, home: home, start: -1}
	sp.run()
	return trimSeparators(sp.words)
}

func (sp *splitter) run() {
	for sp.i < len(sp.s) {
		c := sp.s[sp.i]
		switch {
		case c == ' ' || c == '\t':
			sp.end()
			sp.i++
		case c == '\n':
			sp.end()
			sp.i++
			sp.bodies()
			sp.op(";", "\n")
		case c == '#' && sp.start < 0:
			sp.comment()
		case strings.IndexByte(opChars, c) >= 0:
			sp.operator()
		default:
			sp.wordPart()
		}
	}
	sp.end()
}

// wordPart reads the next piece of a word: a quoted string, an escape, a
// variable or a plain character.
func (sp *splitter) wordPart() {
	if sp.start < 0 {
		sp.start, sp.plain = sp.i, true
	}
	c := sp.s[sp.i]
	switch {
	case c == '\\':
		sp.escape()
	case c == '\'':
		sp.plain = false
		sp.single()
	case c == '$' && strings.HasPrefix(sp.s[sp.i:], "$'"):
		sp.plain = false
		sp.ansiC()
	case c == '`' || c == '$' && strings.HasPrefix(sp.s[sp.i:], "$("):
		sp.substitution()
	case c == '"':
		sp.plain = false
		sp.double()
	case c == '$':
		sp.dollar()
	case c == '~' && sp.plain && (sp.cur.Len() == 0 || sp.afterAssign()) && sp.tildeEnds(sp.i+1):
		sp.cur.WriteString(sp.home)
		sp.i++
	default:
		sp.cur.WriteByte(c)
		sp.i++
	}
}

// afterAssign reports whether the word so far is NAME=, after which bash
// expands a ~ as at a word's start.
func (sp *splitter) afterAssign() bool {
	src := sp.s[sp.start:sp.i]
	return strings.HasSuffix(src, "=") && strings.Count(src, "=") == 1 && isAssignment(src)
}

// tildeEnds reports whether a ~ is alone before j: the end, a slash or a word break.
func (sp *splitter) tildeEnds(j int) bool {
	return j >= len(sp.s) || strings.IndexByte("/: \t\n"+opChars, sp.s[j]) >= 0
}

// escape reads a backslash outside quotes: a line continuation, or the next character literally.
func (sp *splitter) escape() {
	if sp.i+1 >= len(sp.s) {
		sp.i++
		return
	}
	if sp.s[sp.i+1] == '\n' {
		sp.i += 2
		if sp.cur.Len() == 0 && sp.start == sp.i-2 {
			sp.start = -1
		}
		return
	}
	sp.plain = false
	sp.cur.WriteByte(sp.s[sp.i+1])
	sp.i += 2
}

// single reads '...', where nothing is special.
func (sp *splitter) single() {
	end := strings.IndexByte(sp.s[sp.i+1:], '\'')
	if end < 0 {
		sp.cur.WriteString(sp.s[sp.i+1:])
		sp.i = len(sp.s)
		return
	}
	sp.cur.WriteString(sp.s[sp.i+1 : sp.i+1+end])
	sp.i += end + 2
}

// ansiC reads $'...' with the escapes guides use.
func (sp *splitter) ansiC() {
	sp.i += 2
	for sp.i < len(sp.s) && sp.s[sp.i] != '\'' {
		c := sp.s[sp.i]
		if c == '\\' && sp.i+1 < len(sp.s) {
			sp.i++
			switch e := sp.s[sp.i]; e {
			case 'n':
				sp.cur.WriteByte('\n')
			case 't':
				sp.cur.WriteByte('\t')
			default:
				sp.cur.WriteByte(e)
			}
			sp.i++
			continue
		}
		sp.cur.WriteByte(c)
		sp.i++
	}
	sp.i = min(sp.i+1, len(sp.s))
}

// double reads "...", where \ escapes only $ ` " \ and a newline, and $HOME expands.
func (sp *splitter) double() {
	sp.i++
	for sp.i < len(sp.s) && sp.s[sp.i] != '"' {
		c := sp.s[sp.i]
		switch {
		case c == '\\' && sp.i+1 < len(sp.s) && strings.IndexByte("$`\"\\\n", sp.s[sp.i+1]) >= 0:
			if sp.s[sp.i+1] != '\n' {
				sp.cur.WriteByte(sp.s[sp.i+1])
			}
			sp.i += 2
		case c == '`' || c == '$' && strings.HasPrefix(sp.s[sp.i:], "$("):
			sp.substitution()
		case c == '$':
			sp.dollar()
		default:
			sp.cur.WriteByte(c)
			sp.i++
		}
	}
	sp.i = min(sp.i+1, len(sp.s))
}

// substitution keeps a command substitution, $(...) or `...`, as written:
// it is part of the word, whatever quotes and parentheses it holds.
func (sp *splitter) substitution() {
	start := sp.i
	if sp.s[sp.i] == '`' {
		end := strings.IndexByte(sp.s[sp.i+1:], '`')
		sp.i = len(sp.s)
		if end >= 0 {
			sp.i = start + end + 2
		}
		sp.cur.WriteString(sp.s[start:sp.i])
		return
	}
	depth := 0
	var quote byte
	for ; sp.i < len(sp.s); sp.i++ {
		c := sp.s[sp.i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				sp.i++
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\\':
			sp.i++
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
		if depth == 0 && c == ')' && quote == 0 {
			sp.i++
			break
		}
	}
	sp.i = min(sp.i, len(sp.s))
	sp.cur.WriteString(sp.s[start:sp.i])
}

// dollar reads a $ outside single quotes: $HOME and ${HOME} expand, any
// other variable stays as written.
func (sp *splitter) dollar() {
	rest := sp.s[sp.i:]
	for _, form := range []string{"${HOME}", "$HOME"} {
		if strings.HasPrefix(rest, form) && (form[1] == '{' || !nameByte(rest, len(form))) {
			sp.cur.WriteString(sp.home)
			sp.i += len(form)
			return
		}
	}
	sp.cur.WriteByte('$')
	sp.i++
}

// nameByte reports whether s[i] continues a variable name.
func nameByte(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// comment skips a # comment up to the end of the line.
func (sp *splitter) comment() {
	if nl := strings.IndexByte(sp.s[sp.i:], '\n'); nl >= 0 {
		sp.i += nl
		return
	}
	sp.i = len(sp.s)
}

// operator reads an operator; digits right before a redirection are part of it (2>&1).
func (sp *splitter) operator() {
	prefix := ""
	if sp.start >= 0 && sp.plain && isDigits(sp.s[sp.start:sp.i]) && strings.IndexByte("<>", sp.s[sp.i]) >= 0 {
		prefix = sp.s[sp.start:sp.i]
		sp.cur.Reset()
		sp.start = -1
	}
	sp.end()
	for _, o := range operators {
		if strings.HasPrefix(sp.s[sp.i:], o) {
			sp.op(prefix+o, prefix+o)
			sp.i += len(o)
			if o == "<<" || o == "<<-" {
				sp.heredocDelim(o == "<<-")
			}
			return
		}
	}
}

// heredocDelim reads the word after << and queues its body for the next newline.
func (sp *splitter) heredocDelim(tabs bool) {
	for sp.i < len(sp.s) && (sp.s[sp.i] == ' ' || sp.s[sp.i] == '\t') {
		sp.i++
	}
	for sp.i < len(sp.s) && strings.IndexByte(" \t\n"+opChars, sp.s[sp.i]) < 0 {
		sp.wordPart()
	}
	// The delimiter's name does not change the command, so it is no word.
	delim := sp.cur.String()
	sp.cur.Reset()
	sp.start = -1
	sp.heredocs = append(sp.heredocs, heredoc{delim: delim, tabs: tabs})
}

// bodies reads the bodies of the heredocs queued on the line just ended,
// each as one word.
func (sp *splitter) bodies() {
	for _, h := range sp.heredocs {
		var body []string
		for sp.i < len(sp.s) {
			line, next := sp.s[sp.i:], len(sp.s)
			if nl := strings.IndexByte(line, '\n'); nl >= 0 {
				line, next = line[:nl], sp.i+nl+1
			}
			sp.i = next
			if h.tabs {
				line = strings.TrimLeft(line, "\t")
			}
			if line == h.delim {
				break
			}
			body = append(body, strings.TrimRight(line, " \t"))
		}
		text := strings.Join(body, "\n")
		sp.words = append(sp.words, word{text: text, src: text})
	}
	sp.heredocs = nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// end finishes the current word, if any.
func (sp *splitter) end() {
	if sp.start < 0 {
		return
	}
	sp.words = append(sp.words, word{text: sp.cur.String(), src: sp.s[sp.start:sp.i]})
	sp.cur.Reset()
	sp.start = -1
}

func (sp *splitter) op(text, src string) {
	sp.words = append(sp.words, word{text: text, src: src, op: true})
}

// trimSeparators drops leading, trailing and repeated command separators
// (";" and newlines), which do not change what runs.
func trimSeparators(ws []word) []word {
	out := ws[:0]
	for _, w := range ws {
		sep := w.op && w.text == ";"
		if sep && (len(out) == 0 || out[len(out)-1].op && out[len(out)-1].text == ";") {
			continue
		}
		out = append(out, w)
	}
	for len(out) > 0 && out[len(out)-1].op && out[len(out)-1].text == ";" {
		out = out[:len(out)-1]
	}
	return out
}

// program is what a command runs: its first word that is not a variable
// assignment (inside a subshell's parenthesis too), or for a line of
// assignments alone the first variable's name and "=".
func program(ws []word) string {
	first := ""
	for _, w := range ws {
		switch {
		case w.op && w.text == "(" && first == "":
			continue
		case w.op:
			return first
		case isAssignment(w.src):
			if first == "" {
				name, _, _ := strings.Cut(w.src, "=")
				first = name + "="
			}
		default:
			return w.text
		}
	}
	return first
}

// isAssignment reports whether a word as typed is NAME=value.
func isAssignment(src string) bool {
	name, _, ok := strings.Cut(src, "=")
	if !ok || name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !nameByte(name, i) || i == 0 && name[0] >= '0' && name[0] <= '9' {
			return false
		}
	}
	return true
}
