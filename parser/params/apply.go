package params

import (
	"fmt"
	"slices"

	runbook "github.com/runbookdev/runbook"
)

// Apply returns a copy of the guide with every param's value substituted
// (whole tokens, longest first) into commands, expected output, answers,
// paths and file contents; hidden answers get their secret's value.
//
// A value pasted into a command or a file is escaped for where it lands (a
// bash '…' or "…" string or bare word, a yaml or json string, a supervisord
// value; see forwardShell and forwardContent), so the program gets exactly
// the value set. Expected output, prompts and answers get it as it is: that
// is what the terminal shows.
//
// A param's ties (Param.Ties) are substituted only in their own step, or on
// their own line of a command's output and answers; a Local param only
// there. g itself is not changed.
func Apply(g *runbook.Guide, ps []runbook.Param) *runbook.Guide {
	if g == nil {
		return nil
	}
	out := *g
	out.Sections = slices.Clone(g.Sections)
	out.Diagnostics = slices.Clone(g.Diagnostics)
	out.Params = cloneParams(ps)
	out.Steps = make([]runbook.Step, len(g.Steps))
	values := map[string]string{}
	for _, p := range ps {
		values[p.Name] = p.Value
	}
	fc := newFileContent(ps)
	rs := newScopedReplacers(g, ps)
	for i, st := range g.Steps {
		switch s := st.(type) {
		case *runbook.Command:
			out.Steps[i] = applyCommand(s, func(line int) *runbook.Replacer { return rs.get(s.Inclusion, s.ID, line) }, values)
		case *runbook.File:
			rf := rs.get(s.Inclusion, s.ID, 0)
			f := *s
			f.Header = cloneHeader(s.Header)
			f.Path, f.Content = rf.Forward(s.Path), fc.apply(rf, s.Pos, s.Format, s.Path, s.Content)
			f.Key = slices.Clone(s.Key)
			out.Steps[i] = &f
		case *runbook.Manual:
			rf := rs.get(s.Inclusion, s.ID, 0)
			m := *s
			m.Header = cloneHeader(s.Header)
			// A person copies it into the file, which must read the same.
			m.Path, m.Content = rf.Forward(s.Path), fc.apply(rf, s.Pos, s.Format, s.Path, s.Content)
			out.Steps[i] = &m
		default:
			out.Steps[i] = st
		}
	}
	out.Diagnostics = append(out.Diagnostics, fc.diags...)
	return &out
}

// fileContent applies values to file contents and notes the values a
// format cannot hold.
type fileContent struct {
	secret map[string]bool   // the secret values: they stay strings in yaml
	names  map[string]string // example → param name, for diagnostics
	diags  []runbook.Diagnostic
}

func newFileContent(ps []runbook.Param) *fileContent {
	fc := &fileContent{secret: map[string]bool{}, names: map[string]string{}}
	for _, p := range ps {
		if p.Secret && p.Value != "" {
			fc.secret[p.Value] = true
		}
		if _, ok := fc.names[p.Example]; !ok {
			fc.names[p.Example] = p.Name
		}
	}
	return fc
}

// apply substitutes into one file's content; a value the format cannot
// hold is written as well as it can be and gets a warning that names the
// parameter (never its value, which may be secret).
func (fc *fileContent) apply(r *runbook.Replacer, pos runbook.Pos, format, path, content string) string {
	text, unfit := forwardContent(r, format, path, content, fc.secret)
	for _, example := range slices.Compact(slices.Sorted(slices.Values(unfit))) {
		fc.diags = append(fc.diags, runbook.Diagnostic{Pos: pos, Severity: runbook.Warning, ID: "unquotable-value",
			Message: fmt.Sprintf("the value of %s cannot be written into this %s file as it is: it holds a quote the format has no escape for", fc.names[example], format)})
	}
	return text
}

// scopedReplacers builds, once each, the replacer for the steps of one
// include instance (see inclusionParams), and for a step or a line of a
// command's output that has ties of its own.
type scopedReplacers struct {
	params func(k int) ([]runbook.Param, int)
	ties   map[int]*stepTies
	cache  map[replacerKey]*runbook.Replacer
}

