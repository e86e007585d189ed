package lint

import (
	"fmt"
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// urlLike finds the start of what an author meant as a web URL: a scheme
// close to http(s) followed by a colon and slashes, or by slashes with the
// colon forgotten. Each match is judged by badURL.
var urlLike = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*)(:/+|://*|//)([^\s/"'<>]?)`)

// webSchemes are the spellings of the schemes whose URLs are checked.
var webSchemes = map[string]bool{"http": true, "https": true}

// typoSchemes are misspellings of http and https seen in guides.
var typoSchemes = map[string]bool{
	"htp": true, "htps": true, "htttp": true, "htttps": true, "hhtp": true, "hhtps": true,
	"htpp": true, "htpps": true, "httpss": true, "httsp": true, "htts": true, "ttp": true, "ttps": true,
}

// badURL says what is wrong with one URL-like match, or "".
func badURL(m []string) string {
	scheme, sep, next := strings.ToLower(m[1]), m[2], m[3]
	switch {
	case typoSchemes[scheme]:
		return fmt.Sprintf("scheme %q looks like a misspelling of http or https", m[1])
	case !webSchemes[scheme]:
		return ""
	case sep == "//":
		return "the colon after the scheme is missing"
	case sep == ":/" && next != "":
		return "the scheme is followed by one slash instead of two"
	case len(sep) > 3 && next != "":
		return "the scheme is followed by more than two slashes"
	}
	return ""
}

// checkBadURL reports malformed URLs in commands, documented output and
// file contents, such as `https:/matrix.example.org`.
func checkBadURL(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	report := func(pos runbook.Pos, line string) {
		if !strings.Contains(line, ":/") && !strings.Contains(line, "//") {
			return // every pattern has one of these; most lines have neither
		}
		for _, m := range urlLike.FindAllStringSubmatch(line, -1) {
			if why := badURL(m); why != "" {
				out = append(out, warn(pos, "bad-url", fmt.Sprintf("Malformed URL %q: %s.", urlText(line, m[0]), why)))
			}
		}
	}
	for _, cmd := range c.commands() {
		for i, l := range strings.Split(cmd.Text, "\n") {
			report(runbook.Pos{File: cmd.Pos.File, Line: cmd.Pos.Line + i}, l)
		}
		for i, l := range cmd.Expect {
			report(runbook.Pos{File: cmd.Pos.File, Line: cmd.ExpectLine + i}, l)
		}
	}
	for _, b := range c.blocks {
		for i, l := range strings.Split(b.content, "\n") {
			report(b.at(i), l)
		}
	}
	return out
}

// urlText extends a match to the whole URL for the message.
func urlText(line, start string) string {
	i := strings.Index(line, start)
	if i < 0 {
		return start
	}
	end := strings.IndexAny(line[i:], " \t\"'<>`,;)")
	if end < 0 {
		return line[i:]
	}
	return line[i : i+end]
}
