package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/runbookdev/runbook/executor/sandbox"
	"github.com/runbookdev/runbook/runner"
)

// A guidePlace is where one guide of a check runs, made fresh for that guide
// alone so that guides checked together (-j) cannot see each other's files:
// a throwaway sandbox, or with --no-sandbox a throwaway home directory on
// this host. It is the one seam between check and where guides run.
type guidePlace interface {
	// setup tells the runner where the guide's shell starts and what it sees.
	setup(o *runner.Options)
	// home is what ~ means inside, and so what the guide's /home/isabell stands for.
	home() string
	// close removes the place and everything the guide left in it, unless it is kept.
	close() error
	// kept says where a kept place is, for --keep.
	kept() string
}

// placeMaker makes a fresh place for one guide; what it has to say while it
// does (a profile's first setup takes minutes) goes to log.
type placeMaker func(ctx context.Context, j *checkJob, log io.Writer) (guidePlace, error)

// sandboxPlaces makes a new sandbox of the profile for each guide, with the
// guide's user, host and domains, and the guide's values for the host's own
// secrets (see hostSecret); secrets are masked in the logs a kept one leaves.
func sandboxPlaces(f sandboxFlags, sec *secrets, hs []hostSecret) placeMaker {
	return func(ctx context.Context, j *checkJob, log io.Writer) (guidePlace, error) {
		sb, err := startSandbox(ctx, f, guideSandbox{params: j.params, redact: sec.redact, log: log,
			env: hostSecretEnv(j.guide, j.params, hs)})
		if err != nil {
			return nil, fmt.Errorf("cannot make the sandbox: %w", err)
		}
		return sandboxPlace{sb}, nil
	}
}

// sandboxPlace is a guide's own sandbox.
type sandboxPlace struct{ sb *sandbox.Sandbox }

func (p sandboxPlace) setup(o *runner.Options) { useSandbox(o, p.sb) }
func (p sandboxPlace) home() string            { return p.sb.Home() }
func (p sandboxPlace) close() error            { return p.sb.Close() }
func (p sandboxPlace) kept() string {
	return fmt.Sprintf("kept the sandbox in %s (home/ is %s; logs in run/logs)", p.sb.Dir(), p.sb.Home())
}

// freshHomes makes a new home directory on this host for each guide.
func freshHomes(keep bool) placeMaker {
	return func(_ context.Context, j *checkJob, _ io.Writer) (guidePlace, error) {
		return newFreshHome(j.path, keep)
	}
}

// freshHome is a new, empty home directory on this host, with its own
// TMPDIR beside it: --no-sandbox runs the guide's commands for real, as the
// user, but its ~ is not the user's and not another guide's.
type freshHome struct {
	dir  string // holds home/ and tmp/
	keep bool
}

// newFreshHome makes the directories under the system's temporary directory.
func newFreshHome(path string, keep bool) (*freshHome, error) {
	dir, err := os.MkdirTemp("", "runbook-check-")
	if err != nil {
		return nil, fmt.Errorf("cannot make a home directory for %s: %v", path, unwrapPath(err))
	}
	h := &freshHome{dir: dir, keep: keep}
	for _, sub := range []string{h.home(), h.tmp()} {
		if err := os.Mkdir(sub, 0o700); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("cannot make a home directory for %s: %v", path, unwrapPath(err))
		}
	}
	return h, nil
}

func (h *freshHome) home() string { return filepath.Join(h.dir, "home") }
func (h *freshHome) tmp() string  { return filepath.Join(h.dir, "tmp") }
func (h *freshHome) kept() string { return "kept its home in " + h.home() }

func (h *freshHome) setup(o *runner.Options) {
	o.Dir, o.Home = h.home(), h.home()
	o.Env = append(o.Env, "HOME="+h.home(), "TMPDIR="+h.tmp())
}

// close deletes the directories unless kept; a guide may have left
// read-only trees (Go's module cache, for one), so write permission is
// restored first.
func (h *freshHome) close() error {
	if h.keep {
		return nil
	}
	filepath.WalkDir(h.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
	return os.RemoveAll(h.dir)
}

// unwrapPath drops the path an *fs.PathError repeats, keeping the reason.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
