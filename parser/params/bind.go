package params

import (
	"path"
	"regexp"
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// confirmWords mark the second prompt of a "type it twice" pair.
var confirmWords = []string{"again", "confirm", "retype", "re-type", "reenter", "re-enter", "repeat", "verify"}

// bindHidden sets Answer.Param on every Hidden answer of g, in this order:
//  1. a confirmation ("Enter it again:") takes the param of the hidden
//     answer before it in the same command;
//  2. the secret the prose before the block names ("Use “X“ as the
//     password:", see proseSecrets);
//  3. the only secret param that the reader writes (in a command or a
//     file, not in documented output) in the command's section;
//  4. the secret that occurs most often within three lines of the role the
//     command names (createuser syncv3 -P ↔ "user=syncv3 … password=…");
//  5. the only documented secret of the whole guide, as issue 3 asks
//     ("otherwise the only secret of the section or of the guide");
//  6. a new secret param for that command, "password:PROGRAM[:ROLE]".
func bindHidden(g *runbook.Guide, d *detector) {
	for i, st := range g.Steps {
		c, ok := st.(*runbook.Command)
		if !ok {
			continue
		}
		prev := ""
		for k := range c.Answers {
			a := &c.Answers[k]
			if a.Kind != runbook.Hidden {
				continue
			}
			switch {
			case prev != "" && containsAny(strings.ToLower(a.Prompt), confirmWords):
				a.Param = prev
			case d.prose[c.ID] != "":
				a.Param = d.prose[c.ID]
			default:
				a.Param = d.secretFor(g, i, c)
			}
			prev = a.Param
		}
	}
}

// secretFor picks or makes the secret for a hidden prompt of command c (step i).
func (d *detector) secretFor(g *runbook.Guide, i int, c *runbook.Command) string {
	if name := d.onlySecretIn(g, c.Section); name != "" {
		return name
	}
	prog, role := programAndRole(c.Text)
	if role != "" && role != d.user {
		if name := d.secretBeside(g, role); name != "" {
			return name
		}
	}
	if name := d.onlySecretIn(g, nil); name != "" {
		return name
	}
	name := "password:" + prog
	if role != "" {
		name += ":" + role
	}
	j := d.add(runbook.Param{Name: name, Kind: runbook.ParamSecret, Secret: true})
	d.ps[j].Uses = append(d.ps[j].Uses, c.Pos)
	d.steps[j][i] = true
	return d.ps[j].Name
}

// onlySecretIn returns the one secret param that occurs in the section (in
// the whole guide when section is nil), or "".
func (d *detector) onlySecretIn(g *runbook.Guide, section []string) string {
	found := ""
	for j, p := range d.ps {
		if !p.Secret || p.Example == "" {
			continue
		}
		for st := range d.steps[j] {
			if section == nil || slices.Equal(g.Steps[st].Head().Section, section) {
				if found != "" && found != p.Name {
					return ""
				}
				found = p.Name
				break
			}
		}
	}
	return found
}

// secretBeside scores each secret by how often it occurs within three lines
// of the role name, in any step, and returns the best one.
func (d *detector) secretBeside(g *runbook.Guide, role string) string {
	sp := spans(g)
	best, bestScore := "", 0
	for j, p := range d.ps {
		if !p.Secret || p.Example == "" || p.Local {
			continue // a local secret's example means it only at its own prompts
		}
		score := 0
		for a, s := range sp {
			if !hasToken(s.text, p.Example) {
				continue
			}
			for b := a - 3; b <= a+3; b++ {
				if b >= 0 && b < len(sp) && sp[b].step == s.step && hasToken(sp[b].text, role) {
					score++
					break
				}
			}
		}
		if score > bestScore {
			best, bestScore = d.ps[j].Name, score
		}
	}
	return best
}

// roleWord is an argument that can name a database role or account.
var roleWord = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// programAndRole reads a command such as "createuser synapse -P" or
// "psql --user synapse" as its program and the last plain word argument.
func programAndRole(text string) (string, string) {
	text = strings.ReplaceAll(text, "\\\n", " ")
	line, _, _ := strings.Cut(text, "\n")
	fields := strings.Fields(line)
	for len(fields) > 0 && (strings.Contains(fields[0], "=") || fields[0] == "sudo") {
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return "command", ""
	}
	prog := path.Base(fields[0])
	role := ""
	for _, f := range fields[1:] {
		if strings.ContainsAny(f, "|;&><") {
			break
		}
		f = strings.Trim(f, `"'`)
		if u, _, ok := strings.Cut(f, "@"); ok {
			f = u
		}
		if !strings.HasPrefix(f, "-") && roleWord.MatchString(f) && !strings.Contains(f, ".") {
			role = f
		}
	}
	return prog, role
}
