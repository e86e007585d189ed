package parser

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// verb is what the prose says to do with the file it names.
type verb int

const (
	verbNone verb = iota
	verbCreate
	verbEdit
	verbAppend
	verbFind // "Find the following block in P": the block is what to look for, not what to write
)

// reVerb finds the words that say what to do with a file. The one nearest
// before the path wins ("Create … and edit “P“" edits P).
var reVerb = regexp.MustCompile(`\b(replac\w* the (?:whole |entire )?contents? of|overwrit\w*|append\w*|(?:at|to) the end of|creat\w*|new (?:config(?:uration)? )?file|called|named|save|write|put|place|paste|containing|contains?|the following content|edit\w*|modif\w*|add|adding|change\w*|insert\w*|replac\w*|adjust\w*|set|uncomment\w*|config(?:uration)? file|extend|updat\w*|enabl\w*|open|remov\w*|overrid\w*|comment\w*|adapt\w*|find|locate|look for|search for)\b`)

// reExample marks a block that shows the previous (template) block filled in.
var reExample = regexp.MustCompile(`(?i)\b(in (our|this|the|my) example|for example,? (this|it) (would|could|will|should) (be|look))\b|^\s*for example:?\s*$`)

// reBackRef marks prose that refers to a file named earlier.
var reBackRef = regexp.MustCompile(`(?i)\b((the|this|that|same|your|our) ((config|configuration|settings|service|ini|yaml|json) )?file|config(uration)? file|again|(the|your) (\w+ )?config(uration)?|(change|replace|modify) (it|this|them|that) (to|with|into))\b`)

// reListKey finds the parent key of a yaml list item: “listeners:“ or the “listeners“ section.
var reListKey = regexp.MustCompile("`+([\\w.-]+):`+|`+([\\w.-]+)`+ (?:section|block|key|list|entry)")

// shellStartup are the files every account already has, which a block
// only adds to unless the prose says to create them.
var shellStartup = map[string]bool{
	".bashrc": true, ".bash_profile": true, ".profile": true, ".zshrc": true, ".zprofile": true,
}

// target is the file the prose names for a content block.
type target struct {
	path    string
	verb    verb
	why     string
	example bool
	reason  string // why no file applies, when path is empty
}

// asciiLower lowers ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// classifyVerb maps a verb word to what it means for the file.
func classifyVerb(w string) verb {
	w = strings.ToLower(w)
	switch {
	case strings.HasPrefix(w, "append"), strings.HasSuffix(w, "the end of"):
		return verbAppend
	case w == "find", w == "locate", w == "look for", w == "search for":
		return verbFind
	case strings.HasPrefix(w, "creat"), strings.HasPrefix(w, "new "), strings.HasPrefix(w, "overwrit"),
		strings.HasPrefix(w, "replac") && strings.HasSuffix(w, " of"), w == "called", w == "named", w == "save",
		w == "write", w == "put", w == "place", w == "paste", w == "containing", w == "contain",
		w == "contains", w == "the following content":
		return verbCreate
	}
	return verbEdit
}

// verbAt reads the verb for a path at offset at in sentence s: the nearest
// verb before it, else the first after it.
func verbAt(s string, at int) verb {
	v := verbNone
	s = asciiLower(s) // same byte offsets, unlike strings.ToLower
	lastEnd := -1
	for _, m := range reVerb.FindAllStringIndex(s, -1) {
		if inCompound(s, m[0], m[1]) {
			continue // "a post-update hook", "``~/bin/app-update``": a name, not a verb
		}
		w := s[m[0]:m[1]]
		cv := classifyVerb(w)
		if cv == verbAppend {
			return verbAppend
		}
		joined := lastEnd >= 0 && s[lastEnd:m[0]] == " and "
		lastEnd = m[1]
		if v == verbCreate && (strings.HasSuffix(w, " file") || w == "open" || joined) {
			continue // "Create a config file “P“", "Create and edit “P“": the verb stands
		}
		if m[0] < at {
			v = cv
		} else if v == verbNone {
			return cv
		}
	}
	return v
}

