package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/statusline"
	"github.com/runbookdev/runbook/runner"
	"github.com/runbookdev/runbook/verifier/report"
)

// collectionProgress shows a check of several guides as it goes. On a
// terminal it redraws, in place, one line per running guide (its step, the
// step's place and its time) and an overall bar: guides done of all, how many
// are ok, drifted and failed, and the time left at the pace so far. Anywhere
// else it prints one plain line per guide as it finishes, for CI logs.
//
// Each running guide's line is a statusline.Task, the live line that a long
// step of one guide shows (its clock and its last line of output); liveBlock
// draws several of them and the bar, in place.
type collectionProgress struct {
	mu      sync.Mutex
	w       io.Writer
	live    *liveBlock // nil when w is not a terminal
	sec     *secrets
	total   int
	done    int
	ok      int
	drift   int
	failed  int
	start   time.Time
	running []*guideLine // in the order they started
	stop    chan struct{}
	stopped sync.WaitGroup
}

// guideLine is what the live display knows of one running guide: its step
// under way, as a status line that also keeps the step's last line of output.
type guideLine struct {
	path     string
	task     statusline.Task
	guideRan time.Time
}

// newCollectionProgress starts the display for total guides.
func newCollectionProgress(w io.Writer, total int, sec *secrets) *collectionProgress {
	p := &collectionProgress{w: w, sec: sec, total: total, start: time.Now(), stop: make(chan struct{})}
	if f, ok := w.(*os.File); ok && isTerminal(w) {
		p.live = &liveBlock{w: w, width: func() int {
			if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
				return cols
			}
			return 80
		}}
		p.stopped.Add(1)
		go p.tick()
	}
	return p
}

// tick redraws once a second so that the clocks move while steps run.
func (p *collectionProgress) tick() {
	defer p.stopped.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

// started adds a running guide and returns the callback for its steps and
// the writer for its terminal output.
func (p *collectionProgress) started(path string) (func(runner.Event), io.Writer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := &guideLine{path: path, guideRan: time.Now()}
	p.running = append(p.running, line)
	p.draw()
	return func(ev runner.Event) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if ev.Result == nil {
			line.task.Start(fmt.Sprintf("%s  step %d/%d %s", path, ev.Index, ev.Total, shortPos(ev.Step.Head().Pos, path)), time.Now())
		} else {
			line.task.Stop()
		}
		p.draw()
	}, &line.task
}

// Write prints other output (a sandbox's message) above the live lines.
func (p *collectionProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live == nil {
		return p.w.Write(b)
	}
	p.live.clear()
	n, err := p.w.Write(b)
	p.draw()
	return n, err
}

// shortPos is a step's place as the live line shows it: the line alone
// in the guide itself, the file and line in an include.
func shortPos(p runbook.Pos, guide string) string {
	if p.File == guide {
		return fmt.Sprintf("line %d", p.Line)
	}
	return filepath.Base(p.File) + ":" + strconv.Itoa(p.Line)
}

// finished removes a guide from the running ones and counts its verdict.
func (p *collectionProgress) finished(path string, rep report.Report) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ran time.Duration
	for i, l := range p.running {
		if l.path == path {
			ran = time.Since(l.guideRan)
			p.running = append(p.running[:i], p.running[i+1:]...)
			break
		}
	}
	p.done++
	sum := rep.Summary()
	switch {
	case sum.Failed > 0 || rep.Error != "":
		p.failed++
	case rep.Broken():
		p.drift++
	default:
		p.ok++
	}
	if p.live == nil {
		line := fmt.Sprintf("[%d/%d] %s: %s (%s)", p.done, p.total, path, sum, clock(ran))
		if rep.Error != "" {
			line += ": " + rep.Error
		}
		fmt.Fprintln(p.w, p.sec.redact(line))
		return
	}
	p.draw()
}

// close ends the display, leaving the final bar on the terminal.
func (p *collectionProgress) close() {
	close(p.stop)
	p.stopped.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live != nil {
		p.draw()
		p.live.done()
	}
}

// draw renders the running guides and the bar; called with mu held.
func (p *collectionProgress) draw() {
	if p.live == nil {
		return
	}
	now, width := time.Now(), p.live.width()
	lines := make([]string, 0, len(p.running)+1)
	for _, l := range p.running {
		text, ok := l.task.Line(now, width-2, p.sec.redact)
		if !ok {
			text = p.sec.redact(l.path + "  starting")
		}
		lines = append(lines, "  "+text)
	}
	lines = append(lines, p.bar())
	p.live.draw(lines)
}

// bar is the overall line: a bar of guides done, the counts and the ETA.
func (p *collectionProgress) bar() string {
	const width = 24
	filled := 0
	if p.total > 0 {
		filled = width * p.done / p.total
	}
	eta := "ETA --"
	if p.done > 0 && p.done < p.total {
		per := time.Since(p.start) / time.Duration(p.done)
		eta = "ETA " + clock(per*time.Duration(p.total-p.done))
	} else if p.done == p.total {
		eta = "took " + clock(time.Since(p.start))
	}
	return fmt.Sprintf("[%s%s] %d/%d guides  %d ok  %d drift  %d failed  %s",
		strings.Repeat("#", filled), strings.Repeat("-", width-filled), p.done, p.total, p.ok, p.drift, p.failed, eta)
}

// liveBlock redraws a block of lines in place on a terminal: it moves the
// cursor back up over what it drew last and clears it. Lines are cut to
// the terminal's width, since a wrapped line would throw the count off.
type liveBlock struct {
	w     io.Writer
	width func() int
	drawn int // lines on screen from the last draw
}

func (b *liveBlock) draw(lines []string) {
	var sb strings.Builder
	if b.drawn > 0 {
		fmt.Fprintf(&sb, "\r\x1b[%dA", b.drawn)
	}
	sb.WriteString("\r\x1b[J")
	w := b.width()
	for _, l := range lines {
		if r := []rune(l); len(r) >= w {
			l = string(r[:max(0, w-1)])
		}
		sb.WriteString(l + "\n")
	}
	b.drawn = len(lines)
	io.WriteString(b.w, sb.String())
}

// done leaves what was drawn last on screen; the next output goes below it.
func (b *liveBlock) done() { b.drawn = 0 }

// clear takes what was drawn last off the screen, so other output can go there.
func (b *liveBlock) clear() {
	if b.drawn > 0 {
		fmt.Fprintf(b.w, "\r\x1b[%dA\r\x1b[J", b.drawn)
		b.drawn = 0
	}
}