type replacerKey struct {
	inclusion, step, line int
}

// stepTies are the params a step's ties stand for, as params of their own.
type stepTies struct {
	whole []runbook.Param         // anywhere in the step
	lines map[int][]runbook.Param // on one source line of a command's output and answers
}

func newScopedReplacers(g *runbook.Guide, ps []runbook.Param) *scopedReplacers {
	return &scopedReplacers{params: inclusionParams(g, ps), ties: tiesByStep(ps), cache: map[replacerKey]*runbook.Replacer{}}
}

// tiesByStep turns each tie into a param for its step: its text stands for
// the tied param's value there.
func tiesByStep(ps []runbook.Param) map[int]*stepTies {
	out := map[int]*stepTies{}
	for _, p := range ps {
		for _, t := range p.Ties {
			st := out[t.Step]
			if st == nil {
				st = &stepTies{lines: map[int][]runbook.Param{}}
				out[t.Step] = st
			}
			tp := runbook.Param{Name: p.Name, Example: t.Text, Kind: p.Kind, Secret: p.Secret}
			if p.Value != "" {
				tp.Value = t.Prefix + p.Value
			}
			if t.Line == 0 {
				st.whole = append(st.whole, tp)
			} else {
				st.lines[t.Line] = append(st.lines[t.Line], tp)
			}
		}
	}
	return out
}

// get returns the replacer for step id of include instance k, on source
// line line of its output (0: the step as a whole).
func (sr *scopedReplacers) get(k, id, line int) *runbook.Replacer {
	ps, scope := sr.params(k)
	st := sr.ties[id]
	if st == nil {
		id, line = 0, 0
	} else if len(st.lines[line]) == 0 {
		line = 0
	}
	key := replacerKey{scope, id, line}
	if r := sr.cache[key]; r != nil {
		return r
	}
	if st != nil {
		// Ties go first: "program:synapse" is the program's name there,
		// whatever else the text holds.
		ps = slices.Concat(st.lines[line], st.whole, ps)
	}
	r := runbook.NewReplacer(ps)
	sr.cache[key] = r
	return r
}

// applyCommand copies a command with values substituted; at gives the
// replacer for a source line of its output (0: the prompt and command).
func applyCommand(s *runbook.Command, at func(line int) *runbook.Replacer, values map[string]string) *runbook.Command {
	r := at(0)
	c := *s
	c.Header = cloneHeader(s.Header)
	c.Prompt.User = r.Forward(s.Prompt.User)
	c.Prompt.Host = r.Forward(s.Prompt.Host)
	c.Prompt.Dir = r.Forward(s.Prompt.Dir)
	c.Closing = s.Closing.Map(r.Forward)
	c.Text = forwardShell(r, s.Text)
	c.Expect = make([]string, len(s.Expect))
	for k, l := range s.Expect {
		c.Expect[k] = at(s.ExpectLine + k).Forward(l)
	}
	c.Answers = make([]runbook.Answer, len(s.Answers))
	for k, a := range s.Answers {
		ra := at(s.ExpectLine + a.Line)
		a.Prompt = ra.Forward(a.Prompt)
		if a.Kind == runbook.Hidden {
			a.Text = values[a.Param]
		} else {
			a.Text = ra.Forward(a.Text)
		}
		c.Answers[k] = a
	}
	if len(s.Expect) == 0 && s.Expect == nil {
		c.Expect = nil
	}
	if s.Answers == nil {
		c.Answers = nil
	}
	return &c
}

func cloneHeader(h runbook.Header) runbook.Header {
	h.Section = slices.Clone(h.Section)
	return h
}

func cloneParams(ps []runbook.Param) []runbook.Param {
	out := slices.Clone(ps)
	for i := range out {
		out[i].Uses = slices.Clone(out[i].Uses)
		out[i].Ties = slices.Clone(out[i].Ties)
	}
	return out
}