// inCompound reports whether the word s[from:to] is glued to its
// neighbours by a hyphen, slash or underscore, as in a name or a path.
func inCompound(s string, from, to int) bool {
	glue := func(c byte) bool { return c == '-' || c == '/' || c == '_' || c == '~' }
	return (from > 0 && glue(s[from-1])) || (to < len(s) && glue(s[to]))
}

// infer finds the file a content block belongs to from the prose before it.
func (b *builder) infer(format string) target {
	if t, ok := b.adjacent(); ok {
		return t
	}
	if len(b.prose) > 0 && b.prev != nil {
		last := b.prose[len(b.prose)-1].text
		if reExample.MatchString(last) {
			// "In our example, the file ``P`` should look like this:" names P itself.
			t, _ := b.named(last, format)
			t.example, t.why, t.reason = true, lastSentence(last), ""
			return t
		}
	}
	// The main text names the file; a note beside it ("adjust the path to
	// your ``config.php``") is asked only when the main text does not.
	for _, aside := range []bool{false, true} {
		for i := len(b.prose) - 1; i >= 0; i-- {
			if b.prose[i].aside != aside {
				continue
			}
			if t, ok := b.named(b.prose[i].text, format); ok {
				return t
			}
		}
	}
	for i := len(b.prose) - 1; i >= 0; i-- {
		text := b.prose[i].text
		loc := reBackRef.FindStringIndex(text)
		if loc == nil {
			continue
		}
		a, e := sentenceAround(text, loc[0])
		v := verbAt(text[a:e], loc[0]-a)
		if v == verbNone || v == verbFind || (format == "" && !strings.Contains(strings.ToLower(text[loc[0]:loc[1]]), "file")) {
			// "Run it again, you should see:" before output is no edit.
			break
		}
		p := b.recall(format)
		if p == "" {
			break
		}
		if v == verbCreate {
			v = verbEdit // a file named before already exists
		}
		return target{path: p, verb: v, why: normSpace(text[a:e])}
	}
	return target{}
}

// adjacent gives a content block that follows another with no prose
// between them ("edit “P“ and change these entries:" and one block per
// entry) the file of the block before it, when the prose said to edit it.
func (b *builder) adjacent() (target, bool) {
	if len(b.prose) > 0 || b.prev == nil {
		return target{}, false
	}
	why := "the block before it changes the same file"
	switch p := b.prev.(type) {
	case *runbook.File:
		if p.Mode == runbook.Merge && !strings.HasPrefix(p.Why, "set by the runbook override") {
			return target{path: p.Path, verb: verbEdit, why: why}, true
		}
	case *runbook.Manual:
		if p.Path != "" && strings.HasPrefix(p.Reason, "edit ") {
			return target{path: p.Path, verb: verbEdit, why: why}, true
		}
	}
	return target{}, false
}

// named finds the file a paragraph names for the block after it: the last
// path whose sentence says what to do with it, else the last path.
func (b *builder) named(text, format string) (target, bool) {
	ms := pathMentions(text)
	if len(ms) == 0 {
		return target{}, false
	}
	for j := len(ms) - 1; j >= 0; j-- {
		a, e := sentenceAround(text, ms[j].start)
		if j < len(ms)-1 && ms[j+1].end <= e {
			continue // judged with the later path of the same sentence
		}
		var inSentence []pathMention
		for _, o := range ms[:j+1] {
			if o.start >= a {
				inSentence = append(inSentence, o)
			}
		}
		m := fileIn(inSentence)
		if v := verbAt(text[a:e], m.start-a); v == verbFind {
			return target{reason: fmt.Sprintf("the block shows what to look for in %s; it is not written", m.path)}, true
		} else if v != verbNone {
			return target{path: m.path, verb: v, why: normSpace(text[a:e])}, true
		}
	}
	m := ms[len(ms)-1]
	a, e := sentenceAround(text, m.start)
	v := verbAt(text[e:], 0)
	if v == verbNone {
		if format == "" {
			// "The log ``~/logs/x.log`` shows:" before output names a
			// file but asks for nothing to be written.
			return target{reason: fmt.Sprintf("the prose names %s but does not say to write it", m.path)}, true
		}
		v = verbCreate
		if shellStartup[path.Base(m.path)] {
			v = verbAppend // the account has one already; a guessed create would wipe it
		}
	}
	return target{path: m.path, verb: v, why: normSpace(text[a:e])}, true
}

