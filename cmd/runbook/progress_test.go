package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/runner"
	"github.com/runbookdev/runbook/verifier/report"
)

// TestLiveBlockRedraws checks that a redraw goes back over exactly the lines
// drawn before, clears them, and cuts lines to the terminal's width.
func TestLiveBlockRedraws(t *testing.T) {
	var b bytes.Buffer
	lb := &liveBlock{w: &b, width: func() int { return 10 }}
	lb.draw([]string{"one", "two", "a line longer than ten"})
	if got := b.String(); got != "\r\x1b[Jone\ntwo\na line lo\n" {
		t.Errorf("first draw %q", got)
	}
	b.Reset()
	lb.draw([]string{"bar"})
	if got := b.String(); got != "\r\x1b[3A\r\x1b[Jbar\n" {
		t.Errorf("redraw %q", got)
	}
	b.Reset()
	lb.done()
	lb.draw([]string{"next"})
	if strings.Contains(b.String(), "A") {
		t.Errorf("after done, a draw moved up: %q", b.String())
	}
}

// TestCollectionProgress checks the two forms: plain lines per finished
// guide where there is no terminal, and the live lines and bar on one.
func TestCollectionProgress(t *testing.T) {
	drift := report.Report{Guide: "b.rst", Results: []runbook.Result{{Verdict: runbook.Drift}}}
	stopped := report.Report{Guide: "c.rst", Error: "stopped: the guide took longer than --guide-timeout 1s"}

	var plain bytes.Buffer
	p := newCollectionProgress(&plain, 2, newSecrets(nil))
	p.started("b.rst")
	p.started("c.rst")
	p.finished("b.rst", drift)
	p.finished("c.rst", stopped)
	p.close()
	lines := strings.Split(strings.TrimSuffix(plain.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "[1/2] b.rst: 0 ok, 1 drift") ||
		!strings.HasSuffix(lines[1], ": stopped: the guide took longer than --guide-timeout 1s") {
		t.Errorf("plain lines:\n%s", plain.String())
	}

	var live bytes.Buffer
	q := &collectionProgress{w: &live, sec: newSecrets(nil), total: 3, stop: make(chan struct{}), start: time.Now(),
		live: &liveBlock{w: &live, width: func() int { return 200 }}}
	ev, output := q.started("a.rst")
	step := &runbook.Command{Header: runbook.Header{ID: 2, Pos: runbook.Pos{File: "a.rst", Line: 12}}}
	ev(runner.Event{Step: step, Index: 2, Total: 5})
	io.WriteString(output, "Downloading 42%\r")
	q.mu.Lock()
	q.draw()
	q.mu.Unlock()
	out := live.String()
	if !strings.Contains(out, "  [0:00] a.rst  step 2/5 line 12 | Downloading 42%\n") || !strings.Contains(out, "0/3 guides  0 ok  0 drift  0 failed  ETA --") {
		t.Errorf("live lines:\n%q", out)
	}
	// A message from elsewhere goes above the live lines, which come back under it.
	before := live.Len()
	io.WriteString(q, "runbook: preparing the stardust host\n")
	if msg := live.String()[before:]; !strings.HasPrefix(msg, "\r\x1b[2A\r\x1b[Jrunbook: preparing the stardust host\n") || !strings.Contains(msg, "0/3 guides") {
		t.Errorf("message:\n%q", msg)
	}
	out = live.String()
	q.finished("a.rst", drift)
	if tail := live.String()[len(out):]; !strings.Contains(tail, "[########----------------] 1/3 guides  0 ok  1 drift") || strings.Contains(tail, "a.rst  step") {
		t.Errorf("after a.rst finished:\n%q", tail)
	}
	q.close()
}
