package parser

import (
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// itemKind says what a front end (reST or Markdown) found; the builder turns
// the resulting flat stream into sections and steps, so both front ends share
// one set of inference rules.
type itemKind int

const (
	itemTitle    itemKind = iota // a section title
	itemProse                    // a paragraph (or admonition text) a reader sees
	itemBlock                    // a literal or code block
	itemOverride                 // a runbook override comment for the next block
	itemInclude                  // an include directive that was read; text is the paragraph right before it
)

// item is one unit of the document stream.
type item struct {
	kind  itemKind
	pos   runbook.Pos // title/paragraph line; for a block its first content line
	start int         // for a block: the line of its directive or `::` paragraph
	text  string      // title or prose text
	level int         // for a title: 1 for the document title
	lang  string      // for a block: the declared (or default) language
	lines []string    // for a block: the dedented lines
	// indent is the block's common indentation in the source, kept so that
	// `update` can write output back in place.
	indent  string
	caption string    // a code-block :caption: or :name:, which may name the file
	aside   bool      // for a block or a paragraph: it sits in an admonition, an aside from the main text
	label   string    // for a paragraph: the admonition it opens ("note"), or ""
	ovr     *override // for an override comment
	// incl numbers the include instance the item comes from (0 for the
	// guide itself), so a file included twice yields steps that can be told apart.
	incl int
}

// expandTabs replaces tabs in the leading whitespace by spaces (tab stops of
// 8, as docutils uses), so indentation compares by column.
func expandTabs(line string) string {
	if !strings.HasPrefix(line, "\t") && !strings.Contains(leadingSpace(line), "\t") {
		return line
	}
	var b strings.Builder
	col := 0
	i := 0
	for ; i < len(line) && (line[i] == ' ' || line[i] == '\t'); i++ {
		if line[i] == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteByte(' ')
		col++
	}
	b.WriteString(line[i:])
	return b.String()
}

// leadingSpace returns the run of spaces and tabs that starts the line.
func leadingSpace(line string) string {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return line[:i]
}

// indentOf counts the leading spaces of a line whose tabs were expanded.
func indentOf(line string) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	return i
}

// isBlank reports whether a line holds only whitespace.
func isBlank(line string) bool {
	return strings.TrimSpace(line) == ""
}

// splitLines splits source text into lines without their line endings,
// dropping a final empty line after the last newline; a '\r' before '\n' is
// dropped too, so CRLF guides read like LF ones.
func splitLines(src []byte) []string {
	s := string(src)
	lines := strings.Split(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		lines[i] = expandTabs(l)
	}
	return lines
}

// dedent removes the common indentation of the non-blank lines, trims
// trailing whitespace-only lines at both ends, and returns that indentation.
func dedent(lines []string) ([]string, string) {
	for len(lines) > 0 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	min := -1
	for _, l := range lines {
		if isBlank(l) {
			continue
		}
		if n := indentOf(l); min < 0 || n < min {
			min = n
		}
	}
	if min < 0 {
		min = 0
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= min {
			out[i] = strings.TrimRight(l[min:], " \t")
		} else {
			out[i] = ""
		}
	}
	return out, strings.Repeat(" ", min)
}

// normSpace collapses runs of whitespace to one space and trims the ends.
func normSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