// recall picks the file a back reference ("the config file again") means:
// the latest one named whose format matches the block, else the latest in
// this section.
func (b *builder) recall(format string) string {
	// Only recent mentions are meant; the bound keeps hostile input linear.
	for i := len(b.mentions) - 1; i >= 0 && i >= len(b.mentions)-200; i-- {
		m := b.mentions[i]
		if format != "" && extFormat(m.path) == format {
			return m.path
		}
	}
	if n := len(b.mentions); n > 0 && b.mentions[n-1].section == len(b.g.Sections) && !strings.HasSuffix(b.mentions[n-1].path, "/") {
		return b.mentions[n-1].path
	}
	return ""
}

// content makes the File or Manual step for a block without prompts.
func (b *builder) content(it item, head runbook.Header, o *override) {
	if o == nil {
		o = &override{}
	}
	sniffed := sniff(it.lines)
	format := o.format
	if format == "" {
		format = formatOf(it.lang, o.file, sniffed)
	}
	t, tmpl := b.contentTarget(it, o, sniffed)
	if o.format == "" && t.path != "" {
		format = formatOf(it.lang, t.path, sniffed)
	}
	text := content(it.lines)
	if t.path == "" {
		reason := "no file named in the prose before it"
		if t.reason != "" {
			reason = t.reason
		}
		b.setPrev(b.add2(&runbook.Manual{Header: head, Reason: reason, Format: format, Content: text}))
		return
	}
	mode := o.mode
	if mode == "" {
		mode = modeFor(t.verb)
	}
	ext := extFormat(t.path)
	if mode == runbook.Merge && o.mode == "" && (!mergeable(format) || (ext != "" && ext != format)) {
		reason := fmt.Sprintf("edit %s by hand: runbook merges only yaml, json and ini files, and this block is %s", t.path, formatName(format))
		if mergeable(format) {
			reason = fmt.Sprintf("edit %s by hand: the block is %s but the file is %s", t.path, format, ext)
		}
		b.setPrev(b.add2(&runbook.Manual{Header: head, Reason: reason, Path: t.path, Format: format, Content: text}))
		b.demote(tmpl, t.path)
		return
	}
	if mode == runbook.Create && o.mode == "" {
		if reason := createProblem(t.path, it.lines); reason != "" {
			b.setPrev(b.add2(&runbook.Manual{Header: head, Reason: reason, Path: t.path, Format: format, Content: text}))
			b.demote(tmpl, t.path)
			return
		}
	}
	if mode == runbook.Merge && o.mode == "" && o.key == nil {
		if reason := mergeProblem(t.path, format, it.lines); reason != "" {
			b.setPrev(b.add2(&runbook.Manual{Header: head, Reason: reason, Path: t.path, Format: format, Content: text}))
			b.demote(tmpl, t.path)
			return
		}
	}
	f := &runbook.File{Header: head, Path: t.path, Mode: mode, Format: format, Content: text, Key: o.key, Why: t.why}
	if f.Key == nil && format == "yaml" && isListItem(it.lines) {
		f.Key = b.listKey()
	}
	b.setPrev(b.add2(f))
	b.demote(tmpl, t.path)
}

