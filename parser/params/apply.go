package params

import (
	"fmt"
	"regexp"
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
// SERVICE in the supervisord include means the program of the service file
// written before it, so while the "service" param is not set, each command
// gets the name from the nearest "[program:NAME]" file step above it.
// g itself is not changed.
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
	service := serviceUnset(ps)
	program := ""
	rs := newScopedReplacers(g, ps)
	for i, st := range g.Steps {
		switch s := st.(type) {
		case *runbook.Command:
			rp := ""
			if service {
				rp = program
			}
			out.Steps[i] = applyCommand(s, rs.get(s.Inclusion, rp), values)
		case *runbook.File:
			if m := programRe.FindStringSubmatch(s.Content); m != nil {
				program = m[1]
			}
			rf := rs.get(s.Inclusion, "")
			f := *s
			f.Header = cloneHeader(s.Header)
			f.Path, f.Content = rf.Forward(s.Path), fc.apply(rf, s.Pos, s.Format, s.Path, s.Content)
			f.Key = slices.Clone(s.Key)
			out.Steps[i] = &f
		case *runbook.Manual:
			rf := rs.get(s.Inclusion, "")
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
// include instance (see inclusionParams) and, while SERVICE is unset, of
// one supervisord program.
type scopedReplacers struct {
	params func(k int) ([]runbook.Param, int)
	cache  map[replacerKey]*runbook.Replacer
}

type replacerKey struct {
	inclusion int
	program   string
}

func newScopedReplacers(g *runbook.Guide, ps []runbook.Param) *scopedReplacers {
	return &scopedReplacers{params: inclusionParams(g, ps), cache: map[replacerKey]*runbook.Replacer{}}
}

// get returns the replacer for a step of include instance k; program, when
// not empty, is what SERVICE stands for.
func (sr *scopedReplacers) get(k int, program string) *runbook.Replacer {
	ps, scope := sr.params(k)
	key := replacerKey{scope, program}
	if r := sr.cache[key]; r != nil {
		return r
	}
	if program != "" {
		ps = withService(ps, program)
	}
	r := runbook.NewReplacer(ps)
	sr.cache[key] = r
	return r
}

// programRe finds the program a supervisord service file defines.
var programRe = regexp.MustCompile(`(?m)^\s*\[program:([^\]\s]+)\]`)

// serviceUnset reports whether a "service" param exists with its example as value.
func serviceUnset(ps []runbook.Param) bool {
	for _, p := range ps {
		if p.Kind == runbook.ParamService && p.Example == "SERVICE" {
			return p.Value == p.Example
		}
	}
	return false
}

// withService returns ps with SERVICE bound to program.
func withService(ps []runbook.Param, program string) []runbook.Param {
	out := cloneParams(ps)
	for i := range out {
		if out[i].Kind == runbook.ParamService && out[i].Example == "SERVICE" {
			out[i].Value = program
		}
	}
	return out
}

// applyCommand copies a command with values substituted.
func applyCommand(s *runbook.Command, r *runbook.Replacer, values map[string]string) *runbook.Command {
	c := *s
	c.Header = cloneHeader(s.Header)
	c.Prompt.User = r.Forward(s.Prompt.User)
	c.Prompt.Host = r.Forward(s.Prompt.Host)
	c.Prompt.Dir = r.Forward(s.Prompt.Dir)
	c.Closing = s.Closing.Map(r.Forward)
	c.Text = forwardShell(r, s.Text)
	c.Expect = make([]string, len(s.Expect))
	for k, l := range s.Expect {
		c.Expect[k] = r.Forward(l)
	}
	c.Answers = make([]runbook.Answer, len(s.Answers))
	for k, a := range s.Answers {
		a.Prompt = r.Forward(a.Prompt)
		if a.Kind == runbook.Hidden {
			a.Text = values[a.Param]
		} else {
			a.Text = r.Forward(a.Text)
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
	}
	return out
}
