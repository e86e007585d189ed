package lint

import (
	"fmt"

	runbook "github.com/runbookdev/runbook"
)

// checkChoices reports each choice written for people in a command
// ("--report-stats=[yes|no]"): bash cannot run it as written, so runbook
// runs the first option, which the reader may not have meant.
func checkChoices(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	for _, p := range c.g.Params {
		if p.Kind != runbook.ParamChoice {
			continue
		}
		for _, u := range p.Uses {
			out = append(out, warn(u, "choice", fmt.Sprintf(
				"`%s` is a choice written for people, which bash cannot run as written; runbook runs the first option, `%s` (pick another with --set %s=VALUE).",
				p.Example, p.Default, p.Name)))
		}
	}
	return out
}
