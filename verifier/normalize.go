package verifier

import (
	"strings"
	"unicode/utf8"
)

// Normalize turns raw terminal output (or documented text) into the lines a
// reader sees: escape sequences removed, progress-bar carriage returns
// collapsed to their last segment, tabs expanded, "…" spelled "...",
// trailing spaces dropped. Invalid UTF-8 becomes U+FFFD, so binary output
// cannot break matching. A final newline does not make an extra line.
func Normalize(text string) []string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = stripEscapes(text)
	text = strings.TrimSuffix(text, "\n")
	text = strings.TrimSuffix(text, "\r")
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = NormalizeLine(l)
	}
	return lines
}

// NormalizeLine normalises one line that holds no newline; escape
// sequences must already be gone (Normalize removes them first).
func NormalizeLine(line string) string {
	if isPlainASCII(line) {
		return strings.TrimRight(line, " ")
	}
	if strings.IndexByte(line, '\r') >= 0 {
		line = lastSegment(line)
	}
	var b strings.Builder
	b.Grow(len(line))
	col := 0
	for _, r := range line {
		switch {
		case r == '\t':
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case r == '\b':
			s := b.String()
			if _, size := utf8.DecodeLastRuneInString(s); size > 0 {
				b.Reset()
				b.WriteString(s[:len(s)-size])
				col--
			}
		case r == '…':
			b.WriteString("...")
			col += 3
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// other control characters do not print
		default:
			b.WriteRune(r)
			col++
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// isPlainASCII reports whether line has only printable ASCII, the common
// case that needs nothing but trailing spaces dropped.
func isPlainASCII(line string) bool {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// lastSegment keeps what a terminal shows after carriage returns: the last
// segment that is not blank (a progress bar redrawn in place, or cleared
// with spaces before the final text).
func lastSegment(line string) string {
	segs := strings.Split(line, "\r")
	for i := len(segs) - 1; i >= 0; i-- {
		if strings.TrimRight(segs[i], " \t") != "" {
			return segs[i]
		}
	}
	return ""
}

// stripEscapes removes ANSI/VT escape sequences: CSI (colours, cursor
// moves, erase), OSC (titles, hyperlinks), DCS/SOS/PM/APC strings and the
// short two-byte forms, plus their 8-bit C1 spellings.
func stripEscapes(s string) string {
	if strings.IndexByte(s, 0x1b) < 0 && !strings.Contains(s, "\u009b") && !strings.Contains(s, "\u009d") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			i = skipEscape(s, i+1)
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0x9b: // C1 CSI
			i = skipCSI(s, i+2)
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0x9d: // C1 OSC
			i = skipString(s, i+2)
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// skipEscape returns the index after the escape sequence whose ESC is at i-1.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f { // intermediates, e.g. ESC ( B
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte; a
// malformed sequence ends at the first byte that cannot belong to it.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips an OSC/DCS-style string up to BEL or ST (ESC \). An
// unterminated string stops at the end of its line rather than swallowing
// the rest of the output.
func skipString(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case 0x07:
			return i + 1
		case '\n':
			return i
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x9c { // C1 ST
				return i + 2
			}
		}
		i++
	}
	return i
}
