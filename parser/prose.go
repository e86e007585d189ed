package parser

import (
	"path"
	"regexp"
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// pathMention is a file path written in backticks in the prose.
type pathMention struct {
	path       string
	start, end int // byte offsets of the quoted text, backticks included
}

// codeSpan is text in single or double backticks (reST literal or
// interpreted text, Markdown code span).
type codeSpan struct {
	text       string
	start, end int
}

// codeSpans finds the backtick-quoted spans of a paragraph. Interpreted text
// with a role (:manual:`x`) and hyperlink references (`x`_) are skipped:
// they are links, not paths.
func codeSpans(s string) []codeSpan {
	var spans []codeSpan
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		fence := s[i : i+n]
		close := strings.Index(s[i+n:], fence)
		if close < 0 {
			i += n
			continue
		}
		from, to := i+n, i+n+close
		end := to + n
		// :file:`x` and :code:`x` can be paths; other roles (:manual:`x`) are links.
		role := i > 0 && s[i-1] == ':' && literalRole(s[:i]) == ""
		link := end < len(s) && s[end] == '_'
		if !role && !link && to > from {
			spans = append(spans, codeSpan{text: s[from:to], start: i, end: end})
		}
		i = end
	}
	return spans
}

// literalRoles are the reST roles whose text is shown literally, so a
// path written in one is a path.
var literalRoles = []string{":file:", ":code:", ":literal:", ":samp:"}

// literalRole returns the literal role that s ends with, or "".
func literalRole(s string) string {
	for _, r := range literalRoles {
		if strings.HasSuffix(s, r) {
			return r
		}
	}
	return ""
}

// knownExt are file extensions that make a bare name (no slash) a file.
var knownExt = map[string]bool{
	".yaml": true, ".yml": true, ".json": true, ".ini": true, ".conf": true, ".cfg": true,
	".php": true, ".toml": true, ".env": true, ".xml": true, ".py": true, ".js": true,
	".sh": true, ".txt": true, ".service": true, ".properties": true, ".rb": true,
	".lua": true, ".htaccess": true, ".config": true, ".exs": true, ".ts": true, ".cnf": true,
	".local": true, ".rc": true, ".html": true, ".sql": true, ".mjs": true, ".cjs": true,
	".nginx": true, ".pem": true, ".crt": true, ".key": true,
}

// rePathChars is what a path may consist of (placeholders and variables included).
var rePathChars = regexp.MustCompile(`^[\w.~$@{}<>%+,=:/-]+$`)

// reVarDir matches a path under a variable: $TASKDDATA/pki/vars, ${APP}/x.
var reVarDir = regexp.MustCompile(`^\$\{?[A-Za-z_]\w*\}?/[^/]`)

// looksLikePath reports whether code-span text names a file or directory.
func looksLikePath(t string) bool {
	if len(t) < 2 || strings.Contains(t, "://") || strings.HasPrefix(t, "-") ||
		strings.HasSuffix(t, ":") || strings.HasSuffix(t, "=") || !rePathChars.MatchString(t) {
		return false
	}
	switch {
	case strings.HasPrefix(t, "~/"), strings.HasPrefix(t, "$HOME/"), strings.HasPrefix(t, "${HOME}/"),
		strings.HasPrefix(t, "./"), strings.HasPrefix(t, "../"):
		return true
	case reVarDir.MatchString(t):
		return true
	case strings.HasPrefix(t, "/"):
		// "/admin" is a route more often than a file: ask for two segments.
		return strings.Count(strings.TrimSuffix(t, "/"), "/") >= 2 && !strings.Contains(t, "//")
	case strings.Contains(t, "/"):
		return knownExt[path.Ext(t)] || strings.HasPrefix(path.Base(t), ".")
	}
	if strings.HasPrefix(t, ".") {
		return len(t) > 1 && t[1] != '.' && !strings.Contains(t, ":")
	}
	return knownExt[path.Ext(t)] && !strings.Contains(t, ":")
}

