package params

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	runbook "github.com/runbookdev/runbook"
)

// Detect finds every parameter in the guide's steps, with all the places it
// occurs. It also binds each Hidden answer of g's commands to the secret
// that supplies it (Answer.Param), so it modifies g's steps; a hidden prompt
// no secret in the guide explains gets a new secret param of its own.
func Detect(g *runbook.Guide) []runbook.Param {
	return DetectWith(g, nil)
}

// Note is a paragraph a reader sees right before a block: what the prose
// says about the block's values ("Use “MySuperSecretPassword“ as the
// password:", "modify the entry with “port: 8008“:").
type Note struct {
	Pos      runbook.Pos // the paragraph's first line
	Text     string      // as written, inline markup kept
	Step     int         // the ID of the first step the block after it gave
	Literals []string    // the texts it shows in literal markup ("port: 8008")
	Secret   string      // the literal it says to type as the password, if any
}

// DetectWith is Detect with the prose around the guide's blocks, which the
// parser gives: values it names in literal markup become params or uses of
// params (see ties and proseSecrets).
func DetectWith(g *runbook.Guide, notes []Note) []runbook.Param {
	if g == nil {
		return nil
	}
	sp := spans(g)
	d := &detector{names: map[string]bool{}, byExample: map[string]int{}, notes: notesByStep(notes)}
	d.fixed(sp)
	d.domains(sp)
	d.placeholders(sp)
	d.answerPlaceholders(g)
	d.choices(g, sp)
	d.service(g, sp)
	d.secrets(sp)
	d.keyedSecrets(sp)
	d.proseSecrets(g)
	d.uses(g, sp)
	d.splitInclusions(g, sp)
	d.ties(g)
	bindHidden(g, d)
	addUnasked(g, d)
	return d.ps
}

// notesByStep indexes notes by the step their block starts with.
func notesByStep(notes []Note) map[int][]Note {
	out := map[int][]Note{}
	for _, n := range notes {
		out[n.Step] = append(out[n.Step], n)
	}
	return out
}

// span is one line of text of a step, with its source line.
type span struct {
	step    int
	line    int
	text    string
	output  bool // documented output: the system shows it, the reader does not choose it
	content bool // a line of a file's content
}

// spans lists every line of text a param can occur in: prompts, commands,
// expected output (answers included), file paths and contents.
func spans(g *runbook.Guide) []span {
	var sp []span
	add := func(step, line int, text string) {
		for k, l := range strings.Split(text, "\n") {
			if l != "" {
				sp = append(sp, span{step: step, line: line + k, text: l})
			}
		}
	}
	addContent := func(step, line int, text string) {
		n := len(sp)
		add(step, line, text)
		for k := n; k < len(sp); k++ {
			sp[k].content = true
		}
	}
	for i, st := range g.Steps {
		switch s := st.(type) {
		case *runbook.Command:
			sp = append(sp, span{step: i, line: s.Pos.Line, text: s.Prompt.User + "@" + s.Prompt.Host + " " + s.Prompt.Dir})
			add(i, s.Pos.Line, s.Text)
			for k, l := range s.Expect {
				if l != "" {
					sp = append(sp, span{step: i, line: s.ExpectLine + k, text: l, output: true})
				}
			}
		case *runbook.File:
			add(i, s.Pos.Line, s.Path)
			addContent(i, s.Pos.Line, s.Content)
		case *runbook.Manual:
			add(i, s.Pos.Line, s.Path)
			addContent(i, s.Pos.Line, s.Content)
		}
	}
	return sp
}

// detector collects params in a stable order.
type detector struct {
	ps        []runbook.Param
	names     map[string]bool
	byExample map[string]int
	steps     []map[int]bool // per param: the steps where the reader writes it (commands, files)
	user      string
	notes     map[int][]Note // the prose before each block, by the ID of its first step
	prose     map[int]string // the secret the prose names for a block's hidden prompts, by step ID
}

// add registers a param unless its example is known already; it returns the param's index.
func (d *detector) add(p runbook.Param) int {
	if i, ok := d.byExample[p.Example]; ok && p.Example != "" {
		return i
	}
	i := d.push(p)
	if p.Example != "" {
		d.byExample[p.Example] = i
	}
	return i
}

