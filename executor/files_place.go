package executor

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// place is where a file step's bytes go: this host's file system, or, for a
// sandbox, one of its writable folders opened as an os.Root. Root.Resolve
// follows the sandbox's symlinks before the step; a symlink a process in
// the sandbox plants between that check and the write cannot lead the write
// out, because every operation of a rooted place stays beneath its folder
// (os.Root refuses a path that escapes it, symlinks included).
type place interface {
	Lstat(path string) (fs.FileInfo, error)
	ReadFile(path string) ([]byte, error)
	MkdirAll(path string, perm fs.FileMode) error
	ReadDir(dir string) ([]fs.DirEntry, error)
	Remove(path string) error
	CreateTemp(dir, prefix string) (*os.File, error)
	Rename(from, to string) error
	Open(path string) (*os.File, error)
}

// hostPlace is this host's file system, as the os package sees it.
type hostPlace struct{}

func (hostPlace) Lstat(p string) (fs.FileInfo, error)           { return os.Lstat(p) }
func (hostPlace) ReadFile(p string) ([]byte, error)             { return os.ReadFile(p) }
func (hostPlace) MkdirAll(p string, perm fs.FileMode) error     { return os.MkdirAll(p, perm) }
func (hostPlace) ReadDir(d string) ([]fs.DirEntry, error)       { return os.ReadDir(d) }
func (hostPlace) Remove(p string) error                         { return os.Remove(p) }
func (hostPlace) CreateTemp(d, prefix string) (*os.File, error) { return os.CreateTemp(d, prefix+"*") }
func (hostPlace) Rename(from, to string) error                  { return os.Rename(from, to) }
func (hostPlace) Open(p string) (*os.File, error)               { return os.Open(p) }

// rootPlace is a sandbox's writable folder: paths are host paths below
// base, and every operation goes through the os.Root opened on base.
type rootPlace struct {
	base string
	root *os.Root
}

// openPlace opens the folder base for the file operations of one step.
func openPlace(base string) (*rootPlace, error) {
	r, err := os.OpenRoot(base)
	if err != nil {
		return nil, fileErr("cannot open the sandbox folder", base, err)
	}
	return &rootPlace{base: base, root: r}, nil
}

// rel is path relative to the place's folder; a path outside it is refused.
func (p *rootPlace) rel(path string) (string, error) {
	r, err := filepath.Rel(p.base, path)
	if err != nil || r == ".." || filepath.IsAbs(r) || len(r) >= 3 && r[:3] == "../" {
		return "", &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("outside the sandbox folder %s", p.base)}
	}
	return r, nil
}

func (p *rootPlace) Lstat(path string) (fs.FileInfo, error) {
	r, err := p.rel(path)
	if err != nil {
		return nil, err
	}
	return p.root.Lstat(r)
}

func (p *rootPlace) ReadFile(path string) ([]byte, error) {
	r, err := p.rel(path)
	if err != nil {
		return nil, err
	}
	return p.root.ReadFile(r)
}

func (p *rootPlace) MkdirAll(path string, perm fs.FileMode) error {
	r, err := p.rel(path)
	if err != nil {
		return err
	}
	return p.root.MkdirAll(r, perm)
}

func (p *rootPlace) ReadDir(dir string) ([]fs.DirEntry, error) {
	f, err := p.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

func (p *rootPlace) Remove(path string) error {
	r, err := p.rel(path)
	if err != nil {
		return err
	}
	return p.root.Remove(r)
}

// CreateTemp makes a new file with a random name in dir, as os.CreateTemp
// does, beneath the place's folder.
func (p *rootPlace) CreateTemp(dir, prefix string) (*os.File, error) {
	r, err := p.rel(dir)
	if err != nil {
		return nil, err
	}
	for range 100 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		name := filepath.Join(r, prefix+hex.EncodeToString(b[:]))
		f, err := p.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, prefix+"*"), Err: fs.ErrExist}
}

// Rename takes host paths, as os.Rename does; a temp file's Name is one
// relative to the folder, which the caller turns back into a host path.
func (p *rootPlace) Rename(from, to string) error {
	rf, err := p.rel(from)
	if err != nil {
		return err
	}
	rt, err := p.rel(to)
	if err != nil {
		return err
	}
	return p.root.Rename(rf, rt)
}

func (p *rootPlace) Open(path string) (*os.File, error) {
	r, err := p.rel(path)
	if err != nil {
		return nil, err
	}
	return p.root.Open(r)
}

// Close closes the folder.
func (p *rootPlace) Close() error { return p.root.Close() }

// tempPath is the host path of a temporary file made in dir: os.Root names
// its files relative to the folder.
func tempPath(dir string, tmp *os.File) string { return filepath.Join(dir, filepath.Base(tmp.Name())) }
