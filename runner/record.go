package runner

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
	"time"
	"unicode/utf8"
)

const (
	// castWidth and castHeight are the terminal size written in the recording's header.
	castWidth, castHeight = 80, 24
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
// up to a line end (a secret never spans lines), or, for a long line, all but
// a tail after masking the whole buffer.
type redactor struct {
	mu      sync.Mutex
	redact  func(string) string
	record  io.Writer
	live    io.Writer
	start   time.Time
	pending []byte
	err     error // the first write error to the recording; later events are dropped
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
	held := len(w.pending) // held back output has no newline, so only p is searched
	w.pending = append(w.pending, p...)
	if nl := bytes.LastIndexByte(p, '\n'); nl >= 0 {
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

// Flush releases everything held back, masked.
func (w *redactor) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) > 0 {
		w.emit(w.redact(string(w.pending)))
		w.pending = w.pending[:0]
	}
}

// emit sends masked text to the live display and as one event to the recording.
func (w *redactor) emit(s string) {
	if s == "" {
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
