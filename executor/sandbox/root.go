package sandbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/runbookdev/runbook/executor"
)

// maxLinks is how many symlinks a path may pass through, as in Linux.
const maxLinks = 40

// Root is the sandbox seen from this host, for file steps: it maps the path a
// guide names to the folder that backs it.
func (s *Sandbox) Root() executor.Root { return root{s} }

type root struct{ s *Sandbox }

// Resolve follows the path as the shell inside would, symlinks included (an
// absolute target means a path inside, not on this host), and returns the
// host path that backs it. A path that is not in one of the sandbox's
// writable folders, in the end, is refused: the system, the profile and the
// rest of the host stay as they are.
func (r root) Resolve(path string) (string, error) {
	if !filepath.IsAbs(path) {
		return "", fmt.Errorf("%s: a sandbox path must be absolute", path)
	}
	p := filepath.Clean(path)
	for links := 0; ; {
		m, rel, ok := r.s.writableMount(p)
		if !ok {
			return "", r.s.notWritable(path, p)
		}
		host, next, err := walk(m, rel)
		if err != nil || next == "" {
			return host, err
		}
		if links++; links > maxLinks {
			return "", fmt.Errorf("cannot write %s: too many levels of symbolic links", path)
		}
		p = next
	}
}

// walk goes down rel in m's host folder. It stops at the first symlink and
// returns the path inside that the link leads to (next), or, when there is
// none, the host path; components that do not exist yet end the walk.
func walk(m mount, rel string) (host, next string, err error) {
	host = m.host
	if rel == "." {
		return host, "", nil
	}
	parts := strings.Split(rel, "/")
	for i, part := range parts {
		step := filepath.Join(host, part)
		fi, err := os.Lstat(step)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
			return filepath.Join(append([]string{host}, parts[i:]...)...), "", nil
		}
		if err != nil {
			return "", "", fmt.Errorf("cannot inspect %s: %v", filepath.Join(m.inside, filepath.Join(parts[:i+1]...)), errors.Unwrap(err))
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(step)
			if err != nil {
				return "", "", err
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(m.inside, filepath.Join(parts[:i]...), target)
			}
			return "", filepath.Join(target, filepath.Join(parts[i+1:]...)), nil
		}
		if !fi.IsDir() && i < len(parts)-1 {
			return filepath.Join(host, filepath.Join(parts[i:]...)), "", nil // the write explains "is a file"
		}
		host = step
	}
	return host, "", nil
}

// Base is the host folder of the writable mount whose folder holds host.
func (r root) Base(host string) string {
	best := ""
	for _, m := range r.s.mounts {
		if m.kind != bindRW || len(m.host) < len(best) {
			continue
		}
		if _, ok := within(m.host, host); ok {
			best = m.host
		}
	}
	if best == "" {
		return host // Resolve returns only paths below a mount; openPlace then fails safe
	}
	return best
}

// notWritable explains why a path cannot be written, naming the places that can.
func (s *Sandbox) notWritable(path, resolved string) error {
	via := ""
	if resolved != filepath.Clean(path) {
		via = " (a symlink leads it to " + resolved + ")"
	}
	return fmt.Errorf("cannot write %s%s: it is outside the sandbox's writable folders (%s, /var/www/virtual/%s, /tmp); "+
		"the system and the rest of this machine are read-only in the sandbox", path, via, s.home, s.user)
}

// Shown rewrites host paths in msg as the shell inside names them.
func (r root) Shown(msg string) string {
	var pairs []string
	for _, m := range r.s.mounts {
		if m.kind == bindRW {
			pairs = append(pairs, m.host+"/", m.inside+"/", m.host, m.inside)
		}
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// makeProfileDirs creates the profile's folders and links inside, through
// Resolve, so that a profile cannot reach outside either.
func (s *Sandbox) makeProfileDirs() error {
	r := s.placeholders()
	rt := root{s}
	for _, d := range s.prof.Dirs {
		if isRunDir(filepath.Clean(r.Replace(d))) {
			continue // made by bwrap as each shell starts
		}
		host, err := rt.Resolve(r.Replace(d))
		if err == nil {
			err = os.MkdirAll(host, 0o755)
		}
		if err != nil {
			return fmt.Errorf("profile %s: dirs: %v", s.prof.Name, err)
		}
	}
	for _, link := range sortedKeys(s.prof.Links) {
		if err := s.makeLink(rt, r.Replace(link), r.Replace(s.prof.Links[link])); err != nil {
			return fmt.Errorf("profile %s: links: %v", s.prof.Name, err)
		}
	}
	return nil
}

// makeLink creates one symlink (its target is a path inside), unless
// something is already there.
func (s *Sandbox) makeLink(rt root, link, target string) error {
	host, err := rt.Resolve(filepath.Dir(link))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(host, 0o755); err != nil {
		return err
	}
	err = os.Symlink(target, filepath.Join(host, filepath.Base(link)))
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	return err
}
