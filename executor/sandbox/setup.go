package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// setup runs the profile's setup program once per profile version and
// returns the folder it filled; later sandboxes, concurrent ones included,
// wait for it and share it read-only.
func (s *Sandbox) setup(ctx context.Context) (string, error) {
	p := s.prof
	if p.Setup == "" {
		return "", nil
	}
	root := s.opts.CacheDir
	if root == "" {
		var err error
		if root, err = DefaultCacheDir(); err != nil {
			return "", err
		}
	}
	base := filepath.Join(root, "setup", p.Name+"-"+p.Hash)
	cache := filepath.Join(base, "cache")
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", fmt.Errorf("profile %s: cannot make its cache: %v", p.Name, err)
	}
	unlock, err := lockDir(base)
	if err != nil {
		return "", err
	}
	defer unlock()
	done := filepath.Join(base, "done")
	if _, err := os.Stat(done); err == nil {
		return cache, nil
	}
	log := filepath.Join(base, "setup.log")
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "runbook: preparing the %s host (once for this version of it; log: %s)\n", p.Name, log)
	}
	tools := filepath.Join(root, "tools", p.Name)
	if err := s.runSetup(ctx, cache, tools, log); err != nil {
		return "", fmt.Errorf("the %s profile's setup failed (%v); its log: %s", p.Name, err, log)
	}
	return cache, os.WriteFile(done, nil, 0o644)
}

// runSetup runs the program in a bwrap where only the cache, a temporary
// folder beside it (TMPDIR) and the profile's tool cache can be written; it
// keeps this host's network and environment, and sees the rest of the host
// read-only.
func (s *Sandbox) runSetup(ctx context.Context, cache, tools, log string) error {
	tmp := filepath.Join(filepath.Dir(cache), "tmp")
	for _, d := range []string{cache, tmp} {
		os.RemoveAll(d) // what a failed or killed setup left
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(tools, 0o755); err != nil {
		return err
	}
	defer removeAll(tmp)
	out, err := os.Create(log)
	if err != nil {
		return err
	}
	defer out.Close()
	prog := filepath.Join(s.prof.Dir, s.prof.Setup)
	cmd := exec.CommandContext(ctx, s.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
		"--bind", cache, cache, "--bind", tmp, tmp, "--bind", tools, tools,
		"--unshare-pid", "--die-with-parent", "--chdir", cache,
		"--setenv", "RUNBOOK_CACHE", cache, "--setenv", "RUNBOOK_PROFILE", s.prof.Dir, "--setenv", "TMPDIR", tmp,
		"--setenv", "RUNBOOK_TOOLCACHE", tools,
		"--", prog)
	cmd.Stdout, cmd.Stderr = out, out
	return cmd.Run()
}

// lockDir takes an exclusive lock on dir/lock, waiting for another process's.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { unix.Flock(int(f.Fd()), unix.LOCK_UN); f.Close() }, nil
}

// DefaultCacheDir is where profiles and their setup output are kept:
// $XDG_CACHE_HOME/runbook, else ~/.cache/runbook.
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for the sandbox's profile (%v); set XDG_CACHE_HOME", err)
	}
	return filepath.Join(dir, "runbook"), nil
}
