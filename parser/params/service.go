package params

import (
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// SERVICE in the supervisord include is the program of the service file
// written before it ("[program:synapse]" in ~/etc/services.d/synapse.ini).
// A guide that sets up two services includes it twice, once after each
// file, so SERVICE is one param per program, in reading order ("service",
// "service-2"), each defaulting to its program and tied to the steps it
// occurs in (Local: SERVICE means that program only there). The program's
// name in the ini block is tied to it as well: `--set service=matrix`
// renames the program the file defines along with what supervisorctl is
// asked about.

// programRe finds the program a supervisord service file defines.
var programRe = regexp.MustCompile(`(?m)^\s*\[program:([^\]\s]+)\]`)

// serviceWord is how the includes write the program's name.
const serviceWord = "SERVICE"

// service makes the SERVICE params, one per program that occurrences follow.
func (d *detector) service(g *runbook.Guide, sp []span) {
	byProgram := map[string]int{} // program → index in d.ps
	for _, s := range sp {
		n := countToken(s.text, serviceWord)
		if n == 0 {
			continue
		}
		program, tie, found := programBefore(g, s.step)
		i, ok := byProgram[program]
		if !ok {
			i = d.addService(program, tie, found)
			byProgram[program] = i
		}
		p := &d.ps[i]
		if id := g.Steps[s.step].Head().ID; len(p.Ties) == 0 || p.Ties[len(p.Ties)-1].Step != id {
			p.Ties = append(p.Ties, runbook.Tie{Text: serviceWord, Step: id, Pos: g.Steps[s.step].Head().Pos})
		}
		for ; n > 0; n-- {
			p.Uses = append(p.Uses, runbook.Pos{File: stepFile(g, s.step), Line: s.line})
		}
		if !s.output {
			d.steps[i][s.step] = true
		}
	}
}

// addService adds the SERVICE param of one program (none when found is
// false), tied to where the ini block names the program.
func (d *detector) addService(program string, tie runbook.Tie, found bool) int {
	// Each program gets a param of its own, though they share the example.
	i := d.push(runbook.Param{Name: "service", Example: serviceWord, Default: program, Kind: runbook.ParamService, Local: true})
	if found {
		d.ps[i].Ties = append(d.ps[i].Ties, tie)
		d.ps[i].Uses = append(d.ps[i].Uses, tie.Pos)
	}
	return i
}

// programBefore finds the nearest file step before step index i that
// defines a supervisord program; it returns the program and a tie to where
// the block names it, or found false.
func programBefore(g *runbook.Guide, i int) (program string, tie runbook.Tie, found bool) {
	for j := min(i, len(g.Steps)) - 1; j >= 0; j-- {
		var content string
		switch s := g.Steps[j].(type) {
		case *runbook.File:
			content = s.Content
		case *runbook.Manual:
			content = s.Content
		default:
			continue
		}
		m := programRe.FindStringSubmatchIndex(content)
		if m == nil {
			continue
		}
		program = content[m[2]:m[3]]
		h := g.Steps[j].Head()
		line := h.Pos.Line + strings.Count(content[:m[2]], "\n")
		return program, runbook.Tie{Text: "program:" + program, Prefix: "program:", Step: h.ID,
			Pos: runbook.Pos{File: stepFile(g, j), Line: line}}, true
	}
	return "", runbook.Tie{}, false
}
