package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// jsonReport is the `check --report json` object of DESIGN.md, one shape for
// one guide and for a collection: guide, summary and steps as the contract
// says (for several guides guide is empty, summary is the total and steps are
// every guide's steps, each naming its guide), and guides, always an array,
// with one object per guide. Changes lists the guides that are newly broken
// or newly fixed against a --baseline (both empty without one).
type jsonReport struct {
	Guide   string      `json:"guide"`
	Summary Summary     `json:"summary"`
	Steps   []jsonStep  `json:"steps"`
	Guides  []jsonGuide `json:"guides"`
	Changes jsonChanges `json:"changes"`
}

// jsonGuide is one guide of the report. Error says why the guide did not run
// to its end; Change is "broken", "fixed" or "" against the baseline.
type jsonGuide struct {
	Guide   string     `json:"guide"`
	Title   string     `json:"title"`
	Summary Summary    `json:"summary"`
	Steps   []jsonStep `json:"steps"`
	Error   string     `json:"error"`
	Change  Change     `json:"change"`
	Lint    []jsonLint `json:"lint"`
}

// jsonLint is one lint finding of a guide, as `lint --json` names its keys.
type jsonLint struct {
	Pos      string `json:"pos"`
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// jsonChanges names the guides whose state changed against the baseline.
type jsonChanges struct {
	Broken []string `json:"broken"`
	Fixed  []string `json:"fixed"`
}

// jsonStep is one step of the JSON report: the contract's keys, then the
// guide it belongs to and what the other writers show (section, step,
// notes), so that a report read back from JSON renders as the original did.
// Exit is null for a step that did not run and for file and manual steps,
// which have no exit status.
type jsonStep struct {
	ID         int      `json:"id"`
	Pos        string   `json:"pos"`
	Kind       string   `json:"kind"`
	Verdict    string   `json:"verdict"`
	Simulated  bool     `json:"simulated"`
	Exit       *int     `json:"exit"`
	DurationMS int64    `json:"duration_ms"`
	Reason     string   `json:"reason"`
	Diff       string   `json:"diff"`
	Guide      string   `json:"guide"`
	Section    []string `json:"section"`
	Step       string   `json:"step"`
	Notes      []string `json:"notes"`
	Unselected bool     `json:"unselected"`
	Change     Change   `json:"change"`
	// Volatile names the classes of the volatile tokens that differed on
	// an ok step (DESIGN: "lists the classes it masked in volatile").
	Volatile []runbook.VolatileClass `json:"volatile"`
}

// writeJSON writes one object of the same shape whatever the number of guides.
func writeJSON(w io.Writer, reports []Report) error {
	out := jsonReport{Summary: Total(reports), Steps: []jsonStep{}, Guides: []jsonGuide{},
		Changes: jsonChanges{Broken: []string{}, Fixed: []string{}}}
	if len(reports) == 1 {
		out.Guide = reports[0].Guide
	}
	for _, r := range reports {
		g := jsonGuide{Guide: r.Guide, Title: r.Title, Summary: r.Summary(), Steps: []jsonStep{}, Error: r.Error, Change: r.Change,
			Lint: []jsonLint{}}
		for _, d := range r.Lint {
			g.Lint = append(g.Lint, jsonLint{Pos: d.Pos.String(), ID: d.ID, Severity: d.Severity.String(), Message: d.Message})
		}
		for _, s := range r.steps() {
			g.Steps = append(g.Steps, toJSONStep(r.Guide, s))
		}
		out.Steps = append(out.Steps, g.Steps...)
		out.Guides = append(out.Guides, g)
		switch r.Change {
		case Broken:
			out.Changes.Broken = append(out.Changes.Broken, r.Guide)
		case Fixed:
			out.Changes.Fixed = append(out.Changes.Fixed, r.Guide)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func toJSONStep(guide string, s step) jsonStep {
	js := jsonStep{
		ID: s.id, Pos: s.pos.String(), Kind: string(s.kind), Verdict: string(s.verdict),
		Simulated: s.simulated, DurationMS: s.duration.Milliseconds(), Reason: s.reason, Diff: s.diff,
		Guide: guide, Section: nonNil(s.section), Step: s.description, Notes: nonNil(s.notes), Unselected: s.unselected, Change: s.change,
		Volatile: append([]runbook.VolatileClass{}, s.classes...),
	}
	if s.ran && s.kind == runbook.KindCommand {
		exit := s.exit
		js.Exit = &exit
	}
	return js
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// Decode reads a report that `--report json` wrote, so that shards can be
// merged and a run compared with a baseline. Besides the current shape it
// accepts the earlier ones (a lone guide object, an array of them). Steps
// read back keep everything the writers show; their changes against a
// baseline are dropped, as a new comparison decides them.
func Decode(r io.Reader, name string) ([]Report, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var guides []jsonGuide
	trimmed := strings.TrimSpace(string(raw))
	switch {
	case strings.HasPrefix(trimmed, "["):
		err = json.Unmarshal(raw, &guides)
	default:
		var doc struct {
			jsonGuide
			Guides *[]jsonGuide `json:"guides"`
		}
		if err = json.Unmarshal(raw, &doc); err == nil {
			if doc.Guides != nil {
				guides = *doc.Guides
			} else {
				guides = []jsonGuide{doc.jsonGuide}
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not a runbook JSON report: %v", name, jsonError(raw, err))
	}
	reps := make([]Report, len(guides))
	for i, g := range guides {
		if g.Guide == "" {
			return nil, fmt.Errorf("%s: guide %d of the report has no \"guide\" name", name, i+1)
		}
		reps[i] = Report{Guide: g.Guide, Title: g.Title, Error: g.Error, decoded: []step{}}
		for _, l := range g.Lint {
			sev := runbook.Warning
			if l.Severity == runbook.Error.String() {
				sev = runbook.Error
			}
			reps[i].Lint = append(reps[i].Lint, runbook.Diagnostic{Pos: parsePos(l.Pos), ID: l.ID, Severity: sev, Message: l.Message})
		}
		seen := map[string]int{}
		for _, js := range g.Steps {
			s := fromJSONStep(js)
			s.key = stepKey(s.pos, seen)
			reps[i].decoded = append(reps[i].decoded, s)
		}
	}
	return reps, nil
}

func fromJSONStep(js jsonStep) step {
	s := step{
		id: js.ID, pos: parsePos(js.Pos), kind: runbook.Kind(js.Kind), verdict: runbook.Verdict(js.Verdict),
		section: js.Section, description: js.Step, reason: js.Reason, diff: js.Diff, notes: js.Notes,
		simulated: js.Simulated, duration: time.Duration(js.DurationMS) * time.Millisecond, unselected: js.Unselected,
		classes: js.Volatile,
	}
	if len(s.classes) == 0 {
		s.classes = nil
	}
	if len(s.section) == 0 {
		s.section = nil
	}
	if len(s.notes) == 0 {
		s.notes = nil
	}
	if js.Exit != nil {
		s.exit = *js.Exit
	}
	// Whether a step ran is not in the JSON; a step with an exit status or a
	// duration did.
	s.ran = js.Exit != nil || js.DurationMS > 0
	return s
}

// parsePos reads "path:line" back; a path without a line keeps line 0.
func parsePos(s string) runbook.Pos {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if n, err := strconv.Atoi(s[i+1:]); err == nil {
			return runbook.Pos{File: s[:i], Line: n}
		}
	}
	return runbook.Pos{File: s}
}

// jsonError adds the line to a syntax error's byte offset.
func jsonError(raw []byte, err error) error {
	if se, ok := err.(*json.SyntaxError); ok {
		line := 1 + strings.Count(string(raw[:min(int(se.Offset), len(raw))]), "\n")
		return fmt.Errorf("line %d: %v", line, err)
	}
	return err
}
