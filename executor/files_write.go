package executor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// write makes the target's directories and replaces the target atomically,
// keeping the existing file's mode and owner.
func (f *Files) write(c *fileChange) error {
	if f.beforeWrite != nil {
		f.beforeWrite()
	}
	dir := filepath.Dir(c.path)
	if err := makeDirs(c.pl, dir); err != nil {
		return err
	}
	removeStaleTemps(c.pl, dir, filepath.Base(c.path))
	mode := newFileMode(c.data)
	if c.info != nil {
		mode = c.info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	}
	return writeAtomic(c.pl, c.path, c.data, mode, c.info, f.beforeRename)
}

// newFileMode is the mode of a file the step creates: executable for a script.
func newFileMode(data []byte) fs.FileMode {
	if len(data) >= 2 && data[0] == '#' && data[1] == '!' {
		return 0o755
	}
	return 0o644
}

// makeDirs creates dir and its parents (0755) and explains the usual failure:
// a path component that is a file.
func makeDirs(pl place, dir string) error {
	err := pl.MkdirAll(dir, 0o755)
	if err == nil {
		return nil
	}
	if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrExist) {
		if file := fileInPath(dir); file != "" {
			return fmt.Errorf("cannot create directory %s: %s is a file, not a directory", dir, file)
		}
	}
	return fileErr("cannot create directory", dir, err)
}

// fileInPath returns the nearest ancestor of path (or path itself) that
// exists and is not a directory, or "".
func fileInPath(path string) string {
	for p := path; p != filepath.Dir(p); p = filepath.Dir(p) {
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p
		}
	}
	return ""
}

// removeStaleTemps deletes temporary files that a killed run left beside the
// target; they never replaced it, so they hold nothing anyone needs.
func removeStaleTemps(pl place, dir, base string) {
	entries, err := pl.ReadDir(dir)
	if err != nil {
		return // the write itself will report a directory it cannot use
	}
	prefix := "." + base + tempMarker
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			_ = pl.Remove(filepath.Join(dir, e.Name())) // best effort: a leftover is harmless
		}
	}
}

// writeAtomic writes data to a temporary file in path's directory, syncs it,
// gives it the mode (and, when allowed, the owner of like), and renames it
// over path, then syncs the directory so the rename itself is durable.
func writeAtomic(pl place, path string, data []byte, mode fs.FileMode, like fs.FileInfo, beforeRename func(string)) (err error) {
	dir := filepath.Dir(path)
	tmp, err := pl.CreateTemp(dir, "."+filepath.Base(path)+tempMarker)
	if err != nil {
		return fileErr("cannot write", path, err)
	}
	tmpPath := tempPath(dir, tmp)
	defer func() {
		if err != nil {
			tmp.Close()
			pl.Remove(tmpPath)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fileErr("cannot write", path, err)
	}
	if err = tmp.Chmod(mode); err != nil {
		return fileErr("cannot set the mode of", path, err)
	}
	keepOwner(tmp, like)
	if err = tmp.Sync(); err != nil {
		return fileErr("cannot sync", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fileErr("cannot write", path, err)
	}
	if beforeRename != nil {
		beforeRename(tmpPath)
	}
	if err = pl.Rename(tmpPath, path); err != nil {
		return fileErr("cannot replace", path, err)
	}
	syncDir(pl, dir)
	return nil
}

// keepOwner gives the new file the old one's owner when that differs from
// ours (a root run editing a user's file); without the right to, it stays ours.
func keepOwner(tmp *os.File, like fs.FileInfo) {
	if like == nil {
		return
	}
	st, ok := like.Sys().(*syscall.Stat_t)
	if !ok || (int(st.Uid) == os.Geteuid() && int(st.Gid) == os.Getegid()) {
		return
	}
	_ = tmp.Chown(int(st.Uid), int(st.Gid)) // best effort: only root may give files away
}

// syncDir makes a rename in dir durable; file systems that cannot sync a
// directory lose nothing by the failure, so it is ignored.
func syncDir(pl place, dir string) {
	d, err := pl.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}

// backupPath is where the original of the file is kept: beside it, or in
// BackupDir under its name as the shell knows it.
func (f *Files) backupPath(c *fileChange) string {
	if f.BackupDir == "" {
		return c.path + backupSuffix
	}
	escaped := strings.NewReplacer("%", "%25", "/", "%2F").Replace(strings.TrimPrefix(c.shown, "/"))
	return filepath.Join(f.BackupDir, escaped)
}

// backup copies the current file to its backup unless an earlier run already
// did, in which case that older copy is the original and is kept. It reports
// the backup's path and whether this call made it.
func (f *Files) backup(c *fileChange) (string, bool, error) {
	dst := f.backupPath(c)
	pl := c.pl // beside the file, or in BackupDir on this host
	if f.BackupDir != "" {
		pl = hostPlace{}
	}
	if _, err := pl.Lstat(dst); err == nil {
		return dst, false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fileErr("cannot check the backup", dst, err)
	}
	if f.BackupDir != "" {
		if err := os.MkdirAll(f.BackupDir, 0o700); err != nil {
			return "", false, fileErr("cannot create the backup directory", f.BackupDir, err)
		}
	}
	removeStaleTemps(pl, filepath.Dir(dst), filepath.Base(dst))
	mode := c.info.Mode().Perm()
	if err := writeAtomic(pl, dst, c.old, mode, c.info, nil); err != nil {
		return "", false, fmt.Errorf("back up %s: %w", c.shown, err)
	}
	return dst, true, nil
}
