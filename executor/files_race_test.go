package executor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// boxRoot is a sandbox of one writable folder, box, seen inside as /home/isabell.
type boxRoot struct{ box string }

func (r boxRoot) Resolve(p string) (string, error) {
	return filepath.Join(r.box, strings.TrimPrefix(p, "/home/isabell")), nil
}
func (r boxRoot) Shown(msg string) string { return strings.ReplaceAll(msg, r.box, "/home/isabell") }
func (r boxRoot) Base(string) string      { return r.box }

// TestFileStepRace: a process inside the sandbox swaps a folder for a
// symlink to this host's files after the file step checked the path and
// before it writes. The write must not follow it out: it fails, and the
// host folder stays as it was. Each case swaps a different moment.
func TestFileStepRace(t *testing.T) {
	for _, moment := range []string{"before the write", "before the rename"} {
		t.Run(moment, func(t *testing.T) {
			dir := t.TempDir()
			box, outside := filepath.Join(dir, "box"), filepath.Join(dir, "host-etc")
			for _, d := range []string{filepath.Join(box, "etc"), outside} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			swap := func() {
				if err := os.Rename(filepath.Join(box, "etc"), filepath.Join(box, "etc.was")); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(outside, filepath.Join(box, "etc")); err != nil {
					t.Fatal(err)
				}
			}
			f := &Files{Home: "/home/isabell", User: "isabell", Root: boxRoot{box}}
			if moment == "before the write" {
				f.beforeWrite = swap
			} else {
				f.beforeRename = func(string) { swap() }
			}
			out := f.Apply(&runbook.File{Path: "~/etc/app.ini", Mode: runbook.Create, Content: "planted=1\n"})
			if out.Err == nil {
				t.Errorf("the write followed a symlink planted after the check, and succeeded")
			}
			if ents, _ := os.ReadDir(outside); len(ents) != 0 {
				t.Errorf("the write reached the host folder: %v", ents)
			}
			if out.Err != nil && strings.Contains(out.Err.Error(), dir) {
				t.Errorf("the error shows a host path: %v", out.Err)
			}
		})
	}
}
