package params

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/quote"
)

// forwardContent substitutes values into a file's content, each escaped for
// the string or value it lands in, so the program reading the file gets
// exactly the value set. secret tells which values are secrets: those stay
// strings in yaml even where a plain scalar would read them as a number.
// It also returns the examples whose values the format cannot hold.
func forwardContent(r *runbook.Replacer, format, path, content string, secret map[string]bool) (string, []string) {
	switch format {
	case "yaml":
		return forwardYAML(r, content, secret), nil
	case "json":
		return forwardJSON(r, content), nil
	case "ini":
		return forwardINI(r, content, supervisord(path, content))
	case "bash":
		return forwardShell(r, content), nil
	}
	return r.Forward(content), nil
}

// forwardJSON escapes values inside strings by encoding/json's rules; a
// value standing bare (a "<port>" in place of a number) stays bare when it
// is a json value itself and becomes a string otherwise.
func forwardJSON(r *runbook.Replacer, text string) string {
	ms := r.ForwardMatches(text)
	if len(ms) == 0 {
		return text
	}
	edits := make([]edit, 0, len(ms))
	in, m := false, 0
	for i := 0; i < len(text) && m < len(ms); i++ {
		if i == ms[m].Start {
			v := ms[m].Value
			switch {
			case in:
				v = quote.JSON(v)
			case !json.Valid([]byte(v)):
				v = `"` + quote.JSON(v) + `"`
			}
			edits = append(edits, edit{ms[m].Start, ms[m].End, v})
			i = ms[m].End - 1
			m++
			continue
		}
		switch text[i] {
		case '\\':
			if in {
				i++
			}
		case '"':
			in = !in
		}
	}
	return applyEdits(text, edits)
}

// supervisord reports whether an ini file is a supervisord program, whose
// values supervisord expands (%(ENV_X)s), so a literal % must be %%.
func supervisord(path, content string) bool {
	return programRe.MatchString(content) || strings.Contains(path, "services.d/") ||
		strings.Contains(content, "[supervisord]")
}

// iniKey is an ini assignment: indentation, key, the separator and the value's start.
var iniKey = regexp.MustCompile(`^\s*([^=:;#\[\s][^=:]*?)\s*[=:]\s*`)

// forwardINI escapes values in ini assignments: % doubled for supervisord,
// and in supervisord's environment= pairs each value quoted the way its
// parser (Python's shlex, non-POSIX) can read it. Comments, section names
// and keys get the value as it is.
func forwardINI(r *runbook.Replacer, text string, super bool) (string, []string) {
	var b strings.Builder
	var unfit []string
	for _, line := range strings.SplitAfter(text, "\n") {
		m := iniKey.FindStringSubmatchIndex(line)
		if m == nil || !super {
			b.WriteString(r.Forward(line))
			continue
		}
		key := line[m[2]:m[3]]
		b.WriteString(r.Forward(line[:m[1]]))
		value := line[m[1]:]
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "environment":
			env, bad := forwardEnvironment(r, value)
			b.WriteString(env)
			unfit = append(unfit, bad...)
		case "command":
			b.WriteString(forwardWords(r, value, escapeShlex))
		default:
			b.WriteString(forwardEach(r, value, func(m runbook.Match) string { return quote.Percent(m.Value) }))
		}
	}
	return b.String(), unfit
}

// escapeShlex escapes a value in supervisord's command=, which Python's
// shlex.split reads (no $ or ` there), after % expansion.
func escapeShlex(st shState, v string) string {
	if st == shDouble {
		return quote.Percent(quote.Shlex(v))
	}
	return quote.Percent(escapeShell(st, v))
}

// forwardEach substitutes every match by what esc makes of it.
func forwardEach(r *runbook.Replacer, text string, esc func(runbook.Match) string) string {
	ms := r.ForwardMatches(text)
	edits := make([]edit, len(ms))
	for i, m := range ms {
		edits[i] = edit{m.Start, m.End, esc(m)}
	}
	return applyEdits(text, edits)
}

// envPair is one KEY=value of supervisord's environment=, the value quoted or not.
var envPair = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*\s*=\s*)("[^"]*"|'[^']*'|[^,]*)`)