// push registers a param even when another has the same example (SERVICE
// of two programs); it returns the param's index.
func (d *detector) push(p runbook.Param) int {
	p.Name = d.unique(p.Name)
	if !p.Secret {
		p.Value = p.Example
		if p.Default != "" {
			p.Value = p.Default
		}
	}
	d.ps = append(d.ps, p)
	d.steps = append(d.steps, map[int]bool{})
	return len(d.ps) - 1
}

// unique returns name, or name-2, name-3, ... when it is taken.
func (d *detector) unique(name string) string {
	n := name
	for k := 2; d.names[n]; k++ {
		n = name + "-" + itoa(k)
	}
	d.names[n] = true
	return n
}

func itoa(k int) string {
	if k < 10 {
		return string(rune('0' + k))
	}
	return itoa(k/10) + string(rune('0'+k%10))
}

// fixed finds the Uberspace user and host: isabell and stardust where they
// occur, else the user most prompts show on host stardust.
func (d *detector) fixed(sp []span) {
	count := map[string]int{}
	best := ""
	for _, s := range sp {
		if hasToken(s.text, "isabell") {
			best = "isabell"
			break
		}
		if u, rest, ok := strings.Cut(s.text, "@stardust"); ok && !strings.ContainsAny(u, " /:") && u != "" && (rest == "" || rest[0] == ' ') {
			count[u]++
		}
	}
	if best == "" {
		for u, n := range count {
			if n > count[best] || (n == count[best] && u < best) {
				best = u
			}
		}
	}
	if best != "" {
		d.user = best
		d.add(runbook.Param{Name: "user", Example: best, Kind: runbook.ParamUser})
	}
	for _, s := range sp {
		if hasToken(s.text, "stardust") {
			d.add(runbook.Param{Name: "host", Example: "stardust", Kind: runbook.ParamHost})
			break
		}
	}
}

// domains finds example.org, USER.uber.space and their subdomains.
func (d *detector) domains(sp []span) {
	type base struct{ example, name, derived string }
	bases := []base{{"example.org", "domain", ""}}
	if d.user != "" {
		bases = append(bases, base{d.user + ".uber.space", "userdomain", "user"})
	}
	for _, b := range bases {
		var subs []string
		seen := map[string]bool{}
		for _, s := range sp {
			for _, m := range domainsIn(s.text, b.example) {
				if !seen[m] && m != b.example {
					subs = append(subs, m)
				}
				seen[m] = true
			}
		}
		if len(seen) == 0 {
			continue
		}
		d.add(runbook.Param{Name: b.name, Example: b.example, Kind: runbook.ParamDomain, Derived: b.derived})
		sort.Strings(subs)
		for _, sub := range subs {
			label := strings.TrimSuffix(sub, "."+b.example)
			d.add(runbook.Param{Name: b.name + ":" + label, Example: sub, Kind: runbook.ParamDomain, Derived: b.name})
		}
	}
}

// domainsIn returns each whole-token occurrence of base in s, widened to
// the subdomain it ends ("matrix.example.org"). Plain string search, since
// this runs on every line of every guide.
func domainsIn(s, base string) []string {
	var out []string
	for i := 0; ; {
		k := strings.Index(s[i:], base)
		if k < 0 {
			return out
		}
		at, end := i+k, i+k+len(base)
		i = at + 1
		if !tokenAt(s, at, end) {
			continue
		}
		start := at
		for start > 0 && isLabelByte(s[start-1]) {
			start--
		}
		for start < at && (s[start] == '.' || s[start] == '-') {
			start++
		}
		if start < at && s[at-1] != '.' || strings.Contains(s[start:at], "..") {
			start = at // "x-example.org" or "a..example.org": only the base counts
		}
		if start > 0 && runbook.IsWordByte(s[start-1]) {
			continue
		}
		out = append(out, s[start:end])
	}
}

