package learn

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// saved is the progress file: per step its id, a fingerprint of what the
// guide writes for it and how far the trainee got; no values, no output.
type saved struct {
	Guide   string      `json:"guide"`
	Steps   []savedStep `json:"steps"`
	Dir     string      `json:"dir,omitempty"` // the shell's directory, ~ for the home
	Seconds float64     `json:"seconds"`
	Time    time.Time   `json:"time"`
}

type savedStep struct {
	ID          int    `json:"id"`
	Fingerprint string `json:"fingerprint"`
	Status      Status `json:"status"`
	Hints       int    `json:"hints,omitempty"`
	Corrected   bool   `json:"corrected,omitempty"`
}

// Marshal is the progress to save: dir is the shell's directory, kept so
// that a resumed lesson starts where this one stopped.
func (l *Lesson) Marshal(guide, dir string) ([]byte, error) {
	s := saved{Guide: guide, Seconds: l.elapsed.Seconds(), Time: time.Now().UTC()}
	if dir != "" {
		s.Dir = l.r.Redact(l.tilde(dir))
	}
	for _, ps := range l.steps {
		s.Steps = append(s.Steps, savedStep{ID: ps.step.Head().ID, Fingerprint: fingerprint(ps.public),
			Status: ps.status, Hints: ps.hints, Corrected: ps.corrected})
	}
	data, err := json.MarshalIndent(s, "", "  ")
	return append(data, '\n'), err
}

// Unmarshal restores saved progress: each step whose fingerprint still
// matches gets its status back (a step the guide has changed since is open
// again), and the lesson goes on at the first open step. It returns the
// saved directory with ~ for the home; no data is no progress.
func (l *Lesson) Unmarshal(data []byte) (string, error) {
	if len(data) == 0 {
		return "", nil
	}
	var s saved
	if err := json.Unmarshal(data, &s); err != nil {
		return "", fmt.Errorf("not a runbook progress file: %v", err)
	}
	byID := map[int]savedStep{}
	for _, st := range s.Steps {
		byID[st.ID] = st
	}
	for _, ps := range l.steps {
		st, ok := byID[ps.step.Head().ID]
		if !ok || st.Fingerprint != fingerprint(ps.public) || !known(st.Status) {
			continue
		}
		ps.status, ps.hints, ps.corrected = st.Status, st.Hints, st.Corrected
	}
	l.elapsed = time.Duration(s.Seconds * float64(time.Second))
	l.cur = 0
	l.advance()
	return s.Dir, nil
}

func known(s Status) bool {
	switch s {
	case Open, Alone, Hinted, Ran, Skipped:
		return true
	}
	return false
}

// Started reports whether any step has been done or skipped.
func (l *Lesson) Started() bool {
	for _, ps := range l.steps {
		if ps.status != Open || ps.hints > 0 {
			return true
		}
	}
	return false
}

// fingerprint identifies what a step does as the guide writes it (its
// example values): prose and positions are left out, so that editing the
// text around a step keeps the trainee's progress on it.
func fingerprint(st runbook.Step) string {
	fields := []string{string(st.Kind())}
	switch s := st.(type) {
	case *runbook.Command:
		fields = append(append(fields, s.Prompt.Dir, s.Text), s.Expect...)
	case *runbook.File:
		fields = append(fields, s.Path, string(s.Mode), s.Content)
	case *runbook.Manual:
		fields = append(fields, s.Reason, s.Content)
	}
	data, _ := json.Marshal(fields) // a list of strings: quoting keeps the fields apart
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}
