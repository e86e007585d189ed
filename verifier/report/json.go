package report

import (
	"encoding/json"
	"io"

	runbook "github.com/runbookdev/runbook"
)

// jsonReport is the `check --report json` object of DESIGN.md.
type jsonReport struct {
	Guide   string     `json:"guide"`
	Summary Summary    `json:"summary"`
	Steps   []jsonStep `json:"steps"`
}

// jsonStep is one step of the JSON report. Exit is null for a step that
// did not run and for file and manual steps, which have no exit status.
type jsonStep struct {
	ID         int    `json:"id"`
	Pos        string `json:"pos"`
	Kind       string `json:"kind"`
	Verdict    string `json:"verdict"`
	Simulated  bool   `json:"simulated"`
	Exit       *int   `json:"exit"`
	DurationMS int64  `json:"duration_ms"`
	Reason     string `json:"reason"`
	Diff       string `json:"diff"`
	// Volatile names the classes of the volatile tokens that differed on
	// an ok step (DESIGN: "lists the classes it masked in volatile").
	Volatile []runbook.VolatileClass `json:"volatile"`
}

// writeJSON writes one object for one guide, an array for several.
func writeJSON(w io.Writer, reports []Report) error {
	out := make([]jsonReport, len(reports))
	for i, r := range reports {
		out[i] = jsonReport{Guide: r.Guide, Summary: Summarize(r.Results), Steps: []jsonStep{}}
		for _, res := range r.Results {
			s := view(res)
			js := jsonStep{
				ID: s.id, Pos: s.pos.String(), Kind: string(s.kind), Verdict: string(s.verdict),
				Simulated: s.simulated, DurationMS: s.duration.Milliseconds(), Reason: s.reason, Diff: s.diff,
				Volatile: append([]runbook.VolatileClass{}, s.classes...),
			}
			if s.ran && s.kind == "command" {
				exit := s.exit
				js.Exit = &exit
			}
			out[i].Steps = append(out[i].Steps, js)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if len(out) == 1 {
		return enc.Encode(out[0])
	}
	return enc.Encode(out)
}
