package parser

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/runbookdev/runbook/parser/transcript"

	runbook "github.com/runbookdev/runbook"
)

// rstParser walks reStructuredText line by line and emits the item stream.
// It keeps the title styles and the highlight language across includes,
// because docutils inserts an include's text in place.
type rstParser struct {
	fsys      fs.FS
	guideDir  string // path.Dir of the guide name, to name include files in positions
	rootDir   string // the guide's folder inside fsys (the source root)
	items     []item
	diags     []runbook.Diagnostic
	styles    []string // title adornment styles in order of appearance
	highlight string   // language of `::` blocks, from `.. highlight::`
	stack     []string // fs paths of the files being read, for cycle detection
	depth     int      // directive nesting, bounded so hostile input cannot recurse deeply
	asides    int      // admonitions open around the current line
	label     string   // the admonition whose first paragraph comes next, or ""
	includes  int      // includes read so far, bounded against include amplification
	incl      int      // the include instance being read (0: the guide itself)
	instances int      // include instances read so far, numbered from 1
}

// srcFile is one reST file being read: the guide or an include.
type srcFile struct {
	fsPath  string // path inside fsys
	display string // path used in positions
	lines   []string
}

// maxIncludeDepth bounds nested includes; real guides nest two deep.
const maxIncludeDepth = 16

// maxIncludes bounds the includes read for one guide (a guide including a
// file that includes another ten times, and so on, would otherwise explode).
const maxIncludes = 1000

// maxNesting bounds directive nesting; real guides nest two deep.
const maxNesting = 32

func (p *rstParser) pos(f *srcFile, i int) runbook.Pos {
	return runbook.Pos{File: f.display, Line: i + 1}
}

func (p *rstParser) diag(pos runbook.Pos, sev runbook.Severity, id, format string, args ...any) {
	p.diags = append(p.diags, runbook.Diagnostic{Pos: pos, Severity: sev, ID: id, Message: fmt.Sprintf(format, args...)})
}

func (p *rstParser) emit(it item) {
	if (it.kind == itemBlock || it.kind == itemProse) && p.asides > 0 {
		it.aside = true
	}
	if it.kind == itemProse && p.label != "" {
		it.label, p.label = p.label, ""
	}
	it.incl = p.incl
	p.items = append(p.items, it)
}

// walk parses lines [lo, hi) of f. Titles are only recognised at the top
// level (nested is false), as in docutils.
func (p *rstParser) walk(f *srcFile, lo, hi int, nested bool) {
	lines := f.lines
	for i := lo; i < hi; {
		line := lines[i]
		if isBlank(line) {
			i++
			continue
		}
		t := strings.TrimSpace(line)
		switch {
		case t == ".." || strings.HasPrefix(t, ".. "):
			i = p.explicit(f, i, hi, nested)
		case !nested && p.title(f, i, hi):
			i += titleLen(lines, i, hi)
		case isAdornment(t) && len(t) >= 3 && (i+1 >= hi || isBlank(lines[i+1])):
			i++ // a transition
		default:
			i = p.paragraph(f, i, hi)
		}
	}
}

// paragraph reads the paragraph starting at i; a final `::` introduces a
// literal block. It returns the index after what it consumed.
func (p *rstParser) paragraph(f *srcFile, i, hi int) int {
	if j := p.quotedSession(f, i, hi); j > i {
		return j
	}
	lines := f.lines
	j := i
	for j < hi && !isBlank(lines[j]) {
		if j > i && strings.HasSuffix(strings.TrimSpace(lines[j-1]), "::") && indentOf(lines[j]) > indentOf(lines[j-1]) {
			// docutils reads this as a definition list; the author meant a
			// literal block, and so does every reader.
			p.diag(p.pos(f, j-1), runbook.Warning, "literal-no-blank", "no blank line between \"::\" and its literal block")
			break
		}
		j++
	}
	text := joinTrimmed(lines[i:j])
	if !strings.HasSuffix(text, "::") {
		p.emit(item{kind: itemProse, pos: p.pos(f, i), text: text})
		return j
	}
	switch {
	case text == "::":
	case strings.HasSuffix(text, " ::"):
		p.emit(item{kind: itemProse, pos: p.pos(f, i), text: strings.TrimSuffix(text, " ::")})
	default:
		p.emit(item{kind: itemProse, pos: p.pos(f, i), text: strings.TrimSuffix(text, ":")})
	}
	return p.literal(f, j-1, j, hi, `"::"`, p.highlight, "")
}

