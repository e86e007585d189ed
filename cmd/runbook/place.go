package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/runbookdev/runbook/runner"
)

// A guidePlace is where one guide of a check runs, made fresh for that guide
// alone so that guides checked together (-j) cannot see each other's files:
// a throwaway home directory on this host (--no-sandbox), or a throwaway
// sandbox. It is the one seam between check and where guides run.
type guidePlace interface {
	// setup tells the runner where the guide's shell starts and what it sees.
	setup(o *runner.Options)
	// home is what ~ means inside, and so what the guide's /home/isabell stands for.
	home() string
	// where names the place on this host, for --keep.
	where() string
	// remove deletes the place and everything the guide left in it.
	remove() error
}

// placeMaker makes a fresh place for the guide at path.
type placeMaker func(path string) (guidePlace, error)

// freshHome is a new, empty home directory on this host, with its own
// TMPDIR beside it: --no-sandbox runs the guide's commands for real, as the
// user, but its ~ is not the user's and not another guide's.
type freshHome struct {
	dir string // holds home/ and tmp/
}

// newFreshHome makes the directories under the system's temporary directory.
func newFreshHome(path string) (guidePlace, error) {
	dir, err := os.MkdirTemp("", "runbook-check-")
	if err != nil {
		return nil, fmt.Errorf("cannot make a home directory for %s: %v", path, unwrapPath(err))
	}
	h := &freshHome{dir: dir}
	for _, sub := range []string{h.home(), h.tmp()} {
		if err := os.Mkdir(sub, 0o700); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("cannot make a home directory for %s: %v", path, unwrapPath(err))
		}
	}
	return h, nil
}

func (h *freshHome) home() string  { return filepath.Join(h.dir, "home") }
func (h *freshHome) tmp() string   { return filepath.Join(h.dir, "tmp") }
func (h *freshHome) where() string { return h.home() }

func (h *freshHome) setup(o *runner.Options) {
	o.Dir, o.Home = h.home(), h.home()
	o.Env = append(o.Env, "HOME="+h.home(), "TMPDIR="+h.tmp())
}

// remove deletes the directories; a guide may have left read-only trees
// (Go's module cache, for one), so write permission is restored first.
func (h *freshHome) remove() error {
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
