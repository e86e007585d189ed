package lint

import (
	"fmt"
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// iniInterpolation matches what supervisord's %-interpolation accepts.
var iniInterpolation = regexp.MustCompile(`%\([A-Za-z0-9_]+\)[sd]|%%`)

// checkBadINI reports INI content blocks that do not parse: a section header
// that is not closed, a line with no key before its `=`, and, in supervisord
// files (which configparser reads strictly), a line that is neither a
// section nor a key and a `%` that is not an interpolation.
func checkBadINI(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	for _, b := range c.blocks {
		if b.format != "ini" {
			continue
		}
		strict := isSupervisord(b)
		for i, l := range strings.Split(b.content, "\n") {
			if msg := iniLineProblem(l, strict); msg != "" {
				out = append(out, warn(b.at(i), "bad-ini", fmt.Sprintf("INI does not parse: %s.", msg)))
			}
		}
	}
	return out
}

// iniLineProblem says what is wrong with one line of an INI file, or "".
func iniLineProblem(l string, strict bool) string {
	t := strings.TrimSpace(l)
	switch {
	case t == "", strings.HasPrefix(t, ";"), strings.HasPrefix(t, "#"), runbook.IsElisionLine(t):
		return ""
	case l[0] == ' ' || l[0] == '\t':
		return "" // a continuation of the value above
	case strings.HasPrefix(t, "["):
		if !strings.HasSuffix(t, "]") {
			return fmt.Sprintf("section header %q is not closed with ]", t)
		}
		return ""
	}
	k := strings.IndexAny(t, "=:")
	if k == 0 {
		return fmt.Sprintf("line %q has no key before %q", t, t[:1])
	}
	if !strict {
		return ""
	}
	if k < 0 {
		return fmt.Sprintf("line %q is neither a section nor key=value", t)
	}
	if rest := iniInterpolation.ReplaceAllString(t[k+1:], ""); strings.Contains(rest, "%") {
		return fmt.Sprintf("supervisord reads %% as interpolation: write %%%% for a literal %% in %q", t)
	}
	return ""
}
