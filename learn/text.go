package learn

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Style is how a run of text is shown: each maps to an SGR sequence on a
// colour terminal, and to plain text (literals in backquotes) with NO_COLOR.
type Style uint8

// The styles of the walkthrough's text.
const (
	Plain    Style = iota
	Literal        // commands, paths, options: ``x`` in reST
	Strong         // **x**
	Emphasis       // *x*
	Good           // "done"
	Bad            // what differs
	Dim            // prompts, footers, secondary text
	Heading        // the step's title bar
	Code           // documented output: coloured like a literal, without backquotes when plain
)

// sgr is the SGR sequence of each style on a colour terminal.
var sgr = map[Style]string{
	Literal: "\x1b[36m", Strong: "\x1b[1m", Emphasis: "\x1b[3m", Good: "\x1b[1;32m",
	Bad: "\x1b[1;33m", Dim: "\x1b[2m", Heading: "\x1b[1m", Code: "\x1b[36m",
}

// Span is a run of text in one style.
type Span struct {
	Text  string
	Style Style
}

// Text is a paragraph as spans; it is wrapped only when rendered, so it
// fits whatever width the terminal has then.
type Text []Span

// lit marks s as a literal in a message built with say.
func lit(s string) Span { return Span{Text: s, Style: Literal} }

// say builds a message: each %s in format takes the next argument, a Span
// in its own style or anything else as plain text.
func say(format string, args ...any) Text {
	var t Text
	parts := strings.Split(format, "%s")
	for i, p := range parts {
		if p != "" {
			t = append(t, Span{Text: p})
		}
		if i < len(args) && i < len(parts)-1 {
			switch a := args[i].(type) {
			case Span:
				t = append(t, a)
			default:
				t = append(t, Span{Text: fmt.Sprint(a)})
			}
		}
	}
	return t
}

// styled wraps all of t in one style (a Good "done", a Dim footer).
func styled(t Text, s Style) Text {
	out := make(Text, len(t))
	for i, sp := range t {
		if sp.Style == Plain {
			sp.Style = s
		}
		out[i] = sp
	}
	return out
}

// Render wraps t to width columns, each line starting with indent, and
// ends every line with "\r\n"-free "\n"; color false gives plain text.
func Render(t Text, width int, indent string, color bool) string {
	var b strings.Builder
	for _, line := range wrap(t, max(width-utf8.RuneCountInString(indent), 20)) {
		b.WriteString(indent)
		for _, sp := range merged(line) {
			b.WriteString(paint(sp, color))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// merged joins neighbouring spans of one style, so a literal of several
// words is one literal.
func merged(line Text) Text {
	var out Text
	for _, sp := range line {
		if n := len(out); n > 0 && out[n-1].Style == sp.Style {
			out[n-1].Text += sp.Text
			continue
		}
		out = append(out, sp)
	}
	return out
}

// paint renders one span.
func paint(sp Span, color bool) string {
	if !color {
		if sp.Style == Literal {
			return "`" + sp.Text + "`"
		}
		return sp.Text
	}
	if code := sgr[sp.Style]; code != "" && sp.Text != "" {
		return code + sp.Text + "\x1b[0m"
	}
	return sp.Text
}

// token is a piece of a line that wrapping does not split: a word with
// the spaces after it dropped at a line end.
type token struct {
	text  string
	style Style
	space bool // a space follows
	glue  bool // no space before: it continues the previous token ("``x``," is one word)
	brk   bool // a line break: the text goes on on a new line
}

// tokens splits spans at spaces, keeping each piece's style; a newline is a line break.
func tokens(t Text) []token {
	var out []token
	for _, sp := range t {
		for i, part := range strings.Split(sp.Text, "\n") {
			if i > 0 {
				out = append(out, token{brk: true})
			}
			out = appendTokens(out, Span{Text: part, Style: sp.Style})
		}
	}
	return out
}

// appendTokens adds the words of one span without line breaks.
func appendTokens(out []token, sp Span) []token {
	s := sp.Text
	glue := s != "" && s[0] != ' '
	for s != "" {
		if s[0] == ' ' {
			if n := len(out); n > 0 {
				out[n-1].space = true
			}
			s = strings.TrimLeft(s, " ")
			glue = false
			continue
		}
		end := strings.IndexByte(s, ' ')
		if end < 0 {
			end = len(s)
		}
		prev := len(out) > 0 && !out[len(out)-1].space && !out[len(out)-1].brk
		out = append(out, token{text: s[:end], style: sp.Style, glue: glue && prev})
		s = s[end:]
		glue = false
	}
	return out
}

// wrap breaks t into lines of at most width runes (counting a literal's
// backquotes, which NO_COLOR shows); a word longer than a line is cut.
func wrap(t Text, width int) []Text {
	var lines []Text
	var line Text
	col := 0
	for _, tk := range glued(tokens(t)) {
		if tk[0].brk {
			lines = append(lines, line)
			line, col = nil, 0
			continue
		}
		w := tokenWidth(tk)
		if col > 0 && col+1+w > width {
			lines = append(lines, line)
			line, col = nil, 0
		}
		if col > 0 {
			// A space inside a literal is part of the literal.
			sep := Span{Text: " "}
			if last := line[len(line)-1]; last.Style == tk[0].style {
				sep.Style = last.Style
			}
			line = append(line, sep)
			col++
		}
		for _, piece := range tk {
			for col+pieceWidth(piece) > width && col < width && pieceWidth(piece) > width {
				n := width - col - literalExtra(piece)
				if n <= 0 {
					break
				}
				head, rest := cutRunes(piece.text, n)
				line = append(line, Span{Text: head, Style: piece.style})
				lines = append(lines, line)
				line, col = nil, 0
				piece.text = rest
			}
			line = append(line, Span{Text: piece.text, Style: piece.style})
			col += pieceWidth(piece)
		}
	}
	if len(line) > 0 || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// glued groups tokens that touch ("“x“," is a literal and a comma) into words.
func glued(ts []token) [][]token {
	var out [][]token
	for _, tk := range ts {
		if tk.glue && len(out) > 0 {
			out[len(out)-1] = append(out[len(out)-1], tk)
			continue
		}
		out = append(out, []token{tk})
	}
	return out
}

func tokenWidth(tk []token) int {
	n := 0
	for _, p := range tk {
		n += pieceWidth(p)
	}
	return n
}

func pieceWidth(p token) int { return utf8.RuneCountInString(p.text) + literalExtra(p) }

// literalExtra is the room a literal's backquotes take without colour;
// counted always, so that the same text wraps the same way either way.
func literalExtra(p token) int {
	if p.style == Literal {
		return 2
	}
	return 0
}

// cutRunes splits s after n runes.
func cutRunes(s string, n int) (string, string) {
	i := 0
	for k := range s {
		if i == n {
			return s[:k], s[k:]
		}
		i++
	}
	return s, ""
}
