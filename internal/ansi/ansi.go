// Package ansi removes terminal escape sequences, for the executor (which
// matches prompts in live output) and the verifier (which compares output
// with the guide): one definition of what a reader does not see.
package ansi

import "strings"

// Strip removes ANSI/VT escape sequences: CSI (colours, cursor
// moves, erase), OSC (titles, hyperlinks), DCS/SOS/PM/APC strings and the
// short two-byte forms, plus their 8-bit C1 spellings.
func Strip(s string) string {
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
