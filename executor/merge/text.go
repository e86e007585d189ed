package merge

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// dedent removes the indentation all non-blank lines share, because guides
// indent a block to show where it sits in the file.
func dedent(b []byte) []byte {
	lines := strings.Split(string(b), "\n")
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return b
	}
	for i, l := range lines {
		if len(l) >= common {
			lines[i] = l[common:]
		} else {
			lines[i] = strings.TrimLeft(l, " ")
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// yamlIndent guesses the file's indentation step: the smallest indentation of
// a content line, within what yaml.v3 accepts; 2 when nothing is indented.
func yamlIndent(b []byte) int {
	best := 0
	for _, l := range strings.Split(string(b), "\n") {
		t := strings.TrimLeft(l, " ")
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if n := len(l) - len(t); n > 0 && (best == 0 || n < best) {
			best = n
		}
	}
	if best < 2 || best > 9 {
		return 2
	}
	return best
}

// restoreBlankLines marks, in head comments, the blank lines that separate
// entries in the source, so that re-encoding keeps the file's paragraphs.
func restoreBlankLines(n *yaml.Node, lines []string) {
	first := 0 // index of the first non-blank line: no blank is restored above it
	for first < len(lines) && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	var walk func(n *yaml.Node, skipFirst bool)
	walk = func(n *yaml.Node, skipFirst bool) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, false)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				markBlank(c, lines, first)
				walk(c, true)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if i > 0 || !skipFirst {
					markBlank(n.Content[i], lines, first)
				}
				walk(n.Content[i+1], false)
			}
		}
	}
	walk(n, false)
}

// markBlank prefixes n's head comment with an empty line when the source line
// above n (and above its head comment) is blank and below the file's first
// non-blank line.
func markBlank(n *yaml.Node, lines []string, first int) {
	if n.Line <= 1 || strings.HasPrefix(n.HeadComment, "\n") {
		return
	}
	above := n.Line - 2 // 0-based index of the line above the node
	if n.HeadComment != "" {
		above -= strings.Count(n.HeadComment, "\n") + 1
	}
	if above > first && above < len(lines) && strings.TrimSpace(lines[above]) == "" {
		n.HeadComment = "\n" + n.HeadComment
	}
}