// namesDirectory reports whether the text before a path calls it a
// directory ("Create the directory “~/tmp/x“"): no block is written there.
func namesDirectory(before string) bool {
	before = strings.ToLower(strings.TrimRight(before, " "))
	for _, w := range []string{"directory", "folder", "dir"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// namesPlace reports whether the text before a path makes it a place
// inside the file ("add this above the “/home/isabell/app“ call"), not the file.
func namesPlace(before string) bool {
	before = strings.ToLower(strings.TrimRight(before, " "))
	for _, w := range []string{"above the", "below the", "above", "below"} {
		if strings.HasSuffix(before, " "+w) {
			return true
		}
	}
	return false
}

// homePath writes $HOME/x and ${HOME}/x as ~/x, the form file steps use.
func homePath(p string) string {
	for _, h := range []string{"$HOME/", "${HOME}/"} {
		if rest, ok := strings.CutPrefix(p, h); ok {
			return "~/" + rest
		}
	}
	return p
}

// reBareHome is a home path written without backticks ("add it to your
// ~/.bashrc:"), or one under /home/ or /var/www/ ("the identity file in
// /var/www/virtual/$USER/app/<username>.identity").
var reBareHome = regexp.MustCompile(`(?:^|[\s(])((?:~|/home|/var/www)/[\w.~@%+=$<>-][\w./~@%+=$<>-]*)`)

// barePaths finds home paths written without backticks, outside code
// spans; trailing sentence punctuation is not part of them.
func barePaths(s string) []codeSpan {
	if !strings.Contains(s, "~/") && !strings.Contains(s, "/home/") && !strings.Contains(s, "/var/www/") {
		return nil
	}
	spans := codeSpans(s)
	var out []codeSpan
	for _, m := range reBareHome.FindAllStringSubmatchIndex(s, -1) {
		from, to := m[2], m[3]
		for to > from && strings.IndexByte(".,:;", s[to-1]) >= 0 {
			to--
		}
		inside := false
		for _, sp := range spans {
			if from >= sp.start && from < sp.end {
				inside = true
			}
		}
		if !inside && to-from > 2 && s[to-1] != '/' { // "in ~/etc/php.d/" names a directory
			out = append(out, codeSpan{text: s[from:to], start: from, end: to})
		}
	}
	return out
}

// pathMentions returns the paths named in a paragraph, in order.
func pathMentions(s string) []pathMention {
	var out []pathMention
	spans := codeSpans(s)
	if bare := barePaths(s); len(bare) > 0 {
		spans = append(spans, bare...)
		slices.SortFunc(spans, func(a, b codeSpan) int { return a.start - b.start })
	}
	for _, sp := range spans {
		t := strings.TrimSpace(sp.text)
		before := strings.TrimSuffix(s[:sp.start], literalRole(s[:sp.start]))
		if c := copyTarget(t); c != "" {
			t = c // "copy it via ``cp a/x.yaml .`` and edit it" names ./x.yaml
		}
		switch {
		case strings.HasSuffix(t, "/") && joinsName(s, out, sp, t):
			// "a file ``local.yml`` in ``config/packages/``" names config/packages/local.yml.
			out[len(out)-1].path = path.Join(homePath(t), out[len(out)-1].path)
		case !looksLikePath(t) || namesPlace(before):
		case namesDirectory(before):
			// "the file “.htaccess“ in the directory “/var/www/x“" names /var/www/x/.htaccess.
			if n := len(out); n > 0 && !strings.Contains(out[n-1].path, "/") && sp.start-out[n-1].end < 40 {
				out[n-1].path = path.Join(homePath(t), out[n-1].path)
			}
		case joinsName(s, out, sp, t):
			// "a script ``app.sh`` in ``~/app``" names ~/app/app.sh.
			out[len(out)-1].path = path.Join(homePath(t), out[len(out)-1].path)
		default:
			p := homePath(t)
			if namedDirAfter(s[sp.end:]) && !strings.HasSuffix(p, "/") {
				p += "/" // "inside the ``~/html`` folder" names a directory
			}
			out = append(out, pathMention{path: p, start: sp.start, end: sp.end})
		}
	}
	return out
}

// namedDirAfter reports whether the text after a path calls it a folder
// or directory.
func namedDirAfter(after string) bool {
	after = strings.ToLower(after)
	for _, w := range []string{" folder", " directory", " dir "} {
		if strings.HasPrefix(after, w) {
			return true
		}
	}
	return false
}

// joinsName reports whether the path t in span sp is the directory of the
// bare file name just before it: "“name“ in “dir“", where dir has no
// file extension of its own.
func joinsName(s string, out []pathMention, sp codeSpan, t string) bool {
	n := len(out)
	if n == 0 || strings.Contains(out[n-1].path, "/") || knownExt[path.Ext(t)] || sp.start < out[n-1].end {
		return false
	}
	gap := strings.ToLower(strings.Trim(s[out[n-1].end:sp.start], "` "))
	switch gap {
	case "in", "into", "in your", "into your", "in the", "into the", "inside", "inside your":
		return true
	}
	return false
}

// fileIn picks the file a sentence names among its mentions (the last
// one); "the file “x.ini“ in “~/etc/services.d/“" joins directory and name.
func fileIn(ms []pathMention) pathMention {
	m := ms[len(ms)-1]
	if !strings.HasSuffix(m.path, "/") {
		return m
	}
	for i := len(ms) - 2; i >= 0; i-- {
		if o := ms[i]; !strings.Contains(o.path, "/") {
			m.path = path.Join(m.path, o.path)
			return m
		}
	}
	return m
}

// sentenceAround returns the bounds of the sentence holding offset at: a
// sentence ends at ". ", "! " or "? " outside backticks.
func sentenceAround(s string, at int) (int, int) {
	start, end := 0, len(s)
	inCode := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '`' {
			for i+1 < len(s) && s[i+1] == '`' {
				i++
			}
			inCode = !inCode
			continue
		}
		if inCode || (c != '.' && c != '!' && c != '?') || i+1 >= len(s) || s[i+1] != ' ' {
			continue
		}
		if c == '.' && abbreviationEnds(s[:i+1]) {
			continue // "(e.g. ``P``)" does not end the sentence
		}
		if i < at {
			start = i + 2
		} else {
			end = i + 1
			break
		}
	}
	return start, end
}

// abbreviations end in a dot without ending the sentence.
var abbreviations = []string{"e.g.", "i.e.", "z.b.", "cf.", "vs.", "approx."}

// abbreviationEnds reports whether s ends with one of the abbreviations,
// as a word of its own.
func abbreviationEnds(s string) bool {
	lower := asciiLower(s)
	for _, a := range abbreviations {
		if strings.HasSuffix(lower, a) {
			k := len(s) - len(a)
			if k == 0 || !runbook.IsWordByte(s[k-1]) {
				return true
			}
		}
	}
	return false
}

// lastSentence returns the last sentence of a paragraph.
func lastSentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	a, b := sentenceAround(s, len(s)-1)
	return strings.TrimSpace(s[a:b])
}
