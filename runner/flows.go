package runner

import (
	"fmt"
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser/flow"
	"github.com/runbookdev/runbook/verifier"
)

// Values that flow between steps (runbook.Flow): when a step that prints
// one has run, the runner captures the real value from its output, at the
// line the verifier lines up with the guide's, and uses it in the later
// steps where the guide repeats its example. The captured value then counts
// as one of the run's values: turned back into the guide's example in what
// the runner reports, and masked everywhere when it is a secret.

// flowState is what the run knows of the guide's flows so far.
type flowState struct {
	captured map[int]string // by index into Guide.Flows
	failed   map[int]string // why a flow whose step ran was not captured
	ran      map[int]bool   // steps (by ID) that ran in this run
}

// flowName names a flow's value in notes: the start of the guide's example.
func flowName(f runbook.Flow) string {
	if r := []rune(f.Example); len(r) > 16 {
		return string(r[:16]) + "…"
	}
	return f.Example
}

// withFlows returns the step to run in place of st, with the values
// captured from earlier steps put where the guide shows its examples, and
// the notes that say so (or why the guide's own value is used).
func (ru *run) withFlows(st runbook.Step) (runbook.Step, []string) {
	id := st.Head().ID
	var pairs []runbook.Param
	var notes []string
	for i, f := range ru.g.Flows {
		if !into(f, id) {
			continue
		}
		v, ok := ru.flows.captured[i]
		switch {
		case ok:
			pairs = append(pairs, runbook.Param{Name: "flow", Example: f.Example, Value: v, Secret: f.Secret})
			notes = append(notes, fmt.Sprintf("used %s captured from step %d where the guide shows %s",
				ru.shownValue(f, v), f.From, flowName(f)))
		case ru.flows.failed[i] != "":
			notes = append(notes, fmt.Sprintf("the guide's own %s is used: the value step %d printed could not be captured (%s)",
				flowName(f), f.From, ru.flows.failed[i]))
		case ru.opts.DryRun:
			notes = append(notes, fmt.Sprintf("run puts in the value step %d prints where the guide shows %s", f.From, flowName(f)))
		case !ru.flows.ran[f.From]:
			notes = append(notes, fmt.Sprintf("the guide's own %s is used: step %d, which prints the real value, did not run in this run",
				flowName(f), f.From))
		}
	}
	if len(pairs) == 0 {
		return st, notes
	}
	return substitute(st, runbook.NewReplacer(pairs)), notes
}

// into reports whether the flow's value goes into step id.
func into(f runbook.Flow, id int) bool {
	for _, t := range f.To {
		if t == id {
			return true
		}
	}
	return false
}

// shownValue is a captured value as a note may show it: masked when it is
// a secret, else as it is (notes are not turned back into examples).
func (ru *run) shownValue(f runbook.Flow, v string) string {
	if f.Secret {
		return runbook.Mask + " (a secret)"
	}
	return v
}

// substitute returns a copy of st with r's values forward-substituted into
// what it types and writes; the documented output is left as the guide
// has it, since the output is turned back into the guide's examples.
func substitute(st runbook.Step, r *runbook.Replacer) runbook.Step {
	switch s := st.(type) {
	case *runbook.Command:
		c := *s
		c.Text = r.Forward(s.Text)
		c.Answers = append([]runbook.Answer(nil), s.Answers...)
		for i, a := range c.Answers {
			if !a.Secret() {
				c.Answers[i].Text = r.Forward(a.Text)
			}
		}
		return &c
	case *runbook.File:
		f := *s
		f.Path, f.Content = r.Forward(s.Path), r.Forward(s.Content)
		return &f
	}
	return st
}

// capture takes, after command c ran, the real values of the flows it
// prints from its raw output, and notes on the result what it captured.
func (ru *run) capture(c *runbook.Command, raw string, res *runbook.Result) {
	ru.flows.ran[c.ID] = true
	for i, f := range ru.g.Flows {
		if f.From != c.ID || res.Outcome == nil {
			continue
		}
		v, why := ru.captureOne(c, f, raw, res)
		if why != "" {
			ru.flows.failed[i] = why
			res.Outcome.Notes = append(res.Outcome.Notes, fmt.Sprintf("could not capture the value the guide shows as %s: %s", flowName(f), why))
			continue
		}
		ru.flows.captured[i] = v
		ru.addFlowValue(f, v)
		// The output was turned back into the guide's values before the
		// value was known: its real value goes now.
		fr := ru.flowRep.Load()
		res.Outcome.Output = fr.Redact(fr.Reverse(res.Outcome.Output))
		res.Diff, res.Reason = fr.Redact(fr.Reverse(res.Diff)), fr.Redact(fr.Reverse(res.Reason))
		cleanWords(res, func(s string) string {
			if f.Secret && len(s) >= 4 && strings.Contains(v, s) {
				return runbook.Mask // a masked token that is a piece of the secret
			}
			return fr.Redact(fr.Reverse(s))
		})
		res.Outcome.Notes = append(res.Outcome.Notes, fmt.Sprintf("captured %s where the guide shows %s, for %s",
			ru.shownValue(f, v), flowName(f), runbook.StepNames(f.To)))
	}
}

