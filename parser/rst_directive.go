package parser

import (
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// reDirective matches `.. name:: args`, including `.. code ::` with a space.
var reDirective = regexp.MustCompile(`^\.\.\s+([A-Za-z0-9][\w:.+-]*?)\s*::(?:\s+(.*))?$`)

// reOption matches a directive option line such as `:emphasize-lines: 1,2`.
var reOption = regexp.MustCompile(`^:([^:\s][^:]*):(?:\s+(.*))?$`)

// codeDirectives hold a code block whose argument is the language.
var codeDirectives = map[string]bool{
	"code-block": true, "code": true, "sourcecode": true, "parsed-literal": true,
}

// transparentDirectives hold ordinary reST whose blocks and prose a reader
// follows: admonitions and containers.
var transparentDirectives = map[string]bool{
	"note": true, "warning": true, "tip": true, "error": true, "important": true,
	"hint": true, "caution": true, "attention": true, "danger": true,
	"admonition": true, "seealso": true, "container": true, "only": true,
	"topic": true, "tab": true, "tabs": true, "group-tab": true, "versionadded": true,
	"versionchanged": true, "deprecated": true, "abstract": true,
}

// skippedDirectives are known to hold nothing a reader runs; other unknown
// directives are skipped too, with a warning.
var skippedDirectives = map[string]bool{
	"tag": true, "author": true, "sidebar": true, "image": true, "figure": true, "tag_list": true,
	"author_list": true, "authors": true, "spelling:word-list": true, "spelling": true, "list-table": true,
	"csv-table": true, "table": true, "toctree": true, "raw": true, "meta": true, "contents": true,
	"index": true, "rubric": true, "glossary": true, "math": true, "epigraph": true, "centered": true,
	"literalinclude": true, "youtube": true, "video": true, "sectionauthor": true, "todo": true,
	"role": true, "default-role": true, "title": true, "footer": true, "header": true, "class": true,
	"line-block": true, "compound": true, "manual": true, "lab": true, "seealso-list": true,
}

// directive is an explicit markup construct with its body's line range.
type directive struct {
	name, args string
	options    map[string]string
	line       int // the `..` line
	bodyFrom   int // first line after the options
	end        int // after the last body line
}

// explicit handles the explicit markup starting at line i (`..`): a
// directive, comment, override, hyperlink target or substitution. It
// returns the index after its body.
func (p *rstParser) explicit(f *srcFile, i, hi int, nested bool) int {
	lines := f.lines
	ind := indentOf(lines[i])
	end := i + 1
	for end < hi && (isBlank(lines[end]) || indentOf(lines[end]) > ind) {
		end++
	}
	for end > i+1 && isBlank(lines[end-1]) {
		end--
	}
	t := strings.TrimSpace(lines[i])
	var m []string
	if strings.Contains(t, "::") {
		m = reDirective.FindStringSubmatch(t)
	}
	if m == nil {
		p.comment(f, i, end)
		return end
	}
	d := parseDirective(lines, i, end, strings.ToLower(m[1]), strings.TrimSpace(m[2]))
	switch {
	case codeDirectives[d.name]:
		lang := strings.ToLower(firstWord(d.args))
		if lang == "" {
			lang = p.highlight
		}
		caption := d.options["caption"]
		if caption == "" {
			caption = d.options["name"]
		}
		from := d.bodyFrom
		for from < end && isBlank(lines[from]) {
			from++
		}
		if from >= end {
			return p.literal(f, i, end, hi, "the "+d.name+" directive", lang, caption)
		}
		p.block(f, i, from, end, lang, caption)
	case d.name == "highlight":
		p.highlight = strings.ToLower(firstWord(d.args))
	case d.name == "include":
		p.include(f, i, d.args)
	case transparentDirectives[d.name]:
		p.transparent(f, d, end)
	case !skippedDirectives[d.name]:
		p.diag(p.pos(f, i), runbook.Warning, "unknown-directive-ignored", "directive %q is not known; it is skipped with its body", d.name)
	}
	// Every other directive (tag, author, sidebar, image, ...) is skipped
	// with its body: it holds nothing a reader runs.
	return end
}

// transparent reads an admonition or container: its argument is prose (a
// final "::" introduces a literal block, as in a paragraph) and its body is
// parsed like the document.
func (p *rstParser) transparent(f *srcFile, d directive, end int) {
	from := d.bodyFrom
	aside := !containerDirectives[d.name]
	if aside {
		p.asides++
		defer func() { p.asides-- }()
		if d.name != "admonition" { // a generic admonition's argument is its own title
			p.label = d.name
			defer func() { p.label = "" }()
		}
	}
	if d.args != "" && d.name != "only" && d.name != "tab" && d.name != "group-tab" {
		text := d.args
		literal := strings.HasSuffix(text, "::")
		if literal {
			text = strings.TrimSuffix(strings.TrimSuffix(text, "::"), " ")
		}
		p.emit(item{kind: itemProse, pos: p.pos(f, d.line), text: text})
		if literal {
			from = p.literal(f, d.line, from, end, `"::"`, p.highlight, "")
		}
	}
	if p.depth >= maxNesting {
		p.diag(p.pos(f, d.line), runbook.Warning, "nesting-depth", "directives nested deeper than %d levels are skipped", maxNesting)
		return
	}
	p.depth++
	p.walk(f, from, end, true)
	p.depth--
}

// containerDirectives are the transparent directives that hold the main
// text (tabs, containers); the others are admonitions, asides from it.
var containerDirectives = map[string]bool{
	"container": true, "only": true, "tab": true, "tabs": true, "group-tab": true, "abstract": true,
}

// parseDirective reads the options that follow a directive line; args may
// continue on indented lines before the first option (docutils allows it).
func parseDirective(lines []string, i, end int, name, args string) directive {
	d := directive{name: name, args: args, line: i, options: map[string]string{}}
	j := i + 1
	for j < end && !isBlank(lines[j]) {
		m := reOption.FindStringSubmatch(strings.TrimSpace(lines[j]))
		if m == nil {
			break
		}
		d.options[strings.ToLower(m[1])] = strings.TrimSpace(m[2])
		j++
	}
	d.bodyFrom = j
	return d
}

// comment handles `.. text` without `::`: a runbook override, or a comment,
// target, footnote or substitution that holds no step.
func (p *rstParser) comment(f *srcFile, i, end int) {
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(f.lines[i]), ".."))
	rest, ok := cutPrefixFold(text, "runbook:")
	if !ok {
		return
	}
	for _, l := range f.lines[i+1 : end] {
		rest += " " + strings.TrimSpace(l)
	}
	ovr, err := parseOverride(rest)
	if err != nil {
		p.diag(p.pos(f, i), runbook.Error, "bad-override", "runbook override: %v", err)
		return
	}
	ovr.at = p.pos(f, i)
	p.emit(item{kind: itemOverride, pos: ovr.at, ovr: ovr})
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// firstWord returns the first whitespace-separated word of s.
func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}
