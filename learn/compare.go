package learn

import (
	"strings"

	"github.com/runbookdev/runbook/internal/udiff"
)

// commandMatch is how a typed command line relates to the step's command.
type commandMatch int

const (
	// unrelated: another program, as when a trainee looks around with ls.
	unrelated commandMatch = iota
	// sameCommand: the same words after quote removal and expansion.
	sameCommand
	// differentArgs: the same program with other words: an attempt that differs.
	differentArgs
)

// difference is the first place where a typed command differs from the step's.
type difference struct {
	guide string // the guide's word(s) there, as written; "" when the typed command has more
	typed string // the typed word(s) there, as typed; "" when the guide's has more
	after string // the word before the difference in the guide's command, for "after ..."
}

// compareCommands tells whether typed is the guide's command, an attempt at
// it with other words, or something else; home is what ~ and $HOME mean.
func compareCommands(guide, typed, home string) (commandMatch, difference) {
	g, t := shellWords(guide, home), shellWords(typed, home)
	if len(t) == 0 || program(g) == "" || program(g) != program(t) {
		return unrelated, difference{}
	}
	gk, tk := keys(g), keys(t)
	if strings.Join(gk, "\x01") == strings.Join(tk, "\x01") {
		return sameCommand, difference{}
	}
	return differentArgs, firstDifference(g, t, udiff.Edits(gk, tk))
}

func keys(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.key()
	}
	return out
}

// firstDifference reads the first change of the edit script: the run of
// guide words left out and typed words put in its place.
func firstDifference(g, t []word, edits []udiff.Edit) difference {
	var d difference
	var gs, ts []string
	lastEqual := -1
	for i, e := range edits {
		if e.Op == udiff.Equal {
			if len(gs) > 0 || len(ts) > 0 {
				break
			}
			lastEqual = e.A
			continue
		}
		if e.Op == udiff.Delete {
			gs = append(gs, g[e.A].src)
		} else {
			ts = append(ts, t[e.B].src)
		}
		if i+1 < len(edits) && edits[i+1].Op == udiff.Equal {
			break
		}
	}
	d.guide, d.typed = strings.Join(gs, " "), strings.Join(ts, " ")
	if lastEqual >= 0 {
		d.after = g[lastEqual].src
	}
	return d
}