// isLabelByte reports whether b can be part of a domain label or its dot.
func isLabelByte(b byte) bool {
	return b == '.' || b == '-' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// placeholderRe finds <placeholders>: words, blanks, dots, dashes and underscores.
var placeholderRe = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9 _.-]{0,48}[A-Za-z0-9])>`)

// markupTags are names that, in angle brackets, are markup rather than placeholders.
var markupTags = map[string]bool{
	"html": true, "head": true, "body": true, "div": true, "span": true, "p": true, "a": true, "br": true,
	"hr": true, "script": true, "style": true, "title": true, "meta": true, "link": true, "ul": true,
	"ol": true, "li": true, "table": true, "tr": true, "td": true, "th": true, "form": true, "input": true,
	"img": true, "b": true, "i": true, "em": true, "strong": true, "pre": true, "code": true, "h1": true,
	"h2": true, "h3": true, "ifmodule": true, "virtualhost": true, "directory": true, "files": true,
	"filesmatch": true, "location": true, "limit": true, "limitexcept": true, "requireall": true,
	"requireany": true, "configuration": true, "settings": true, "value": true, "key": true, "string": true,
	"dict": true, "array": true, "plist": true, "xml": true, "svg": true, "button": true, "label": true,
	"select": true, "option": true, "textarea": true, "nav": true, "header": true, "footer": true,
	"section": true, "main": true, "article": true, "template": true, "slot": true, "iframe": true,
	"noscript": true, "tbody": true, "thead": true, "center": true, "font": true, "u": true, "s": true,
}

// secretWords make a placeholder a secret.
var secretWords = []string{"password", "passwort", "secret", "key", "token", "passphrase"}

// secretTokens are abbreviations that make a placeholder a secret only as a
// whole word: <mysql_pw>, <db pass>, but not <compass> or <pwa_name>.
var secretTokens = map[string]bool{"pw": true, "pwd": true, "pass": true, "passwd": true}

// hasSecretToken reports whether one of the words of a placeholder is a secretToken.
func hasSecretToken(lower string) bool {
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return r == ' ' || r == '_' || r == '-' || r == '.' }) {
		if secretTokens[w] {
			return true
		}
	}
	return false
}

// regexGroup reports whether a <name> that follows before is regular
// expression syntax: a named group "(?P<ip>…)" or "(?<ip>…)", or "\k<ip>".
func regexGroup(before string) bool {
	return strings.HasSuffix(before, "?P") || strings.HasSuffix(before, "(?") || strings.HasSuffix(before, `\k`)
}

// placeholders finds <placeholders>, leaving markup tags alone.
func (d *detector) placeholders(sp []span) {
	closers := map[string]bool{}
	for _, s := range sp {
		for i := strings.Index(s.text, "</"); i >= 0; {
			rest := s.text[i+2:]
			end := strings.IndexAny(rest, "> ")
			if end > 0 {
				closers[strings.ToLower(rest[:end])] = true
			}
			j := strings.Index(rest, "</")
			if j < 0 {
				break
			}
			i += 2 + j
		}
	}
	for _, s := range sp {
		if strings.IndexByte(s.text, '<') < 0 {
			continue
		}
		for _, loc := range placeholderRe.FindAllStringSubmatchIndex(s.text, -1) {
			if regexGroup(s.text[:loc[0]]) {
				continue
			}
			m := []string{s.text[loc[0]:loc[1]], s.text[loc[2]:loc[3]]}
			word := strings.ToLower(strings.Fields(m[1])[0])
			if markupTags[word] || closers[word] {
				continue
			}
			lower := strings.ToLower(m[1])
			secret := containsAny(lower, secretWords) || hasSecretToken(lower)
			kind := runbook.ParamPlaceholder
			if secret {
				kind = runbook.ParamSecret
			}
			name := strings.Join(strings.Fields(lower), "-")
			d.add(runbook.Param{Name: name, Example: m[0], Kind: kind, Secret: secret})
		}
	}
}

// dummySecret finds the lab's dummy secrets: MySuperSecret, MySuperSecretPSQLPassword, SuperSecretDBPassword.
var dummySecret = regexp.MustCompile(`(?:My)?SuperSecret[A-Za-z0-9_]*`)

// secrets finds dummy secrets.
func (d *detector) secrets(sp []span) {
	for _, s := range sp {
		if !strings.Contains(s.text, "SuperSecret") {
			continue
		}
		for _, loc := range dummySecret.FindAllStringIndex(s.text, -1) {
			if !tokenAt(s.text, loc[0], loc[1]) {
				continue
			}
			ex := s.text[loc[0]:loc[1]]
			d.add(runbook.Param{Name: secretName(ex), Example: ex, Kind: runbook.ParamSecret, Secret: true})
		}
	}
}

// keyedSecret finds a dummy value given to a password or secret key in a
// config file: `SMTP_PASS: "the-smtp-password"`, `admin_password = password123`,
// `"password": "isabells_MySQL_password"`, `define('DB_PASSWORD', 'x')`.
var keyedSecret = regexp.MustCompile(`(?i)(?:^|[\s"'(,])([a-z_.-]*(?:pass(?:word|wd)?|secret)[a-z_]*)["']?\s*(?:[:=]|,\s*)\s*["']?([^\s"'<>$%{}*]{6,64})["']?\s*[,;)]*\s*(?:#.*)?$`)

// keyedSecrets finds the dummy secrets that config files give to password
// and secret keys. A value that is a plain word ("password"), a path or a
// reference to something else is left alone, since substituting it
// everywhere would change unrelated text.
func (d *detector) keyedSecrets(sp []span) {
	for _, s := range sp {
		if !s.content {
			continue
		}
		m := keyedSecret.FindStringSubmatch(s.text)
		if m == nil || !dummyValue(m[2]) || strings.Contains(strings.ToLower(m[1]), "hash") ||
			strings.Contains(strings.ToUpper(m[2]), strings.ToUpper(m[1])) {
			continue // a hash of a password, or `KEY="KEY"` (fill in KEY)
		}
		name := strings.ToLower(strings.Trim(strings.NewReplacer("_", "-", ".", "-").Replace(m[1]), "-"))
		d.add(runbook.Param{Name: name, Example: m[2], Kind: runbook.ParamSecret, Secret: true})
	}
}

// dummyValue reports whether v looks like a value made up for the guide:
// not a plain word, a boolean, a path, a URL or an expression.
func dummyValue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "null", "none", "yes", "no", "required", "disabled", "enabled":
		return false
	}
	if strings.ContainsAny(v, "/:()[]@") {
		return false
	}
	plain := true
	for _, r := range v {
		if !(r >= 'a' && r <= 'z') {
			plain = false
		}
	}
	return !plain
}

// secretName turns MySuperSecretPSQLPassword into psql-password.
func secretName(ex string) string {
	rest := strings.TrimPrefix(strings.TrimPrefix(ex, "My"), "SuperSecret")
	if rest == "" {
		return "secret"
	}
	var b strings.Builder
	rs := []rune(rest)
	for i, r := range rs {
		boundary := i > 0 && unicode.IsUpper(r) &&
			(unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1])))
		if boundary || (r == '_' && i > 0) {
			b.WriteByte('-')
		}
		if r != '_' {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// uses records every whole-token occurrence of each example, and the steps.
func (d *detector) uses(g *runbook.Guide, sp []span) {
	for i := range d.ps {
		ex := d.ps[i].Example
		if ex == "" || d.ps[i].Local {
			continue // a local param's uses are its ties, recorded with them
		}
		for _, s := range sp {
			for n := countToken(s.text, ex); n > 0; n-- {
				d.ps[i].Uses = append(d.ps[i].Uses, runbook.Pos{File: stepFile(g, s.step), Line: s.line})
			}
			if !s.output && hasToken(s.text, ex) {
				d.steps[i][s.step] = true
			}
		}
	}
}

func stepFile(g *runbook.Guide, i int) string {
	if f := g.Steps[i].Head().Pos.File; f != "" {
		return f
	}
	return g.Name
}

// tokenAt reports whether s[i:j] is a whole token: no word byte on either side.
func tokenAt(s string, i, j int) bool {
	return (i == 0 || !runbook.IsWordByte(s[i-1]) || !runbook.IsWordByte(s[i])) &&
		(j == len(s) || !runbook.IsWordByte(s[j]) || !runbook.IsWordByte(s[j-1]))
}

// countToken counts the whole-token occurrences of tok in s.
func countToken(s, tok string) int {
	n := 0
	for i := nextToken(s, tok, 0); i >= 0; i = nextToken(s, tok, i+len(tok)) {
		n++
	}
	return n
}

// nextToken returns the offset of the first whole-token occurrence of tok
// in s at or after from, or -1.
func nextToken(s, tok string, from int) int {
	for i := from; i+len(tok) <= len(s) && tok != ""; {
		k := strings.Index(s[i:], tok)
		if k < 0 {
			break
		}
		if tokenAt(s, i+k, i+k+len(tok)) {
			return i + k
		}
		i += k + 1
	}
	return -1
}

// tokenIndex returns the offset of the first whole-token occurrence of tok
// in s, or 0 when there is none.
func tokenIndex(s, tok string) int {
	return max(nextToken(s, tok, 0), 0)
}

// hasToken reports whether tok occurs in s as a whole token.
func hasToken(s, tok string) bool { return countToken(s, tok) > 0 }

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
