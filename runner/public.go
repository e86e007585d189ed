package runner

import runbook "github.com/runbookdev/runbook"

// public returns the copy of a step that leaves the runner: every text field
// reverse-substituted (the guide's example values, as the verifier and
// `update` expect) and redacted, hidden answers emptied. The copy keeps the
// step's id, position and section.
func (ru *run) public(st runbook.Step) runbook.Step {
	if p, ok := ru.pub[st]; ok {
		return p
	}
	var p runbook.Step
	switch s := st.(type) {
	case *runbook.Command:
		p = ru.publicCommand(s)
	case *runbook.File:
		c := *s
		c.Path, c.Content, c.Why = ru.clean(s.Path), ru.clean(s.Content), ru.clean(s.Why)
		c.Key = ru.cleanAll(s.Key)
		p = &c
	case *runbook.Manual:
		c := *s
		c.Reason, c.Path, c.Content = ru.clean(s.Reason), ru.clean(s.Path), ru.clean(s.Content)
		p = &c
	default:
		p = st
	}
	ru.pub[st] = p
	return p
}

func (ru *run) publicCommand(s *runbook.Command) *runbook.Command {
	c := *s
	c.Text = ru.clean(s.Text)
	c.Expect = ru.cleanAll(s.Expect)
	c.Prompt.User, c.Prompt.Host = ru.clean(s.Prompt.User), ru.clean(s.Prompt.Host)
	c.Prompt.Dir, c.Prompt.Venv = ru.clean(s.Prompt.Dir), ru.clean(s.Prompt.Venv)
	c.Closing = s.Closing.Map(ru.clean)
	c.Answers = make([]runbook.Answer, len(s.Answers))
	for i, a := range s.Answers {
		a.Prompt = ru.clean(a.Prompt)
		if a.Secret() {
			a.Text = ""
		} else {
			a.Text = ru.clean(a.Text)
		}
		c.Answers[i] = a
	}
	if s.Answers == nil {
		c.Answers = nil
	}
	return &c
}

func (ru *run) cleanAll(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = ru.clean(s)
	}
	return out
}
