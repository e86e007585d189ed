package transcript

import (
	"fmt"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// dump renders commands and diagnostics in the form the golden files hold.
func dump(cmds []*runbook.Command, diags []runbook.Diagnostic) string {
	var b strings.Builder
	for i, c := range cmds {
		p := c.Prompt
		fmt.Fprintf(&b, "command %d at line %d", i+1, c.Pos.Line)
		if c.First {
			b.WriteString(" (first)")
		}
		fmt.Fprintf(&b, "\n  prompt: user=%q host=%q dir=%q", p.User, p.Host, p.Dir)
		if p.Venv != "" {
			fmt.Fprintf(&b, " venv=%q", p.Venv)
		}
		if p.Root {
			b.WriteString(" root")
		}
		if p.Shell != "" {
			fmt.Fprintf(&b, " shell=%q", p.Shell)
		}
		b.WriteString("\n")
		for _, l := range strings.Split(c.Text, "\n") {
			fmt.Fprintf(&b, "  $ %s\n", l)
		}
		fmt.Fprintf(&b, "  expect from line %d, output indent %q:\n", c.ExpectLine, c.OutputIndent)
		for _, l := range c.Expect {
			mark := "|"
			if runbook.IsElisionLine(l) {
				mark = "~"
			}
			fmt.Fprintf(&b, "  %s %s\n", mark, l)
		}
		for _, a := range c.Answers {
			fmt.Fprintf(&b, "  answer %s at expect %d: prompt=%q text=%q\n", a.Kind, a.Line, a.Prompt, a.Text)
		}
	}
	for _, d := range diags {
		fmt.Fprintf(&b, "%s %s: %s\n", d.Severity, d.Pos, d.ID)
	}
	return b.String()
}
