package runner

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// savedState is the state file: enough to resume, nothing secret, no output.
type savedState struct {
	Guide    string    `json:"guide"`
	LastGood int       `json:"last_good"` // id of the last step of the unbroken good run from the start
	Steps    int       `json:"steps"`     // how many steps the hash covers (those up to LastGood)
	Hash     string    `json:"hash"`      // sha256 of those steps, example values put back and secrets masked
	Dir      string    `json:"dir"`       // the shell's last working directory
	Time     time.Time `json:"time"`
}

// saveState writes the state atomically (temp file, then rename) so a killed
// run leaves either the old state or the new one, never half of one.
func (ru *run) saveState() error {
	if ru.opts.StatePath == "" || ru.opts.DryRun {
		return nil
	}
	ru.hashTo(ru.state.LastGood)
	ru.state.Steps = ru.hashed
	ru.state.Hash = hex.EncodeToString(ru.hash.Sum(nil))
	ru.state.Dir = ru.redact(ru.dir)
	ru.state.Time = time.Now().UTC()
	data, err := json.MarshalIndent(ru.state, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(ru.opts.StatePath, append(data, '\n'))
}

// writeAtomic replaces path with data through a synced temp file in the same directory.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	// No fsync: the rename is atomic against a killed process, which is what
	// --resume is for; syncing every step would cost milliseconds a step.
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("state file: %w", werr)
	}
	return nil
}

// loadState reads the state for --resume and refuses one whose finished steps
// have changed since it was saved, or one saved for another guide.
func loadState(path string, g *runbook.Guide, clean func(string) string) (savedState, error) {
	var st savedState
	if path == "" {
		return st, errors.New("--resume needs a state file, and none is configured")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, fmt.Errorf("%s: no saved progress to resume (%s does not exist); run without --resume", g.Name, path)
	}
	if err != nil {
		return st, fmt.Errorf("reading the state: %w", err)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("%s: not a runbook state file: %v", path, err)
	}
	if filepath.Base(st.Guide) != filepath.Base(g.Name) {
		return st, fmt.Errorf("%s: the saved progress is for %s, not %s", path, st.Guide, g.Name)
	}
	done := doneSteps(g.Steps, st.LastGood)
	if len(done) != st.Steps || hashSteps(done, clean) != st.Hash {
		return st, fmt.Errorf("%s: steps 1-%d changed since the progress was saved (%s); "+
			"refusing to resume: run it again without --resume, or choose the first step with --from",
			g.Name, st.LastGood, st.Time.Format(time.RFC3339))
	}
	return st, nil
}

// hashTo extends the running fingerprint over the steps up to id last, so
// saving after every step costs one step's hashing, not the whole prefix's.
func (ru *run) hashTo(last int) {
	if ru.hash == nil {
		ru.hash = sha256.New()
	}
	for ru.hashed < len(ru.g.Steps) && stepID(ru.g.Steps[ru.hashed], ru.hashed) <= last {
		hashStep(ru.hash, ru.g.Steps[ru.hashed], ru.clean)
		ru.hashed++
	}
}

// doneSteps are the guide's steps with ids up to last.
func doneSteps(steps []runbook.Step, last int) []runbook.Step {
	var done []runbook.Step
	for i, s := range steps {
		if stepID(s, i) <= last {
			done = append(done, s)
		}
	}
	return done
}

// hashSteps fingerprints what the steps do. Positions are left out, so that
// prose edits above a step do not invalidate the progress; secret answers are
// left out, and every text goes through clean so the hash does not depend on
// the values set or reveal a secret.
func hashSteps(steps []runbook.Step, clean func(string) string) string {
	h := sha256.New()
	for _, st := range steps {
		hashStep(h, st, clean)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hashStep adds one step to a fingerprint.
func hashStep(h hash.Hash, st runbook.Step, clean func(string) string) {
	put(h, string(st.Kind()), strings.Join(st.Head().Section, "\x00"))
	switch s := st.(type) {
	case *runbook.Command:
		put(h, clean(s.Prompt.Dir), clean(s.Text))
		for _, line := range s.Expect {
			put(h, clean(line))
		}
		for _, a := range s.Answers {
			if !a.Secret() {
				put(h, a.Kind.String(), clean(a.Prompt), clean(a.Text))
			}
		}
	case *runbook.File:
		put(h, clean(s.Path), string(s.Mode), s.Format, clean(s.Content))
	case *runbook.Manual:
		put(h, clean(s.Reason), clean(s.Content))
	}
}

// put writes length-prefixed fields so that different splits cannot collide.
func put(h hash.Hash, fields ...string) {
	var n [8]byte
	for _, f := range fields {
		binary.LittleEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		io.WriteString(h, f)
	}
}
