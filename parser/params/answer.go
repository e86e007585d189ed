package params

import (
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// An answer written in capitals where the question offers a default ("New
// user localpart [isabell]: USER", "Your name [isabell]: YOUR_NAME") is the
// reader's value, not text to type: the author shows where it goes. It
// becomes a param whose default is the question's default, so a run types
// what the reader would have accepted, and `--set isabell=alice` makes it
// alice. The word is a param only at that answer (Local): USER elsewhere is
// the shell's $USER.

// capsAnswer is an all-caps word: letters, digits and underscores, at least
// two letters, starting with one.
var capsAnswer = regexp.MustCompile(`^[A-Z][A-Z0-9_]*[A-Z][A-Z0-9_]*$`)

// literalAnswers are capitalised answers that are typed as they are.
var literalAnswers = map[string]bool{
	"YES": true, "NO": true, "Y": true, "N": true, "JA": true, "NEIN": true, "OK": true,
	"TRUE": true, "FALSE": true, "ON": true, "OFF": true, "ALL": true, "NONE": true, "SKIP": true,
}

// reDefault finds the default a question offers at its end: "[isabell]",
// "(isabell)", "(leave blank to use 'isabell')", "(default: isabell)".
var reDefault = regexp.MustCompile(`(?:\[([^\[\]]*)\]|\(([^()]*)\))\s*[:?]?\s*$`)

// reQuotedDefault finds the value in "leave blank to use 'isabell'" or "default: x".
var reQuotedDefault = regexp.MustCompile(`(?i)(?:use|default(?: is|:)?)\s+['"]?([^'"\s]+)['"]?\s*$`)

// questionDefault returns the default a question offers; ok is false when
// it offers none, or a choice between options ("[Y/n]", "(yes/no)").
func questionDefault(prompt string) (string, bool) {
	m := reDefault.FindStringSubmatch(strings.TrimSpace(prompt))
	if m == nil {
		return "", false
	}
	inner := strings.TrimSpace(m[1] + m[2])
	if strings.ContainsAny(inner, "/|") || inner == "" {
		return "", false
	}
	if strings.ContainsAny(inner, " \t") {
		q := reQuotedDefault.FindStringSubmatch(inner)
		if q == nil {
			return "", false
		}
		inner = q[1]
	}
	return inner, true
}

// answerPlaceholders finds the capitalised answers to questions with a
// default, one param per word, tied to each answer that types it.
func (d *detector) answerPlaceholders(g *runbook.Guide) {
	for _, st := range g.Steps {
		c, ok := st.(*runbook.Command)
		if !ok {
			continue
		}
		for _, a := range c.Answers {
			t := strings.TrimSpace(a.Text)
			if a.Kind != runbook.Reply || !capsAnswer.MatchString(t) || literalAnswers[t] {
				continue
			}
			def, ok := questionDefault(a.Prompt)
			if !ok || strings.EqualFold(def, t) {
				continue
			}
			line := c.ExpectLine + a.Line
			i := d.add(runbook.Param{Name: questionName(a.Prompt, t), Example: t, Default: def,
				Kind: runbook.ParamPlaceholder, Local: true, Derived: d.baseOf(def)})
			if d.ps[i].Local {
				pos := runbook.Pos{File: stepFile(g, c.ID-1), Line: line}
				d.ps[i].Ties = append(d.ps[i].Ties, runbook.Tie{Text: t, Step: c.ID, Line: line, Pos: pos})
				d.ps[i].Uses = append(d.ps[i].Uses, pos)
				d.steps[i][c.ID-1] = true
			}
		}
	}
}

// baseOf names the param a default is written in terms of (the user for
// "isabell"), so that the default follows it; "" when there is none.
func (d *detector) baseOf(def string) string {
	for _, p := range d.ps {
		if p.Example != "" && !p.Secret && hasToken(def, p.Example) {
			return p.Name
		}
	}
	return ""
}

// questionName names the param of an answer after its question ("New user
// localpart [isabell]:" → "new-user-localpart"), else after the word.
func questionName(prompt, word string) string {
	q := prompt
	if loc := reDefault.FindStringIndex(q); loc != nil {
		q = q[:loc[0]]
	}
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(words) < 5 {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return strings.ToLower(strings.ReplaceAll(word, "_", "-"))
	}
	return strings.Join(words, "-")
}
