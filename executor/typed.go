package executor

import (
	"encoding/base64"
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
//
// A line too long for the terminal, or control characters that the line
// discipline would act on (^C, ^U, ^W, ...), are sent base64-encoded.
func typedForm(text, token string) string {
	end := "__rb_" + token
	if longestLine(text) > maxQuoted || hasControl(text) && len(ansiCQuote(text)) > maxQuoted {
		var b strings.Builder
		enc := base64.StdEncoding.EncodeToString([]byte(text))
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\n")
			enc = enc[76:]
		}
		b.WriteString(enc)
		return "eval \"$(base64 -d <<'" + end + "'\n" + b.String() + "\n" + end + "\n)\""
	}
	if !strings.Contains(text, "\n") && !hasControl(text) {
		return text
	}
	if q := ansiCQuote(text); len(q) <= maxQuoted {
		return "eval " + q
	}
	return "eval \"$(cat <<'" + end + "'\n" + text + "\n" + end + "\n)\""
}

// longestLine is the length of the longest line in s.
func longestLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, len(l))
	}
	return n
}

// hasControl reports whether s has a control character other than tab and newline.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f
	})
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