// quotedSession reads a paragraph that is a console session with no "::"
// before it (an indented block quote of prompt lines, say) as the block the
// author meant, with a warning; docutils would show it as prose, and bash
// would never see it. It returns i when the paragraph is not one.
func (p *rstParser) quotedSession(f *srcFile, i, hi int) int {
	lines := f.lines
	first := strings.TrimSpace(lines[i])
	if !transcript.IsPromptLine(first) || strings.HasPrefix(first, "$") {
		return i
	}
	j := i
	for j < hi && !isBlank(lines[j]) {
		j++
	}
	body, _ := dedent(lines[i:j])
	if !transcript.IsSession(body) {
		return i
	}
	p.diag(p.pos(f, i), runbook.Warning, "unmarked-literal", "console lines with no \"::\" or code-block before them; reading them as a console block")
	p.block(f, i-1, i, j, p.highlight, "")
	return j
}

// literal reads the literal block introduced on line marker (by `::`, or
// a code-block directive whose body is empty: what names it in messages);
// the block starts after from. An unindented block is a warning, and its
// paragraph is still taken as the block the author meant.
func (p *rstParser) literal(f *srcFile, marker, from, hi int, what, lang, caption string) int {
	lines := f.lines
	ind := indentOf(lines[marker])
	k := from
	for k < hi && isBlank(lines[k]) {
		k++
	}
	if k >= hi {
		p.diag(p.pos(f, marker), runbook.Warning, "missing-literal", "literal block expected after %s; none found", what)
		return k
	}
	end := k
	if indentOf(lines[k]) <= ind {
		t := strings.TrimSpace(lines[k])
		if t == ".." || strings.HasPrefix(t, ".. ") || titleLen(lines, k, hi) > 0 {
			p.diag(p.pos(f, marker), runbook.Warning, "missing-literal", "literal block expected after %s; none found", what)
			return k
		}
		if what != `"::"` && k == marker+1 && !strings.HasPrefix(t, "..") {
			return p.glued(f, marker, k, hi, what, lang, caption)
		}
		for end < hi && !isBlank(lines[end]) {
			end++
		}
		if !transcript.IsSession(lines[k:end]) {
			// An empty code-block, or a stray "::", before ordinary prose
			// ("Create the file ``P`` with …"): keep the prose.
			if what == `"::"` {
				p.diag(p.pos(f, marker), runbook.Warning, "missing-literal", "literal block expected after %s; none found", what)
			} else {
				p.diag(p.pos(f, marker), runbook.Warning, "empty-block", "%s has no content", what)
			}
			return k
		}
		p.diag(p.pos(f, k), runbook.Warning, "unindented-literal", "block after %s is not indented; reading its paragraph as the block", what)
	} else {
		for end < hi && (isBlank(lines[end]) || indentOf(lines[end]) > ind) {
			end++
		}
	}
	p.block(f, marker, k, end, lang, caption)
	return end
}

// glued reads content that starts on the line right after a code-block
// directive, unindented, with the rest of it indented as a body would be
// ("[program:x]" then "  command=x"): the author meant it all as the block.
// The first line and the indented rest are dedented separately.
func (p *rstParser) glued(f *srcFile, marker, k, hi int, what, lang, caption string) int {
	lines := f.lines
	ind := indentOf(lines[marker])
	end := k + 1
	for end < hi && (isBlank(lines[end]) || indentOf(lines[end]) > ind) {
		end++
	}
	for end > k+1 && isBlank(lines[end-1]) {
		end--
	}
	rest, _ := dedent(lines[k+1 : end])
	body := append([]string{strings.TrimSpace(lines[k])}, rest...)
	p.diag(p.pos(f, k), runbook.Warning, "unindented-literal", "block after %s is not indented; reading it and the indented lines after it as the block", what)
	p.emit(item{kind: itemBlock, pos: p.pos(f, k), start: marker + 1, lang: lang,
		lines: body, indent: "", caption: caption})
	return end
}

// block emits the lines [from, to) as a block whose directive is on line start.
func (p *rstParser) block(f *srcFile, start, from, to int, lang, caption string) {
	body, indent := dedent(f.lines[from:to])
	if len(body) == 0 {
		p.diag(p.pos(f, start), runbook.Warning, "empty-block", "code block has no content")
		return
	}
	p.emit(item{kind: itemBlock, pos: p.pos(f, from), start: start + 1, lang: lang,
		lines: body, indent: indent, caption: caption})
}

// joinTrimmed joins lines with single spaces, each trimmed.
func joinTrimmed(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.TrimSpace(l))
	}
	return b.String()
}
