package runner

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"sync"
	"time"
	"unicode/utf8"
)

const (
	// castWidth and castHeight are the terminal size written in the recording's
	// header: the size the executor gives its pty.
	castWidth, castHeight = 200, 50
	// maxPending bounds how much output without a newline is held back before
	// part of it is released.
	maxPending = 64 << 10
	// keepTail is what stays held back then: a secret up to this long that is
	// still arriving is never released half-masked.
	keepTail = 4 << 10
)

// redactor receives the raw terminal output from the shell, masks secrets and
// passes it on to the live display and to an asciinema v2 recording. Secrets
// can be split across the chunks the pty delivers, so output is released only
// up to a line end, \n or \r (a secret never spans one; \r keeps progress
// bars live), or, for a long line, all but a tail after masking the whole buffer.
type redactor struct {
	mu      sync.Mutex
	redact  func(string) string
	record  io.Writer
	live    io.Writer
	start   time.Time
	pending []byte
	err     error // the first write error to the recording; later events are dropped
	prompt  func(dir string) string
	startup bool // a shell is starting: its setup lines, before its first sentinel, are not shown
}

// sentinel is how the executor's shell reports the exit status and $PWD
// between commands: RS, a token, ':', status, ':', dir, RS.
var sentinel = regexp.MustCompile("\x1e[0-9A-Za-z]+:-?[0-9]+:([^\x1e]*)\x1e")

// Starting says a new shell is about to start: what it prints before its
// first sentinel is its setup, not the guide's, and is left out.
func (w *redactor) Starting() {
	w.mu.Lock()
	w.startup = true
	w.mu.Unlock()
}

// render turns sentinels into prompts a person recognises and drops a new
// shell's setup lines.
func (w *redactor) render(s string) string {
	if w.startup {
		loc := sentinel.FindStringIndex(s)
		if loc == nil {
			return ""
		}
		w.startup = false
		s = s[loc[0]:]
	}
	if w.prompt == nil {
		return s
	}
	return sentinel.ReplaceAllStringFunc(s, func(m string) string {
		return w.prompt(sentinel.FindStringSubmatch(m)[1])
	})
}

// newRedactor writes the recording's header (when recording) and returns the writer.
func newRedactor(redact func(string) string, record, live io.Writer, title string, start time.Time) *redactor {
	w := &redactor{redact: redact, record: record, live: live, start: start}
	if record != nil {
		header := struct {
			Version   int    `json:"version"`
			Width     int    `json:"width"`
			Height    int    `json:"height"`
			Timestamp int64  `json:"timestamp"`
			Title     string `json:"title"`
		}{2, castWidth, castHeight, start.Unix(), redact(title)}
		line, _ := json.Marshal(header)
		_, w.err = record.Write(append(line, '\n'))
	}
	return w
}

// Write buffers p and releases whatever can no longer hide part of a secret.
func (w *redactor) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	held := len(w.pending) // held back output has no line end, so only p is searched
	w.pending = append(w.pending, p...)
	if nl := bytes.LastIndexAny(p, "\r\n"); nl >= 0 {
		cut := held + nl + 1
		w.emit(w.redact(string(w.pending[:cut])))
		w.pending = append(w.pending[:0], w.pending[cut:]...)
	}
	if len(w.pending) > maxPending {
		masked := []byte(w.redact(string(w.pending)))
		cut := len(masked) - keepTail
		for cut > 0 && !utf8.RuneStart(masked[cut]) {
			cut--
		}
		w.emit(string(masked[:cut]))
		w.pending = append(w.pending[:0], masked[cut:]...)
	}
	return len(p), nil
}

// Flush releases everything held back, masked, except a trailing
// sentinel: that is the prompt for the next command, and is shown with it.
// The final flush (last) releases it too, as the closing prompt.
func (w *redactor) Flush(last bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	text, held := string(w.pending), ""
	if all := sentinel.FindAllStringIndex(text, -1); len(all) > 0 && all[len(all)-1][1] == len(text) {
		if at := all[len(all)-1][0]; last {
			text += "\r\n"
		} else {
			text, held = text[:at], text[at:]
		}
	}
	w.emit(w.redact(text))
	w.pending = append(w.pending[:0], held...)
}

// emit sends masked text to the live display and as one event to the recording.
func (w *redactor) emit(s string) {
	if s = w.render(s); s == "" {
		return
	}
	if w.live != nil {
		io.WriteString(w.live, s)
	}
	if w.record == nil || w.err != nil {
		return
	}
	at := time.Since(w.start).Seconds()
	line, _ := json.Marshal([]any{float64(int64(at*1e6)) / 1e6, "o", s})
	_, w.err = w.record.Write(append(line, '\n'))
}
