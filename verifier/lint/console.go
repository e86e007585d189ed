package lint

import (
	"fmt"
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// sessionLangs are the block languages that promise a console session.
var sessionLangs = map[string]bool{
	"console": true, "shell-session": true, "bash-session": true, "sh-session": true, "shellsession": true,
}

// checkContentInConsole reports file content shown in a block labelled as a
// console session: readers see it highlighted as commands and output, and
// tools that trust the label run it.
func checkContentInConsole(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	for _, b := range c.blocks {
		lang := strings.ToLower(b.head.Lang)
		if !sessionLangs[lang] || (b.manual && b.path == "") {
			continue // a block for no file in a console block is output or an error message
		}
		if !c.declaredLang(b) && (b.manual || b.path == "") {
			continue // an inherited label on a crontab line or a DNS record is harmless
		}
		what := "file content"
		if namedFormats[b.format] {
			what = strings.ToUpper(b.format) + " content"
		}
		if b.path != "" {
			what += " for " + b.path
		}
		if first := strings.TrimSpace(strings.SplitN(b.content, "\n", 2)[0]); promptNoDollar.MatchString(first) {
			out = append(out, warn(b.at(0), "content-in-console",
				fmt.Sprintf("Line %q looks like a command, but its prompt has no $, so it reads as file content.", first)))
			continue
		}
		out = append(out, warn(b.at(0), "content-in-console",
			fmt.Sprintf("%s sits in a %q block but has no prompt; label it with its own language.", capitalise(what), lang)))
	}
	return out
}

// promptNoDollar matches a prompt written without its `$`: `[isabell@stardust ~] mkdir x`.
var promptNoDollar = regexp.MustCompile(`^\[[^\]\s]+@[^\]]+\]\s+\S`)

// namedFormats are the formats worth naming in a message.
var namedFormats = map[string]bool{"json": true, "yaml": true, "ini": true, "toml": true, "xml": true}

// declaredLang reports whether the block's language is written on its own
// directive (`.. code-block:: console`) rather than inherited by a bare `::`
// or `.. code-block::` from `.. highlight::`. Without the source the label
// is trusted.
func (c *context) declaredLang(b block) bool {
	if _, ok := c.lines[b.head.Pos.File]; !ok {
		return true
	}
	for n := b.start - 1; n > 0 && n > b.start-20; n-- {
		l, _ := c.line(b.head.Pos.File, n)
		t := strings.TrimSpace(l)
		if t == "" || directiveOption.MatchString(t) {
			continue
		}
		m := directive.FindStringSubmatch(l)
		return m != nil && codeDirectives[m[2]] && strings.TrimSpace(l[len(m[0]):]) != ""
	}
	return false
}

// directiveOption matches a directive option line such as `:emphasize-lines: 3`.
var directiveOption = regexp.MustCompile(`^:[\w-]+:`)

// capitalise upper-cases the first letter of a sentence.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
