package executor

import (
	"fmt"
	"strings"
)

// maxQuoted bounds the one-line form of a multi-line command: a terminal in
// canonical mode drops whatever goes past 4095 bytes in one line.
const maxQuoted = 3500

// typedForm is what runbook types for a command. A command of several lines
// would give bash several prompts (one per complete command in it), and a
// step must end at exactly one sentinel, so such a text is handed to eval as
// one line; a long one goes through a quoted heredoc, line by line as written.
func typedForm(text, token string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	if q := ansiCQuote(text); len(q) <= maxQuoted {
		return "eval " + q
	}
	end := "__rb_" + token
	return "eval \"$(cat <<'" + end + "'\n" + text + "\n" + end + "\n)\""
}

// ansiCQuote quotes s as a bash $'...' string, with no control characters left in it.
func ansiCQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
