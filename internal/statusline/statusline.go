// Package statusline shows that a long task is alive: one line with its
// elapsed time, what it is, and the last line of its output. On a terminal
// the line is redrawn in place (cleared and rewritten, never an alternate
// screen); elsewhere, such as a CI log, it is printed as a plain line now
// and then.
//
// A Task holds what the line says and renders it; a Display draws one
// task's line and keeps it out of the way of the other output written
// through it. A caller that shows several tasks at once (one per guide)
// renders each Task itself.
package statusline

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/runbookdev/runbook/internal/ansi"
)

// maxLine bounds the part of the output kept while a line is being printed.
const maxLine = 4096

// Task is one task whose status is shown. Its output is written to it (it
// is an io.Writer) and only its last non-blank line is kept. It is safe for
// concurrent use.
type Task struct {
	mu      sync.Mutex
	label   string
	start   time.Time
	running bool
	last    string // the last complete non-blank line of output, as shown
	part    []byte // the line being printed
}

// Start begins a task (again): its label, its start time, no output yet.
func (t *Task) Start(label string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.label, t.start, t.running = label, now, true
	t.last, t.part = "", t.part[:0]
}

// Stop ends the task; it has no status line until it starts again.
func (t *Task) Stop() {
	t.mu.Lock()
	t.running = false
	t.mu.Unlock()
}

// Running reports whether the task has started and not stopped, and since when.
func (t *Task) Running() (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.start, t.running
}

// Write takes the task's output and keeps its last line. A carriage
// return ends a line too, so a progress bar shows its latest state.
func (t *Task) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range p {
		if c != '\n' && c != '\r' {
			if len(t.part) < maxLine {
				t.part = append(t.part, c)
			}
			continue
		}
		if s := shown(t.part); s != "" {
			t.last = s
		}
		t.part = t.part[:0]
	}
	return len(p), nil
}

// Line renders the status line at time now, at most width columns wide
// (0 for no limit): "[1:23] LABEL | LAST OUTPUT LINE". When it is too wide
// the label gives way first, down to half the width, since the output line
// is what shows the task is alive. redact (nil for none) masks secrets in
// the label and the output before anything is cut, so a cut cannot split
// one. ok is false when the task is not running.
func (t *Task) Line(now time.Time, width int, redact func(string) string) (line string, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.running {
		return "", false
	}
	if redact == nil {
		redact = func(s string) string { return s }
	}
	head := "[" + Clock(now.Sub(t.start)) + "] "
	label, last := redact(t.label), t.last
	if s := shown(t.part); s != "" {
		last = s // a prompt or a line still being printed is the latest
	}
	if last == "" {
		return truncate(head+label, width), true
	}
	last = redact(last)
	if width > 0 {
		room := width - runes(head) - len(" | ")
		label = truncate(label, max(room/2, room-runes(last)))
	}
	return truncate(head+label+" | "+last, width), true
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// Clock renders a duration as minutes and seconds, "1:05" (hours as minutes).
func Clock(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// shown is a line of output as a status line shows it: escape sequences
// and control characters removed, spacing collapsed.
func shown(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	s := ansi.Strip(strings.ToValidUTF8(string(b), "?"))
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// truncate cuts s to at most width runes, marking the cut with "…".
func truncate(s string, width int) string {
	if width <= 0 || runes(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:max(width-1, 0)]) + "…"
}
