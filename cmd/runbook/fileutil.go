package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// checkOutputFile says why a file the user asked for (a report, a
// recording) cannot be written at path, or nil. It runs before anything
// else, so a long check does not end without its report; runbook makes no
// folder the user did not ask for, since a typo in one would otherwise
// leave the report somewhere nobody looks.
func checkOutputFile(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a folder; name a file in it", path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the folder %s does not exist; create it first", dir)
	case errors.Is(err, syscall.ENOTDIR) || (err == nil && !fi.IsDir()):
		return fmt.Errorf("%s is not a folder", notFolder(dir))
	case err != nil:
		return fmt.Errorf("the folder %s: %v", dir, errors.Unwrap(err))
	}
	return nil
}

// notFolder is the first element of dir that exists and is not a folder.
func notFolder(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && !fi.IsDir() {
			return d
		}
		if parent := filepath.Dir(d); parent == d {
			return dir
		}
	}
}

// writeFileAtomic replaces path with data through a temp file in the same
// directory, keeping the old file's mode, so a reader never sees half a file.
// The directory must exist (checkOutputFile says so before a run).
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
