package parser

import (
	"bytes"
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	runbook "github.com/runbookdev/runbook"
)

// mdParser turns goldmark's AST into the item stream. goldmark gives byte
// offsets; lineStarts converts them to line numbers.
type mdParser struct {
	name       string
	src        []byte
	lineStarts []int
	items      []item
	diags      []runbook.Diagnostic
}

// reMDOverride finds `<!-- runbook: ... -->` comments.
var reMDOverride = regexp.MustCompile(`(?s)<!--\s*runbook:(.*?)-->`)

// parseMarkdown runs the Markdown front end over the guide.
func parseMarkdown(name string, src []byte) ([]item, []runbook.Diagnostic) {
	// goldmark works on the bytes as given; normalise CRLF so offsets and
	// lines agree with splitLines.
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	p := &mdParser{name: name, src: src, lineStarts: []int{0}}
	for i, c := range src {
		if c == '\n' {
			p.lineStarts = append(p.lineStarts, i+1)
		}
	}
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, p.visit)
	return p.items, p.diags
}

// line converts a byte offset to a 1-based line number.
func (p *mdParser) line(off int) int {
	return sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > off })
}

func (p *mdParser) pos(off int) runbook.Pos { return runbook.Pos{File: p.name, Line: p.line(off)} }

// visit handles the nodes that make items; it descends into lists, quotes
// and the document.
func (p *mdParser) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Heading:
		if n.Lines().Len() > 0 {
			p.items = append(p.items, item{kind: itemTitle, pos: p.pos(n.Lines().At(0).Start),
				text: strings.TrimSpace(p.joined(n.Lines(), " ")), level: n.Level})
		}
		return ast.WalkSkipChildren, nil
	case *ast.Paragraph, *ast.TextBlock:
		p.paragraph(n)
		return ast.WalkSkipChildren, nil
	case *ast.FencedCodeBlock:
		lang := ""
		start := -1
		if n.Info != nil {
			lang = strings.ToLower(firstWord(strings.Trim(string(n.Language(p.src)), "{}.")))
			start = p.line(n.Info.Segment.Start)
		}
		p.code(n.Lines(), lang, start)
		return ast.WalkSkipChildren, nil
	case *ast.CodeBlock:
		p.code(n.Lines(), "", -1)
		return ast.WalkSkipChildren, nil
	case *ast.HTMLBlock:
		raw := p.joined(n.Lines(), "\n")
		if n.HasClosure() {
			raw += string(n.ClosureLine.Value(p.src))
		}
		if n.Lines().Len() > 0 {
			p.overrides(raw, n.Lines().At(0).Start)
		}
		return ast.WalkSkipChildren, nil
	}
	return ast.WalkContinue, nil
}

// joined concatenates the segments of a node's lines.
func (p *mdParser) joined(lines *text.Segments, sep string) string {
	var b strings.Builder
	for i := 0; i < lines.Len(); i++ {
		if i > 0 {
			b.WriteString(sep)
		}
		seg := lines.At(i)
		b.WriteString(strings.TrimRight(string(seg.Value(p.src)), "\r\n"))
	}
	return b.String()
}

// paragraph emits prose, and the overrides written inline in it.
func (p *mdParser) paragraph(n ast.Node) {
	if n.Lines().Len() == 0 {
		return
	}
	off := n.Lines().At(0).Start
	raw := p.joined(n.Lines(), "\n")
	if strings.Contains(raw, "<!--") {
		p.overrides(raw, off)
		raw = reMDOverride.ReplaceAllString(raw, "")
	}
	if t := normSpace(raw); t != "" {
		p.items = append(p.items, item{kind: itemProse, pos: p.pos(off), text: t})
	}
}

// overrides emits an item for each `<!-- runbook: -->` comment in raw.
func (p *mdParser) overrides(raw string, off int) {
	for _, m := range reMDOverride.FindAllStringSubmatchIndex(raw, -1) {
		at := p.pos(off + m[0])
		o, err := parseOverride(strings.Join(strings.Fields(raw[m[2]:m[3]]), " "))
		if err != nil {
			p.diags = append(p.diags, runbook.Diagnostic{Pos: at, Severity: runbook.Error, ID: "bad-override",
				Message: "runbook override: " + err.Error()})
			continue
		}
		o.at = at
		p.items = append(p.items, item{kind: itemOverride, pos: at, ovr: o})
	}
}

// code emits a fenced or indented code block; start is the fence line (or
// -1 when unknown).
func (p *mdParser) code(lines *text.Segments, lang string, start int) {
	if lines.Len() == 0 {
		return
	}
	first := lines.At(0).Start
	raw := make([]string, lines.Len())
	for i := range raw {
		seg := lines.At(i)
		raw[i] = expandTabs(strings.TrimRight(string(seg.Value(p.src)), "\r\n"))
	}
	body, indent := dedent(raw)
	if len(body) == 0 {
		return
	}
	// The block's indentation in the source is what goldmark stripped plus
	// what dedent stripped.
	ls := p.lineStarts[p.line(first)-1]
	// In a block quote the prefix includes the "> " markers, which `update`
	// must repeat on every line it writes.
	if pre := string(p.src[ls:first]); strings.Trim(pre, " \t>") == "" {
		indent = pre + indent
	}
	line := p.line(first)
	if start < 0 {
		start = line - 1
	}
	p.items = append(p.items, item{kind: itemBlock, pos: runbook.Pos{File: p.name, Line: line},
		start: start, lang: lang, lines: body, indent: indent})
}
