package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	runbook "github.com/runbookdev/runbook"
)

// Bounds on what a step's stand-ins may report: enough for any honest
// stand-in, and a runaway one cannot flood the report.
const (
	maxMarkBytes = 64 << 10
	maxMarkLine  = 300
	maxMarks     = 20
)

// marks follows the files that programs inside append to: the stand-ins'
// RUNBOOK_SIMULATED and init's exit statuses.
type marks struct {
	mu        sync.Mutex
	simulated tail
	status    tail
}

// tail is the part of an append-only file not read yet.
type tail struct {
	path string
	off  int64
}

// start points the marks at the sandbox's files, skipping what earlier runs
// in the same folder left.
func (m *marks) start(dir string) error {
	m.simulated = tail{path: filepath.Join(dir, "run", "simulated")}
	m.status = tail{path: filepath.Join(dir, "run", "init.status")}
	for _, t := range []*tail{&m.simulated, &m.status} {
		f, err := os.OpenFile(t.path, os.O_CREATE|os.O_WRONLY|syscall.O_NOFOLLOW, 0o644)
		if err != nil {
			return fmt.Errorf("cannot make %s: %v", t.path, err)
		}
		fi, err := f.Stat()
		f.Close()
		if err != nil {
			return err
		}
		t.off = fi.Size()
	}
	return nil
}

// MarkSimulated marks a command step's outcome simulated when a stand-in ran
// during it, with one note per stand-in; it also notes a failed init of the
// shell the step ran in. Call it after each command step, before the outcome
// is judged.
func (s *Sandbox) MarkSimulated(out *runbook.Outcome) {
	if out == nil {
		return
	}
	s.marks.mu.Lock()
	defer s.marks.mu.Unlock()
	for _, line := range s.marks.simulated.next() {
		out.Simulated = true
		out.Notes = append(out.Notes, "simulated: "+line)
	}
	for _, line := range s.marks.status.next() {
		if line != "0" {
			out.Notes = append(out.Notes, fmt.Sprintf("the host's init program failed (exit %s) when the shell started; "+
				"its output is in %s/logs/init.log", line, StatePath))
		}
	}
}

// next returns the complete lines appended since the last call. The file is
// opened without following a symlink: the user inside may replace it with one.
func (t *tail) next() []string {
	f, err := os.OpenFile(t.path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	if fi.Size() < t.off { // truncated: start again
		t.off = 0
	}
	buf, err := io.ReadAll(io.LimitReader(io.NewSectionReader(f, t.off, fi.Size()-t.off), maxMarkBytes))
	if err != nil {
		return nil
	}
	end := bytes.LastIndexByte(buf, '\n')
	if end < 0 && len(buf) < maxMarkBytes {
		return nil // a line still being written
	}
	if end < 0 {
		end = len(buf) - 1
	}
	t.off += int64(end + 1)
	var lines []string
	for _, l := range strings.Split(string(buf[:end+1]), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || len(lines) == maxMarks {
			continue
		}
		if len(l) > maxMarkLine {
			l = l[:maxMarkLine] + "…"
		}
		lines = append(lines, l)
	}
	return lines
}
