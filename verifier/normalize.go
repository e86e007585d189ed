package verifier

import (
	"strings"
	"unicode/utf8"

	"github.com/runbookdev/runbook/internal/ansi"
)

// Normalize turns raw terminal output (or documented text) into the lines a
// reader sees: escape sequences removed, progress-bar carriage returns
// collapsed to their last segment, tabs expanded, "…" spelled "...",
// trailing spaces dropped. Invalid UTF-8 becomes U+FFFD, so binary output
// cannot break matching. A final newline does not make an extra line.
func Normalize(text string) []string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = ansi.Strip(text)
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
