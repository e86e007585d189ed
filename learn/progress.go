package learn

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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

// Save writes the progress to path atomically (a temp file, then a
// rename); dir is the shell's directory, kept so that a resumed lesson
// starts where this one stopped.
func (l *Lesson) Save(path, guide, dir string) error {
	s := saved{Guide: guide, Seconds: l.elapsed.Seconds(), Time: time.Now().UTC()}
	if dir != "" {
		s.Dir = l.r.Redact(l.tilde(dir))
	}
	for _, ps := range l.steps {
		s.Steps = append(s.Steps, savedStep{ID: ps.step.Head().ID, Fingerprint: fingerprint(ps.public),
			Status: ps.status, Hints: ps.hints, Corrected: ps.corrected})
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(data, '\n'))
}

// Load restores saved progress: each step whose fingerprint still matches
// gets its status back (a step the guide has changed since is open again),
// and the lesson goes on at the first open step. It returns the saved
// directory with ~ for the home; a missing file is no progress, not an error.
func (l *Lesson) Load(path string) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading the progress: %w", err)
	}
	var s saved
	if err := json.Unmarshal(data, &s); err != nil {
		return "", fmt.Errorf("%s: not a runbook progress file: %v", path, err)
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
	h := sha256.New()
	put(h, string(st.Kind()))
	switch s := st.(type) {
	case *runbook.Command:
		put(h, s.Prompt.Dir, s.Text)
		for _, e := range s.Expect {
			put(h, e)
		}
	case *runbook.File:
		put(h, s.Path, string(s.Mode), s.Content)
	case *runbook.Manual:
		put(h, s.Reason, s.Content)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// put writes length-prefixed fields, so that different splits cannot collide.
func put(w io.Writer, fields ...string) {
	var n [8]byte
	for _, f := range fields {
		binary.LittleEndian.PutUint64(n[:], uint64(len(f)))
		w.Write(n[:])
		io.WriteString(w, f)
	}
}

// writeAtomic replaces path with data through a temp file in the same directory.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving the progress: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("saving the progress: %w", err)
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving the progress: %w", werr)
	}
	return nil
}
