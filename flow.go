package runbook

import (
	"strconv"
	"strings"
)

// Flow is a value that one step prints and a later step repeats literally:
// the hash hash_password prints and the UPDATE that stores it, a token a
// command generates and the config file that holds it. The guide shows one
// example of it; a real run prints another, which the runner captures from
// the step's output and uses in the later steps instead.
type Flow struct {
	Example string // the value as the guide shows it
	From    int    // the ID of the step whose documented output shows it
	Line    int    // index into that command's Expect of the line that shows it
	To      []int  // the IDs of the later steps that repeat it
	// Secret marks a value printed by a step that reads a hidden answer (a
	// hash of a password): it is masked wherever it would show.
	Secret bool
}

// FlowsInto returns the flows whose value step id repeats.
func (g *Guide) FlowsInto(id int) []Flow {
	var out []Flow
	for _, f := range g.Flows {
		for _, t := range f.To {
			if t == id {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// FlowsFrom returns the flows whose value step id prints.
func (g *Guide) FlowsFrom(id int) []Flow {
	var out []Flow
	for _, f := range g.Flows {
		if f.From == id {
			out = append(out, f)
		}
	}
	return out
}

// StepNames names steps by ID in a sentence: "step 36", "steps 36, 40".
func StepNames(ids []int) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = strconv.Itoa(id)
	}
	if len(ids) == 1 {
		return "step " + names[0]
	}
	return "steps " + strings.Join(names, ", ")
}
