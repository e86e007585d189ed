package sandbox

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// A sandbox that runbook makes in the temporary folder holds a lock on
// lockFile while it lives. A runbook killed with SIGKILL, or a machine that
// lost power, cannot remove its sandbox; the next sandbox made on this host
// finds such folders by their free lock and removes them. A sandbox left
// with --keep says so in keptFile and stays until its user removes it.
const (
	tempPrefix = "runbook-sandbox-"
	lockFile   = "lock" // in the folder itself, which no mount shows inside
	keptFile   = "KEPT"
)

// lockDir takes the lock of the sandbox's folder for as long as it lives.
func (s *Sandbox) lockDir() error {
	f, err := os.OpenFile(filepath.Join(s.dir, lockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return err
	}
	s.lock = f
	return nil
}

// unlockDir lets the lock go; a kept folder is marked so that no later sweep removes it.
func (s *Sandbox) unlockDir(kept bool) {
	if s.lock == nil {
		return
	}
	if kept {
		_ = os.WriteFile(filepath.Join(s.dir, keptFile), []byte("left by --keep; remove it when done\n"), 0o644)
	}
	s.lock.Close()
	s.lock = nil
}

// sweepStale removes the sandboxes in tmp whose runbook is gone: a folder
// named as runbook names them, marked as a sandbox, not kept, whose lock
// nobody holds. It reports how many it removed; any doubt leaves a folder.
func sweepStale(tmp string) int {
	ents, err := os.ReadDir(tmp)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		if dir := filepath.Join(tmp, e.Name()); stale(dir) && removeAll(dir) == nil {
			n++
		}
	}
	return n
}

// stale reports whether dir is a sandbox nobody uses or kept.
func stale(dir string) bool {
	for _, name := range []string{markerFile, lockFile} {
		if fi, err := os.Lstat(filepath.Join(dir, name)); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, keptFile)); !errors.Is(err, os.ErrNotExist) {
		return false
	}
	f, err := os.Open(filepath.Join(dir, lockFile))
	if err != nil {
		return false
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return false // its runbook still runs
	}
	return true
}
