package parser

import (
	"fmt"
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser/params"
	"github.com/runbookdev/runbook/parser/transcript"
)

// builder turns the item stream into the Guide's sections and steps. It keeps
// the reading context a person has: the section, the prose since the last
// block, the files named so far and the last content block.
type builder struct {
	g        *runbook.Guide
	main     string // display name of the guide, for sidecar block lines
	stack    []runbook.Section
	prose    []item    // paragraphs since the last block, in this section
	mentions []mention // every file named in the prose so far
	prev     runbook.Step
	pending  *override
	pendAt   runbook.Pos
	byLine   map[int]BlockOverride // sidecar overrides by block line
	used     map[int]bool
	sidecar  []BlockOverride
	notes    []params.Note    // the prose before each block that made steps, for params
	raw      map[int][]string // each command's lines as written, by step ID, for foreign
	reader   *transcript.Reader
	// leads holds the opening paragraph of each section (by index in
	// g.Sections) while no block or subsection has come, for its role.
	leads    map[int]string
	leadOpen bool
}

// mention is a file named in the prose.
type mention struct {
	path    string
	section int // len(g.Sections) when it was named
}

func newBuilder(g *runbook.Guide, sc *Sidecar) *builder {
	b := &builder{g: g, main: g.Name, byLine: map[int]BlockOverride{}, used: map[int]bool{}, leads: map[int]string{},
		raw: map[int][]string{}, reader: transcript.NewReader()}
	if sc != nil {
		b.sidecar = sc.Blocks
		for _, bo := range sc.Blocks {
			b.byLine[bo.Line] = bo
		}
	}
	return b
}

func (b *builder) diag(pos runbook.Pos, sev runbook.Severity, id, format string, args ...any) {
	b.g.Diagnostics = append(b.g.Diagnostics, runbook.Diagnostic{Pos: pos, Severity: sev, ID: id, Message: fmt.Sprintf(format, args...)})
}

// run consumes the whole stream.
func (b *builder) run(items []item) {
	for _, it := range items {
		switch it.kind {
		case itemTitle:
			b.title(it)
		case itemProse:
			b.lead(it)
			b.prose = append(b.prose, it)
			for _, m := range pathMentions(it.text) {
				b.mentions = append(b.mentions, mention{path: m.path, section: len(b.g.Sections)})
			}
		case itemOverride:
			if b.pending != nil {
				b.diag(b.pendAt, runbook.Warning, "unused-override", "runbook override is followed by another override, not by a block")
			}
			b.pending, b.pendAt = it.ovr, it.pos
		case itemBlock:
			b.leadOpen = false
			b.block(it)
		case itemInclude:
			b.g.Inclusions = append(b.g.Inclusions, runbook.Inclusion{Pos: it.pos, File: it.caption, Prose: it.text})
		}
	}
	if b.pending != nil {
		b.diag(b.pendAt, runbook.Warning, "unused-override", "runbook override has no block after it")
	}
	b.foreign()
	assignRoles(b.g, b.leads)
	for _, bo := range b.sidecar {
		if !b.used[bo.Line] {
			b.diag(bo.Pos, runbook.Warning, "unused-override",
				"sidecar entry for line %d matches no block of %s", bo.Line, b.main)
		}
	}
}

// title opens a section; a title's level counts from the document title.
func (b *builder) title(it item) {
	for len(b.stack) > 0 && b.stack[len(b.stack)-1].Level >= it.level {
		b.stack = b.stack[:len(b.stack)-1]
	}
	path := []string{it.text}
	if len(b.stack) > 0 {
		parent := b.stack[len(b.stack)-1].Path
		path = append(append(make([]string, 0, len(parent)+1), parent...), it.text)
	}
	s := runbook.Section{Pos: it.pos, Level: len(path), Path: path}
	b.stack = append(b.stack, s)
	b.g.Sections = append(b.g.Sections, s)
	b.leadOpen = true
	if b.g.Title == "" {
		b.g.Title = it.text
	}
	b.prose, b.prev = nil, nil
}

// lead keeps the first paragraph of the main text of a section that has
// no block yet; an admonition is an aside, not how the section opens.
func (b *builder) lead(it item) {
	i := len(b.g.Sections) - 1
	if !b.leadOpen || it.aside || i < 0 {
		return
	}
	b.leads[i] = it.text
	b.leadOpen = false
}

// sectionPath is the path of the current section (nil before the first title).
func (b *builder) sectionPath() []string {
	if len(b.stack) == 0 {
		return nil
	}
	return b.stack[len(b.stack)-1].Path
}

// overrideFor returns the override that applies to a block: a comment right
// before it, else a sidecar entry for its line.
func (b *builder) overrideFor(it item) *override {
	if o := b.pending; o != nil {
		b.pending = nil
		return o
	}
	if it.pos.File != b.main {
		return nil
	}
	for _, line := range []int{it.start, it.pos.Line} {
		if bo, ok := b.byLine[line]; ok && !b.used[line] {
			b.used[line] = true
			return bo.toOverride()
		}
	}
	return nil
}