// contentTarget finds the file a content block belongs to: from the override,
// else from the prose or the block's caption. For an "In our example" block
// it also returns the template step the block replaces.
func (b *builder) contentTarget(it item, o *override, sniffed string) (target, runbook.Step) {
	t := target{path: o.file, verb: verbNone, why: "set by the runbook override at " + o.at.String()}
	if o.file == "" {
		guess := sniffed
		if guess == "" {
			guess = langFormat(it.lang)
		}
		t = b.infer(guess)
		t.path = b.fullPath(t.path)
		if t.path == "" && !t.example && it.caption != "" && looksLikePath(it.caption) {
			t = target{path: it.caption, verb: verbCreate, why: "caption: " + it.caption}
		}
	}
	var tmpl runbook.Step
	if t.example {
		tmpl = b.prev
		t = b.fromTemplate(t)
	}
	if strings.HasSuffix(t.path, "/") && o.file == "" {
		// "create two files at ``~/uwsgi/apps-enabled/``": a directory is no file to write.
		t = target{reason: fmt.Sprintf("the prose names the directory %s but not which file in it", t.path)}
	}
	return t, tmpl
}

// fullPath resolves a bare file name ("append these lines to your
// “murmur.ini“") to the latest path named before with that name
// (“~/mumble/murmur.ini“); any other path is returned as it is.
func (b *builder) fullPath(p string) string {
	if p == "" || strings.Contains(p, "/") {
		return p
	}
	for i := len(b.mentions) - 1; i >= 0 && i >= len(b.mentions)-200; i-- {
		if m := b.mentions[i].path; strings.Contains(m, "/") && path.Base(m) == p {
			return m
		}
	}
	return p
}

// fromTemplate gives an "In our example" block the path and mode of the
// block before it.
func (b *builder) fromTemplate(t target) target {
	own, ownVerb := t.path, t.verb
	switch p := b.prev.(type) {
	case *runbook.File:
		t.path, t.verb = p.Path, verbOf(p.Mode)
	case *runbook.Manual:
		t.path, t.verb = p.Path, verbEdit
	}
	if own != "" {
		t.path, t.verb = own, ownVerb // "the file P should look like this": the example says itself
	}
	return t
}

// demote turns the template block that an example replaces into a manual
// step, so the file is written once, with the example's values.
func (b *builder) demote(tmpl runbook.Step, path string) {
	if tmpl == nil {
		return
	}
	h := tmpl.Head()
	m := &runbook.Manual{Header: *h, Path: path,
		Reason: fmt.Sprintf("template for %s; the example after it is what runbook writes", path)}
	switch p := tmpl.(type) {
	case *runbook.File:
		m.Format, m.Content = p.Format, p.Content
	case *runbook.Manual:
		m.Format, m.Content = p.Format, p.Content
	}
	b.g.Steps[h.ID-1] = m
}

// add2 adds a step and returns it, for setPrev.
func (b *builder) add2(s runbook.Step) runbook.Step {
	b.add(s)
	return s
}

// setPrev remembers the last content step, for "In our example".
func (b *builder) setPrev(s runbook.Step) { b.prev = s }

// listKey finds the parent key of a yaml list item in the prose before it.
func (b *builder) listKey() []string {
	for i := len(b.prose) - 1; i >= 0; i-- {
		ms := reListKey.FindAllStringSubmatch(b.prose[i].text, -1)
		if len(ms) == 0 {
			continue
		}
		m := ms[len(ms)-1]
		k := m[1]
		if k == "" {
			k = m[2]
		}
		return splitKey(k)
	}
	return nil
}

// isListItem reports whether a yaml block starts with a list item.
func isListItem(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		return t == "-" || strings.HasPrefix(t, "- ")
	}
	return false
}

func modeFor(v verb) runbook.FileMode {
	switch v {
	case verbAppend:
		return runbook.Append
	case verbEdit:
		return runbook.Merge
	}
	return runbook.Create
}

func verbOf(m runbook.FileMode) verb {
	switch m {
	case runbook.Append:
		return verbAppend
	case runbook.Merge:
		return verbEdit
	}
	return verbCreate
}

// mergeable reports whether runbook can merge a format by structure.
func mergeable(format string) bool {
	return format == "yaml" || format == "json" || format == "ini"
}

func formatName(f string) string {
	if f == "" {
		return "plain text"
	}
	return f
}
