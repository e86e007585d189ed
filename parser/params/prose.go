package params

import (
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// What the prose around a block says about its values (Notes, from the
// parser) makes params the steps alone do not show.

// proseSecrets makes the secret the prose names for a block ("Use
// “MySuperSecretPassword“ as the password:") the one its hidden prompts
// type. A literal that is a plain word ("password") would change unrelated
// text wherever it occurs, so it is a param only at those prompts (Local).
func (d *detector) proseSecrets(g *runbook.Guide) {
	d.prose = map[int]string{}
	for i, st := range g.Steps {
		c, ok := st.(*runbook.Command)
		if !ok || !c.First {
			continue
		}
		n, ok := secretNote(d.notes[c.ID])
		if !ok {
			continue
		}
		block := blockSteps(g, i)
		if !hasHidden(g, block) {
			continue
		}
		x := n.Secret
		prog, _ := programAndRole(c.Text)
		name := "password:" + prog // as a hidden prompt's own secret is named
		if dummySecret.MatchString(x) {
			name = secretName(x)
		}
		local := !dummyValue(x) && !dummySecret.MatchString(x)
		j := d.add(runbook.Param{Name: name, Example: x, Kind: runbook.ParamSecret, Secret: true, Local: local})
		d.ps[j].Uses = append(d.ps[j].Uses, n.Pos)
		for _, k := range block {
			d.prose[g.Steps[k].Head().ID] = d.ps[j].Name
			d.steps[j][k] = true
		}
	}
}

// secretNote returns the last note that names a secret.
func secretNote(notes []Note) (Note, bool) {
	for i := len(notes) - 1; i >= 0; i-- {
		if notes[i].Secret != "" {
			return notes[i], true
		}
	}
	return Note{}, false
}

// hasHidden reports whether one of the steps has a hidden answer.
func hasHidden(g *runbook.Guide, steps []int) bool {
	for _, k := range steps {
		if c, ok := g.Steps[k].(*runbook.Command); ok {
			for _, a := range c.Answers {
				if a.Kind == runbook.Hidden {
					return true
				}
			}
		}
	}
	return false
}

// blockSteps returns the indexes of the steps of the block that step i is
// in: a console block's commands, or the one step of any other block.
func blockSteps(g *runbook.Guide, i int) []int {
	start, end := i, i
	for start > 0 && continues(g.Steps[start]) {
		start--
	}
	for end+1 < len(g.Steps) && continues(g.Steps[end+1]) {
		end++
	}
	out := make([]int, 0, end-start+1)
	for k := start; k <= end; k++ {
		out = append(out, k)
	}
	return out
}

// continues reports whether a step belongs to the block of the step before it.
func continues(st runbook.Step) bool {
	c, ok := st.(*runbook.Command)
	return ok && !c.First
}

// ties finds, for each placeholder, the value the prose names in literal
// markup beside a block that holds the placeholder ("modify the entry with
// “port: 8008“" before the listener block, then the web-backend include's
// <port>), when the block next to it holds that value too: there, the value
// is the placeholder's. A placeholder with no default takes that value as
// its default.
func (d *detector) ties(g *runbook.Guide) {
	for i := range d.ps {
		p := &d.ps[i]
		if p.Kind != runbook.ParamPlaceholder || p.Secret || p.Local || p.Example == "" {
			continue
		}
		done := map[int]bool{}
		for _, k := range sortedSteps(d.steps[i]) {
			block := blockSteps(g, k)
			if done[block[0]] {
				continue
			}
			done[block[0]] = true
			for _, a := range []int{block[0] - 1, block[len(block)-1] + 1} {
				d.tieAdjacent(g, i, block[0], a)
			}
		}
	}
}

// tieAdjacent ties the value of param i to content step a, beside the
// block that starts at step index s, when the prose between or before them
// names it.
func (d *detector) tieAdjacent(g *runbook.Guide, i, s, a int) {
	if a < 0 || a >= len(g.Steps) || !slices.Equal(g.Steps[a].Head().Section, g.Steps[s].Head().Section) {
		return
	}
	content := stepContent(g.Steps[a])
	if content == "" {
		return
	}
	p := &d.ps[i]
	literals := slices.Concat(literalsOf(d.notes[g.Steps[a].Head().ID]), literalsOf(d.notes[g.Steps[s].Head().ID]))
	value := p.Default
	for _, l := range literals {
		v := value
		if v == "" {
			if v = proseValue("``"+l+"``", p.Example); v == p.Example {
				continue
			}
		}
		if !hasToken(l, v) || !hasToken(content, v) {
			continue
		}
		if p.Default == "" {
			p.Default, p.Value = v, v
		}
		h := g.Steps[a].Head()
		line := h.Pos.Line + strings.Count(content[:tokenIndex(content, v)], "\n")
		tie := runbook.Tie{Text: v, Step: h.ID, Pos: runbook.Pos{File: stepFile(g, a), Line: line}}
		p.Ties = append(p.Ties, tie)
		p.Uses = append(p.Uses, tie.Pos)
		return
	}
}

// literalsOf joins the literal texts of notes.
func literalsOf(notes []Note) []string {
	var out []string
	for _, n := range notes {
		out = append(out, n.Literals...)
	}
	return out
}

// stepContent is the content of a file or manual step, else "".
func stepContent(st runbook.Step) string {
	switch s := st.(type) {
	case *runbook.File:
		return s.Content
	case *runbook.Manual:
		return s.Content
	}
	return ""
}

// sortedSteps returns the step indexes of a set in order.
func sortedSteps(set map[int]bool) []int {
	out := make([]int, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