// captureOne finds the value of one flow in a command's raw output, or
// says why it could not.
func (ru *run) captureOne(c *runbook.Command, f runbook.Flow, raw string, res *runbook.Result) (string, string) {
	pub, ok := res.Step.(*runbook.Command)
	if !ok || res.Outcome.Err != nil || res.Outcome.Exit != 0 {
		return "", "the step failed"
	}
	j, ok := verifier.Aligned(pub, res.Outcome, f.Line)
	if !ok {
		return "", "its output does not line up with the guide's"
	}
	lines := verifier.OutputLines(c, &runbook.Outcome{Output: raw, Stopped: res.Outcome.Stopped})
	if j >= len(lines) || f.Line >= len(c.Expect) {
		return "", "its output does not line up with the guide's"
	}
	v, ok := extract(verifier.NormalizeLine(c.Expect[f.Line]), f.Example, lines[j])
	if !ok {
		return "", "the line that shows it reads differently"
	}
	return v, ""
}

// extract finds, in the actual line, the value that stands where the
// documented line shows example: between the same text before and after
// it, or else as the same word of a line of as many words. Only a value
// that looks generated, as the example does (flow.Value), is taken.
func extract(doc, example, actual string) (string, bool) {
	if v, ok := extractAt(doc, example, actual); ok && flow.Value(v) {
		return v, true
	}
	return "", false
}

// extractAt is extract without the check of what it found.
func extractAt(doc, example, actual string) (string, bool) {
	k := strings.Index(doc, example)
	if k < 0 {
		return "", false
	}
	pre, suf := strings.TrimSpace(doc[:k]), strings.TrimSpace(doc[k+len(example):])
	a := strings.TrimSpace(actual)
	if strings.HasPrefix(a, pre) && strings.HasSuffix(a, suf) && len(a) > len(pre)+len(suf) {
		if v := strings.TrimSpace(a[len(pre) : len(a)-len(suf)]); v != "" && !strings.ContainsAny(v, " \t") {
			return v, true
		}
	}
	dw, aw := strings.Fields(doc), strings.Fields(actual)
	if len(dw) != len(aw) {
		return "", false
	}
	for i, w := range dw {
		p := strings.Index(w, example)
		if p < 0 {
			continue
		}
		before, after := w[:p], w[p+len(example):]
		if v := aw[i]; strings.HasPrefix(v, before) && strings.HasSuffix(v, after) && len(v) > len(before)+len(after) {
			return v[len(before) : len(v)-len(after)], true
		}
	}
	return "", false
}

// addFlowValue makes a captured value one of the run's values, so that
// output showing it reads the guide's example again and a secret one is
// masked in everything that leaves the runner, the live terminal included.
func (ru *run) addFlowValue(f runbook.Flow, v string) {
	ru.flowParams = append(ru.flowParams, runbook.Param{Name: "flow", Example: f.Example, Value: v, Secret: f.Secret})
	ru.flowRep.Store(runbook.NewReplacer(ru.flowParams))
}

// redact masks the run's secrets: the params' and the captured ones.
func (ru *run) redact(s string) string {
	return ru.flowRep.Load().Redact(ru.r.Redact(s))
}

// redactTerm masks what the terminal shows: the run's secrets and, while a
// step that prints a secret flow's value runs, every value shaped like it,
// since the real one is known only after the step, and the terminal shows
// it before.
func (ru *run) redactTerm(s string) string {
	s = ru.redact(s)
	if re := ru.shapes.Load(); re != nil {
		s = re.ReplaceAllString(s, runbook.Mask)
	}
	return s
}

// watchShapes starts masking values shaped like the secret flows step id
// prints (see redactTerm); the returned func stops it.
func (ru *run) watchShapes(id int) func() {
	var alts []string
	for _, f := range ru.g.Flows {
		if f.From == id && f.Secret {
			alts = append(alts, shapeOf(f.Example))
		}
	}
	if len(alts) == 0 {
		return func() {}
	}
	ru.shapes.Store(regexp.MustCompile(strings.Join(alts, "|")))
	return func() { ru.shapes.Store(nil) }
}

// shapeOf is a pattern for values shaped like example: the same crypt
// scheme ($2b$, $6$), or the same alphabet, about as long.
func shapeOf(example string) string {
	n := len(example)
	if strings.HasPrefix(example, "$") {
		if end := strings.Index(example[1:], "$"); end > 0 {
			scheme := example[:end+2]
			return regexp.QuoteMeta(scheme) + fmt.Sprintf(`[A-Za-z0-9./$=+,_-]{%d,%d}`, (n-len(scheme))/2, 2*n)
		}
	}
	if strings.Trim(strings.ToLower(example), "0123456789abcdef-") == "" {
		return fmt.Sprintf(`\b[0-9a-fA-F-]{%d}\b`, n)
	}
	return fmt.Sprintf(`\b[A-Za-z0-9+/_-]{%d,%d}={0,2}`, max(n-8, 16), n+8)
}

// reverse turns real values back into the guide's examples: the captured
// ones first, then the params'.
func (ru *run) reverse(s string) string {
	return ru.r.Reverse(ru.flowRep.Load().Reverse(s))
}
