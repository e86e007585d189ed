package statusline

import (
	"io"
	"sync"
	"time"
)

// When a status line shows. A step that ends within ShowAfter shows none,
// so quick steps do not flicker; on a terminal the clock then ticks every
// Redraw; elsewhere a plain line is printed every PlainEvery, few enough
// that a CI log stays readable.
const (
	ShowAfter  = 2 * time.Second
	Redraw     = time.Second
	PlainEvery = 10 * time.Second
)

// eraseLine returns the cursor to the start of the line and clears it.
const eraseLine = "\r\x1b[K"

// Display draws the status line of one task on w, and passes the other
// output meant for w through its Write, taking the status line out of the
// way first. The line is drawn only where the other output has ended a
// line, so it never splits one (a prompt waiting for an answer has none
// below it). Its ticks are timers that run only while the task does.
type Display struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	width   int
	redact  func(string) string
	task    Task
	timer   *time.Timer
	drawn   bool // a status line is on the screen (terminal only)
	atStart bool // the other output ended a line (or there was none)
	now     func() time.Time
	// first and every are the waits before the first line and between
	// lines: ShowAfter and Redraw on a terminal, PlainEvery elsewhere.
	first, every time.Duration
}

// NewDisplay draws on w: in place when tty is true (width is then the
// terminal's width; 0 means no limit), as plain lines otherwise. redact
// masks secrets in every line drawn; nil means none to mask.
func NewDisplay(w io.Writer, tty bool, width int, redact func(string) string) *Display {
	if tty && width > 1 {
		width-- // the last column would make some terminals wrap
	}
	d := &Display{w: w, tty: tty, width: width, redact: redact, atStart: true, now: time.Now,
		first: ShowAfter, every: Redraw}
	if !tty {
		d.first, d.every = PlainEvery, PlainEvery
	}
	return d
}

// Task is where the running task's output goes, to keep its last line; it is not drawn as it comes.
func (d *Display) Task() io.Writer { return &d.task }

// Start shows the task with this label as running, from now on; the line
// appears once it has run for ShowAfter (PlainEvery when not on a terminal).
func (d *Display) Start(label string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.task.Start(label, d.now())
	d.arm(d.first)
}

// Stop ends the task and takes its line off the screen.
func (d *Display) Stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.task.Stop()
	if d.timer != nil {
		d.timer.Stop()
	}
	d.erase()
}

// Write passes other output to w, erasing the status line before it; the
// next tick draws the line again below it.
func (d *Display) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(p) == 0 {
		return 0, nil
	}
	d.erase()
	d.atStart = p[len(p)-1] == '\n'
	return d.w.Write(p)
}

// arm schedules the next tick; the caller holds mu.
func (d *Display) arm(after time.Duration) {
	if d.timer == nil {
		d.timer = time.AfterFunc(after, d.tick)
		return
	}
	d.timer.Reset(after)
}

// tick draws the line and schedules the next one while the task runs.
func (d *Display) tick() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, running := d.task.Running(); !running {
		return
	}
	d.arm(d.every)
	if !d.atStart {
		return // the cursor is inside a line of other output (a prompt)
	}
	line, ok := d.task.Line(d.now(), d.width, d.redact)
	if !ok {
		return
	}
	if d.tty {
		io.WriteString(d.w, eraseLine+line)
		d.drawn = true
		return
	}
	io.WriteString(d.w, line+"\n")
}

// erase takes a drawn status line off the screen; the caller holds mu.
func (d *Display) erase() {
	if d.drawn {
		io.WriteString(d.w, eraseLine)
		d.drawn = false
	}
}
