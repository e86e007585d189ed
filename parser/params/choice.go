package params

import (
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// A command can offer the reader a choice, as in
// "--report-stats=[yes|no]": bash would run the brackets and the pipe as
// they are. Each choice is a param (Kind choice) whose default is its first
// option, named by the option it is given to.

// reChoice finds "[a|b|…]", "{a|b|…}" and "<a|b|…>" after a blank, "=",
// ":", a quote or the start of the text. Commas are left alone: "{a,b}" is
// bash's brace expansion, and parentheses are a subshell.
var reChoice = regexp.MustCompile(`(?:^|[\s=:'"])((?:\[[A-Za-z0-9][\w.+-]*(?:\|[A-Za-z0-9][\w.+-]*)+\])|(?:\{[A-Za-z0-9][\w.+-]*(?:\|[A-Za-z0-9][\w.+-]*)+\})|(?:<[A-Za-z0-9][\w.+-]*(?:\|[A-Za-z0-9][\w.+-]*)+>))`)

// reOptionBefore is the option a choice is the value of: "--report-stats=" or "--mode ".
var reOptionBefore = regexp.MustCompile(`(?:^|\s)-{1,2}([A-Za-z][\w-]*)[= ]$`)

// choice is one choice found in a line.
type choice struct {
	Text    string   // as written: "[yes|no]"
	Options []string // "yes", "no"
	Option  string   // the option it is the value of ("report-stats"), if any
	Start   int      // byte offset of Text
}

// findChoices finds the choices written for people in one line of a command.
// A bracket of single letters ("[y|n]") reads as a regular expression's
// character class and is left alone.
func findChoices(line string) []choice {
	if !strings.Contains(line, "|") {
		return nil
	}
	var out []choice
	for _, m := range reChoice.FindAllStringSubmatchIndex(line, -1) {
		text := line[m[2]:m[3]]
		opts := strings.Split(text[1:len(text)-1], "|")
		long := false
		for _, o := range opts {
			long = long || len(o) > 1
		}
		if !long {
			continue
		}
		c := choice{Text: text, Options: opts, Start: m[2]}
		if o := reOptionBefore.FindStringSubmatch(line[:m[2]]); o != nil {
			c.Option = o[1]
		}
		out = append(out, c)
	}
	return out
}

// choices makes a param of each choice in the guide's commands.
func (d *detector) choices(g *runbook.Guide, sp []span) {
	for _, s := range sp {
		if s.output || s.content {
			continue
		}
		if _, ok := g.Steps[s.step].(*runbook.Command); !ok {
			continue
		}
		for _, c := range findChoices(s.text) {
			name := c.Option
			if name == "" {
				name = "choice"
			}
			d.add(runbook.Param{Name: name, Example: c.Text, Default: c.Options[0], Kind: runbook.ParamChoice})
		}
	}
}
