package runbook

import (
	"fmt"
	"strconv"
	"strings"
)

// Dump renders a guide as deterministic, readable text: the golden format of
// the parser's tests and a debugging aid. Secret values (hidden answers'
// text, secret params' values) are never printed.
func Dump(g *Guide) string {
	var b strings.Builder
	fmt.Fprintf(&b, "guide %s\n", g.Name)
	fmt.Fprintf(&b, "title %q\n", g.Title)
	for _, s := range g.Sections {
		fmt.Fprintf(&b, "section %s level=%d %s", s.Pos, s.Level, strings.Join(s.Path, " / "))
		if s.Role != RoleInstall {
			fmt.Fprintf(&b, " role=%s why=%q", s.Role, s.RoleWhy)
		}
		b.WriteByte('\n')
	}
	for i, in := range g.Inclusions {
		fmt.Fprintf(&b, "inclusion %d %s %s", i+1, in.Pos, in.File)
		if in.Prose != "" {
			fmt.Fprintf(&b, " prose=%q", in.Prose)
		}
		b.WriteByte('\n')
	}
	for _, s := range g.Steps {
		dumpStep(&b, s)
	}
	for _, p := range g.Params {
		dumpParam(&b, p)
	}
	for _, f := range g.Flows {
		fmt.Fprintf(&b, "flow %q from=%d line=%d to=%v secret=%v\n", f.Example, f.From, f.Line, f.To, f.Secret)
	}
	for _, d := range g.Diagnostics {
		fmt.Fprintf(&b, "%s %s %s: %s\n", d.Severity, d.ID, d.Pos, d.Message)
	}
	return b.String()
}

// dumpStep writes one step: a header line, then the kind's fields indented.
func dumpStep(b *strings.Builder, s Step) {
	h := s.Head()
	fmt.Fprintf(b, "\nstep %d %s %s", h.ID, s.Kind(), h.Pos)
	if h.Lang != "" {
		fmt.Fprintf(b, " lang=%s", h.Lang)
	}
	if h.Inclusion > 0 {
		fmt.Fprintf(b, " inclusion=%d", h.Inclusion)
	}
	b.WriteByte('\n')
	if len(h.Section) > 0 {
		fmt.Fprintf(b, "  section: %s\n", strings.Join(h.Section, " / "))
	}
	switch s := s.(type) {
	case *Command:
		dumpCommand(b, s)
	case *File:
		fmt.Fprintf(b, "  file: %s mode=%s format=%s", s.Path, s.Mode, s.Format)
		if len(s.Key) > 0 {
			fmt.Fprintf(b, " key=%s", strings.Join(s.Key, "."))
		}
		b.WriteByte('\n')
		if s.Why != "" {
			fmt.Fprintf(b, "  why: %s\n", s.Why)
		}
		dumpText(b, "content", s.Content)
	case *Manual:
		fmt.Fprintf(b, "  reason: %s\n", s.Reason)
		if s.Path != "" {
			fmt.Fprintf(b, "  path: %s\n", s.Path)
		}
		if s.Format != "" {
			fmt.Fprintf(b, "  format: %s\n", s.Format)
		}
		dumpText(b, "content", s.Content)
	}
}

// dumpCommand writes a command's prompt, text, output and answers.
func dumpCommand(b *strings.Builder, c *Command) {
	p := c.Prompt
	fmt.Fprintf(b, "  prompt: user=%s host=%s dir=%s", p.User, p.Host, p.Dir)
	if p.Venv != "" {
		fmt.Fprintf(b, " venv=%s", p.Venv)
	}
	if p.Root {
		b.WriteString(" root")
	}
	if c.First {
		b.WriteString(" first")
	}
	b.WriteByte('\n')
	dumpText(b, "command", c.Text)
	if len(c.Expect) > 0 {
		fmt.Fprintf(b, "  expect: line=%d indent=%q\n", c.ExpectLine, c.Indent)
		for _, l := range c.Expect {
			fmt.Fprintf(b, "    | %s\n", l)
		}
	}
	for _, a := range c.Answers {
		fmt.Fprintf(b, "  answer %s prompt=%q", a.Kind, a.Prompt)
		if a.Kind == Hidden {
			b.WriteString(" text=(secret)")
			if a.Param != "" {
				fmt.Fprintf(b, " param=%s", a.Param)
			}
		} else {
			fmt.Fprintf(b, " text=%q", a.Text)
		}
		fmt.Fprintf(b, " line=%d", a.Line)
		if a.Unasked {
			b.WriteString(" unasked")
		}
		b.WriteByte('\n')
	}
}

// dumpText writes a multi-line text field, each line behind "| " so that
// leading and trailing spaces stay visible.
func dumpText(b *strings.Builder, label, s string) {
	if s == "" {
		return
	}
	fmt.Fprintf(b, "  %s:\n", label)
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		fmt.Fprintf(b, "    | %s\n", l)
	}
}

// dumpParam writes a param; a secret's value is only said to be set or not.
func dumpParam(b *strings.Builder, p Param) {
	value := strconv.Quote(p.Value)
	if p.Secret {
		value = "(secret, unset)"
		if p.Value != "" {
			value = "(secret, set)"
		}
	}
	fmt.Fprintf(b, "param %s kind=%s example=%q value=%s", p.Name, p.Kind, p.Example, value)
	if p.Derived != "" {
		fmt.Fprintf(b, " derived=%s", p.Derived)
	}
	if p.Default != "" && !p.Secret {
		fmt.Fprintf(b, " default=%q", p.Default)
	}
	if p.Local {
		b.WriteString(" local")
	}
	for _, t := range p.Ties {
		fmt.Fprintf(b, " tie=%q@step%d", t.Text, t.Step)
		if t.Line != 0 {
			fmt.Fprintf(b, ":%d", t.Line)
		}
	}
	fmt.Fprintf(b, " uses=%d", len(p.Uses))
	for i, u := range p.Uses {
		if i == 5 {
			b.WriteString(" ...")
			break
		}
		fmt.Fprintf(b, " %s", u)
	}
	b.WriteByte('\n')
}
