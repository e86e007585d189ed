package learn

import "strings"

// commandLines breaks a command for a screen: each of its lines, and a
// line wider than room (first for the line after the prompt, rest for the
// lines after "> ") broken at a space outside quotes, ending with " \" so
// that typing it as shown is the same command. A heredoc's body is never
// broken, and a line with no such space is left as it is.
func commandLines(text string, first, rest int) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		room := first
		if len(out) > 0 {
			room = rest
		}
		if strings.Contains(text, "<<") {
			out = append(out, line)
			continue
		}
		for len([]rune(line)) > room {
			at := breakAt(line, room-2)
			if at <= 0 {
				break
			}
			out = append(out, line[:at]+" \\")
			line = strings.TrimLeft(line[at:], " ")
			room = rest
		}
		out = append(out, line)
	}
	return out
}

// breakAt is the byte offset of the last space outside quotes before
// column limit, or -1 when there is none.
func breakAt(line string, limit int) int {
	best, quote, col := -1, byte(0), 0
	for i := 0; i < len(line) && col <= limit; i++ {
		c := line[i]
		if c&0xc0 != 0x80 {
			col++
		}
		switch {
		case quote == 0 && c == '\\':
			i++
			col++
		case quote == '"' && c == '\\':
			i++
			col++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote == 0 && c == ' ' && i > 0 && col <= limit:
			best = i
		}
	}
	return best
}