// forwardEnvironment rewrites each value of environment=KEY="v",K2=v2 as
// supervisord's parser reads it: no escapes exist there, so a value is put
// in whichever quotes it does not contain (double quotes when it has
// neither), and % is doubled, as in every supervisord value. It also
// returns the examples whose values supervisord cannot be given at all:
// one holding both kinds of quote, or starting or ending with one (it
// strips quotes from both ends).
func forwardEnvironment(r *runbook.Replacer, value string) (string, []string) {
	var unfit []string
	out := envPair.ReplaceAllStringFunc(value, func(pair string) string {
		sm := envPair.FindStringSubmatch(pair)
		raw := sm[2]
		ms := r.ForwardMatches(raw)
		if len(ms) == 0 {
			return pair
		}
		inner, q := strings.TrimRight(raw, " \t\r\n"), byte(0)
		trail := raw[len(inner):]
		if len(inner) >= 2 && (inner[0] == '"' || inner[0] == '\'') && inner[len(inner)-1] == inner[0] {
			inner, q = inner[1:len(inner)-1], inner[0]
		}
		v := quote.Percent(forwardEach(r, inner, func(m runbook.Match) string { return conninfoValue(inner, m) }))
		if q == 0 && shlexWord(v) {
			return sm[1] + v + trail
		}
		switch {
		case q != 0 && !strings.ContainsRune(v, rune(q)):
		case !strings.Contains(v, `"`):
			q = '"'
		case !strings.Contains(v, "'"):
			q = '\''
		default:
			q = '"' // both kinds: nothing works, reported below
		}
		if strings.ContainsRune(v, rune(q)) || strings.IndexAny(v, `'"`) == 0 || strings.LastIndexAny(v, `'"`) == len(v)-1 && v != "" {
			for _, m := range ms {
				if strings.ContainsAny(m.Value, `'"`) {
					unfit = append(unfit, m.Example)
				}
			}
		}
		return sm[1] + string(q) + v + string(q) + trail
	})
	return out, unfit
}

// shlexWord reports whether Python's non-POSIX shlex (supervisord's reader
// of environment=, with its extra word characters) reads v as one word.
func shlexWord(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_/.+-():", c) >= 0) {
			return false
		}
	}
	return true
}

// forwardYAML escapes values by the style of the scalar each lands in:
// double-quoted (\-escapes), single-quoted (” for ', or the scalar turned
// double-quoted when the value has a character that style cannot hold), or
// plain (kept plain while it still reads back as the value, else turned
// double-quoted). Comments and block scalars get the value as it is, and
// so does a document that does not parse.
func forwardYAML(r *runbook.Replacer, text string, secret map[string]bool) string {
	ms := r.ForwardMatches(text)
	if len(ms) == 0 {
		return text
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return r.Forward(text)
	}
	var spans []yamlSpan
	collectScalars(&doc, false, newLineIndex(text), text, &spans)
	var edits []edit
	m := 0
	for _, sp := range spans {
		for m < len(ms) && ms[m].Start < sp.start {
			edits = append(edits, edit{ms[m].Start, ms[m].End, ms[m].Value})
			m++
		}
		k := m
		for k < len(ms) && ms[k].End <= sp.end {
			k++
		}
		if k > m {
			edits = append(edits, sp.rewrite(r, text, ms[m:k], secret)...)
			m = k
		}
	}
	for ; m < len(ms); m++ {
		edits = append(edits, edit{ms[m].Start, ms[m].End, ms[m].Value})
	}
	return applyEdits(text, edits)
}

// yamlSpan is where a scalar stands in the text: for a quoted one, from its
// opening quote to just past its closing one.
type yamlSpan struct {
	start, end int
	node       *yaml.Node
	flow       bool // inside a [ ] or { } collection
}

// rewrite returns the edits for the matches within the scalar.
func (sp yamlSpan) rewrite(r *runbook.Replacer, text string, ms []runbook.Match, secret map[string]bool) []edit {
	whole := func() []edit {
		return []edit{{sp.start, sp.end, `"` + quote.YAMLDouble(r.Forward(sp.node.Value)) + `"`}}
	}
	var edits []edit
	switch sp.node.Style {
	case yaml.DoubleQuotedStyle:
		for _, m := range ms {
			edits = append(edits, edit{m.Start, m.End, quote.YAMLDouble(m.Value)})
		}
	case yaml.SingleQuotedStyle:
		for _, m := range ms {
			if !quote.YAMLSingleOK(m.Value) {
				return whole()
			}
			edits = append(edits, edit{m.Start, m.End, quote.YAMLSingle(m.Value)})
		}
	default:
		keepString := false
		for _, m := range ms {
			keepString = keepString || secret[m.Value]
		}
		for _, m := range ms {
			if !plainValue.MatchString(m.Value) {
				return whole()
			}
		}
		plain := r.Forward(text[sp.start:sp.end])
		if !plainReadsAs(plain, sp.flow, r.Forward(sp.node.Value), keepString) {
			return whole()
		}
		return []edit{{sp.start, sp.end, plain}}
	}
	return edits
}

