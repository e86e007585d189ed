package parser

import (
	"slices"
	"strings"
)

// adornmentChars are the punctuation characters docutils accepts in section
// title over- and underlines.
const adornmentChars = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// isAdornment reports whether t (trimmed) is a run of one punctuation
// character, at least two long, as a title underline or transition is.
func isAdornment(t string) bool {
	if len(t) < 2 || t == "::" || !strings.ContainsRune(adornmentChars, rune(t[0])) {
		return false
	}
	for i := 1; i < len(t); i++ {
		if t[i] != t[0] {
			return false
		}
	}
	return true
}

// titleLen returns how many lines the section title at line i spans (2 for
// an underlined title, 3 with an overline), or 0 when there is none.
func titleLen(lines []string, i, hi int) int {
	if i+1 >= hi {
		return 0
	}
	t0 := strings.TrimSpace(lines[i])
	t1 := strings.TrimSpace(lines[i+1])
	if isAdornment(t0) && indentOf(lines[i]) == 0 {
		t2 := strings.TrimSpace(lines[min(i+2, hi-1)])
		if i+2 < hi && !isBlank(lines[i+1]) && isAdornment(t2) && t2[0] == t0[0] {
			return 3
		}
		return 0
	}
	if indentOf(lines[i]) != 0 || !isAdornment(t1) || indentOf(lines[i+1]) != 0 {
		return 0
	}
	if len(t1) < 4 && len(t1) < len([]rune(t0)) {
		return 0 // too short to be meant as an underline
	}
	return 2
}

// title emits the section title at line i, if there is one.
func (p *rstParser) title(f *srcFile, i, hi int) bool {
	n := titleLen(f.lines, i, hi)
	if n == 0 {
		return false
	}
	text := strings.TrimSpace(f.lines[i])
	style := "u" + strings.TrimSpace(f.lines[i+1])[:1]
	if n == 3 {
		text = strings.TrimSpace(f.lines[i+1])
		style = "o" + strings.TrimSpace(f.lines[i])[:1]
	}
	level := slices.Index(p.styles, style) + 1
	if level == 0 {
		p.styles = append(p.styles, style)
		level = len(p.styles)
	}
	p.emit(item{kind: itemTitle, pos: p.pos(f, i), text: text, level: level})
	return true
}
