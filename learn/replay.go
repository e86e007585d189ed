package learn

import (
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Replay lists what a resumed lesson's new shell runs before its first
// prompt, so that it is where the steps done before left it: the cd,
// source and export commands of those steps, in order. A command of
// several lines, or with a pipe or a subshell, is left out.
func (l *Lesson) Replay() []string {
	var lines []string
	for _, ps := range l.steps {
		c, ok := ps.step.(*runbook.Command)
		if !ok || ps.status == Open || ps.status == Skipped || strings.ContainsAny(c.Text, "\n|`()") {
			continue
		}
		for _, part := range strings.FieldsFunc(c.Text, func(r rune) bool { return r == ';' || r == '&' }) {
			part = strings.TrimSpace(part)
			for _, verb := range []string{"cd", "source", ".", "export"} {
				if strings.HasPrefix(part, verb+" ") {
					lines = append(lines, part)
				}
			}
		}
	}
	return lines
}
