package sandbox

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// maxRedact bounds the size of a log Close rewrites; a larger one is removed
// instead, since it cannot be checked for secrets cheaply.
const maxRedact = 64 << 20

// redactLogs masks the secret values in the kept sandbox's logs: every file
// of run/ (the profile's state and logs), of ~/logs, and every *.log. The
// guide's other files (a config that holds a secret the guide put there)
// are its result and stay as they are.
func (s *Sandbox) redactLogs() error {
	if s.opts.Redact == nil {
		return nil
	}
	run, logs := filepath.Join(s.dir, "run"), filepath.Join(s.dir, "home", "logs")
	return filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil // WalkDir follows no symlinks, and neither does this
		}
		if under(run, path) || under(logs, path) || strings.HasSuffix(path, ".log") {
			return s.redactFile(path)
		}
		return nil
	})
}

// under reports whether path is in the folder dir.
func under(dir, path string) bool { return strings.HasPrefix(path, dir+string(filepath.Separator)) }

// redactFile rewrites one file with its secrets masked, in place.
func (s *Sandbox) redactFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil // not ours to read (a service's 0600 file as another uid): nothing to do
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	if fi.Size() > maxRedact {
		f.Close()
		return os.Remove(path)
	}
	data := make([]byte, fi.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return err
	}
	masked := s.opts.Redact(string(data))
	if masked == string(data) {
		return nil
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err = f.WriteAt([]byte(masked), 0)
	return err
}