// plainValue is a value that can stand in a plain scalar whichever yaml
// parser reads it (PyYAML, for one, stops a plain scalar at a tab): a name,
// a number, a domain, a path, words.
var plainValue = regexp.MustCompile(`^[A-Za-z0-9_./@+~-]([A-Za-z0-9_./@+~ -]*[A-Za-z0-9_./@+~-])?$`)

// plainReadsAs reports whether text, as a plain scalar in a block or flow
// collection, still reads as one scalar holding want: a string, or a
// number unless keepString (a secret of digits must stay a string).
func plainReadsAs(text string, flow bool, want string, keepString bool) bool {
	if strings.ContainsAny(text, "\r\n") {
		return false
	}
	doc := "- " + text
	if flow {
		doc = "[" + text + "]"
	}
	var n yaml.Node
	if yaml.Unmarshal([]byte(doc), &n) != nil || len(n.Content) != 1 || len(n.Content[0].Content) != 1 {
		return false
	}
	s := n.Content[0].Content[0]
	// A port may become a number; nothing may become null or a boolean.
	return s.Kind == yaml.ScalarNode && s.Style == 0 && s.Value == want &&
		(s.Tag == "!!str" || !keepString && (s.Tag == "!!int" || s.Tag == "!!float"))
}

// collectScalars lists the spans of the plain and quoted scalars under n in
// document order; a scalar whose span cannot be found in the text is left
// out, and gets its values as they are.
func collectScalars(n *yaml.Node, flow bool, idx lineIndex, text string, out *[]yamlSpan) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode, yaml.MappingNode:
		inner := flow || n.Style&yaml.FlowStyle != 0
		for _, c := range n.Content {
			collectScalars(c, inner, idx, text, out)
		}
	case yaml.ScalarNode:
		if sp, ok := scalarSpan(n, flow, idx, text); ok {
			*out = append(*out, sp)
		}
	}
}

// scalarSpan finds a scalar's text from the position the parser gives.
func scalarSpan(n *yaml.Node, flow bool, idx lineIndex, text string) (yamlSpan, bool) {
	start, ok := idx.offset(text, n.Line, n.Column)
	if !ok {
		return yamlSpan{}, false
	}
	start = skipProperties(text, start)
	sp := yamlSpan{start: start, node: n, flow: flow}
	switch n.Style &^ yaml.FlowStyle {
	case yaml.DoubleQuotedStyle:
		sp.end = closingQuote(text, start, '"')
	case yaml.SingleQuotedStyle:
		sp.end = closingQuote(text, start, '\'')
	case 0, yaml.TaggedStyle:
		// A plain scalar on one line: its text is its value.
		if !strings.HasPrefix(text[start:], n.Value) || n.Value == "" {
			return yamlSpan{}, false
		}
		sp.end = start + len(n.Value)
	default:
		return yamlSpan{}, false
	}
	return sp, sp.end > start
}

// skipProperties skips a scalar's anchor (&x) and tag (!!str), where the
// parser's position points, to the scalar's own text.
func skipProperties(text string, i int) int {
	for i < len(text) && (text[i] == '&' || text[i] == '!') {
		for i < len(text) && strings.IndexByte(" \t\n", text[i]) < 0 {
			i++
		}
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
	}
	return i
}

// closingQuote returns the offset just past the quoted scalar opening at
// text[start], or -1.
func closingQuote(text string, start int, q byte) int {
	if start >= len(text) || text[start] != q {
		return -1
	}
	for i := start + 1; i < len(text); i++ {
		switch {
		case q == '"' && text[i] == '\\':
			i++
		case q == '\'' && text[i] == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i++
		case text[i] == q:
			return i + 1
		}
	}
	return -1
}

// lineIndex holds the offset where each line starts.
type lineIndex []int

func newLineIndex(text string) lineIndex {
	idx := lineIndex{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// offset turns the parser's 1-based line and column (counted in
// characters) into a byte offset.
func (idx lineIndex) offset(text string, line, col int) (int, bool) {
	if line < 1 || line > len(idx) || col < 1 {
		return 0, false
	}
	off := idx[line-1]
	for k := 1; k < col; k++ {
		if off >= len(text) || text[off] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return off, true
}