// block makes the steps for one block: commands for a session, else a file
// or manual step.
func (b *builder) block(it item) {
	o := b.overrideFor(it)
	prose, keep := b.prose, false
	first := len(b.g.Steps) + 1
	defer func() {
		if len(b.g.Steps) >= first {
			b.note(prose, first)
		}
		if keep {
			b.prose = prose
		} else {
			b.prose = nil
		}
	}()
	if o != nil && o.skip {
		return
	}
	head := runbook.Header{Pos: it.pos, Section: b.sectionPath(), Lang: it.lang, Inclusion: it.incl,
		Prose: paragraphs(prose)}
	if o != nil && o.manual != "" {
		b.add(&runbook.Manual{Header: head, Reason: o.manual, Path: o.file,
			Format: formatOf(it.lang, o.file, sniff(it.lines)), Content: content(it.lines)})
		b.prev = nil
		return
	}
	if (o == nil || o.file == "") && b.reader.IsSession(it.lines) {
		b.session(it, head)
		b.prev = nil
		if it.aside {
			// A command in a note ("find the path with: …") does not end
			// the paragraph that names the file of the block after the note.
			keep = true
		}
		return
	}
	if o == nil || o.file == "" {
		if prompt, ok := transcript.LooksInteractive(it.lines); ok {
			b.interactive(it, head, prompt)
			b.prev = nil
			return
		}
	}
	b.content(it, head, o)
}

// note keeps the paragraphs before a block for params: the values they
// name in literal markup, and the secret they say to type.
func (b *builder) note(prose []item, step int) {
	for _, p := range prose {
		n := params.Note{Pos: p.pos, Text: p.text, Step: step, Secret: proseSecret(p.text)}
		for _, sp := range codeSpans(p.text) {
			n.Literals = append(n.Literals, sp.text)
		}
		b.notes = append(b.notes, n)
	}
}

// session adds the commands of a console block.
func (b *builder) session(it item, head runbook.Header) {
	cmds, diags := b.reader.Parse(it.pos.File, it.pos.Line, it.indent, it.lines)
	b.g.Diagnostics = append(b.g.Diagnostics, diags...)
	for i, c := range cmds {
		if c == nil {
			continue
		}
		b.keepRaw(it, c, cmds[i+1:])
		c.Section = head.Section
		c.Lang = head.Lang
		c.Inclusion = head.Inclusion
		c.First = i == 0
		if c.First {
			c.Prose = head.Prose
		}
		if c.Pos.File == "" {
			c.Pos = head.Pos
		}
		if p := copyTarget(c.Text); p != "" {
			b.mentions = append(b.mentions, mention{path: p, section: len(b.g.Sections)})
		}
		b.add(c)
	}
}

// keepRaw remembers the lines a command spans in its block (up to the next
// command), under the ID it is about to get, so a command for another
// machine can be shown as the guide writes it.
func (b *builder) keepRaw(it item, c *runbook.Command, rest []*runbook.Command) {
	from := c.Pos.Line - it.pos.Line
	to := len(it.lines)
	for _, n := range rest {
		if n != nil && n.Pos.File == c.Pos.File {
			to = n.Pos.Line - it.pos.Line
			break
		}
	}
	if c.Pos.File == it.pos.File && 0 <= from && from < to && to <= len(it.lines) {
		b.raw[len(b.g.Steps)+1] = it.lines[from:to]
	}
}

// paragraphs are the prose items as the model's paragraphs, nil for none.
func paragraphs(items []item) []runbook.Paragraph {
	var ps []runbook.Paragraph
	for _, it := range items {
		if it.text != "" {
			ps = append(ps, runbook.Paragraph{Pos: it.pos, Text: it.text, Label: it.label})
		}
	}
	return ps
}

// add appends a step and numbers it.
func (b *builder) add(s runbook.Step) {
	b.g.Steps = append(b.g.Steps, s)
	s.Head().ID = len(b.g.Steps)
}

// content joins a block's lines as file content, with a trailing newline.
func content(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// copyTarget returns the file a "cp SRC DST" command makes, so that "edit
// the configuration file" after "cp /etc/app.conf ~/etc/app.conf" finds it.
func copyTarget(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) < 3 || f[0] != "cp" || strings.ContainsAny(cmd, "\n|;&><`") {
		return ""
	}
	src, dst := f[len(f)-2], f[len(f)-1]
	if dst == "." || strings.HasSuffix(dst, "/") {
		if strings.HasPrefix(src, "-") || strings.ContainsAny(src, "*?") {
			return ""
		}
		dst = path.Join(dst, path.Base(src)) // "cp ./example/config.yaml ." makes ./config.yaml
		if !strings.Contains(dst, "/") {
			dst = "./" + dst
		}
	}
	if strings.HasPrefix(dst, "-") || !looksLikePath(dst) {
		return ""
	}
	return homePath(dst)
}
