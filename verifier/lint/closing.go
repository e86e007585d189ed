package lint

import (
	"fmt"
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// anyBarePrompt matches a closing prompt of any style: `[isabell@stardust ~]$`,
// `$`, `#`, `isabell@stardust:~$`.
var anyBarePrompt = regexp.MustCompile(`^\s*(?:\([^)]*\)\s*)?(?:\[[^\]]*\]|[\w.-]+@[\w.-]+(?::\S*?)?)?\s*[$#]\s*$`)

// checkNoClosingPrompt reports console blocks whose last command is not
// followed by a bare prompt, so a reader cannot tell where its output ends.
// The transcript grammar reports the same defect as a parser diagnostic;
// this check only adds what it did not already report for the block.
func checkNoClosingPrompt(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	cmds := c.commands()
	start := 0
	for i, cmd := range cmds {
		if cmd.First {
			start = i
		}
		if i+1 < len(cmds) && !cmds[i+1].First {
			continue
		}
		if _, known := c.lines[cmd.Pos.File]; !known || cmd.ExpectLine <= 0 {
			continue
		}
		if c.closed(cmd) {
			continue
		}
		end := cmd.ExpectLine + len(cmd.Expect)
		if c.reported("no-closing-prompt", cmd.Pos.File, cmds[start].Pos.Line, end+1) {
			continue
		}
		out = append(out, warn(cmd.Pos, "no-closing-prompt",
			fmt.Sprintf("Console block ends without a closing prompt after `%s`, so where its output ends is a guess.", firstLine(cmd.Text))))
	}
	return out
}

// reported reports whether the parser already gave a diagnostic with this id
// within lines [from, to] of file.
func (c *context) reported(id, file string, from, to int) bool {
	for _, d := range c.g.Diagnostics {
		if d.ID == id && d.Pos.File == file && d.Pos.Line >= from && d.Pos.Line <= to {
			return true
		}
	}
	return false
}

// firstLine returns the first line of a possibly multi-line command.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(l)
}

// closed reports whether a bare prompt of any style follows the output of a
// block's last command.
func (c *context) closed(cmd *runbook.Command) bool {
	for n := cmd.ExpectLine + len(cmd.Expect); n < cmd.ExpectLine+len(cmd.Expect)+3; n++ {
		l, ok := c.line(cmd.Pos.File, n)
		if !ok {
			return false
		}
		if strings.TrimSpace(l) != "" {
			return anyBarePrompt.MatchString(l)
		}
	}
	return false
}
