package console

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf8"
)

// Cast writes an asciinema v2 recording: a header line, then an "o" event
// for each write of terminal output and an "r" event for each resize. It
// records what it is given; masking secrets is the caller's (Config.Record).
type Cast struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	tail  []byte // the start of a character split across writes
	err   error  // the first write error; later events are dropped
}

// NewCast writes the recording's header for a terminal of cols x rows.
func NewCast(w io.Writer, cols, rows int, title string) (*Cast, error) {
	c := &Cast{w: w, start: time.Now()}
	header := struct {
		Version   int    `json:"version"`
		Width     int    `json:"width"`
		Height    int    `json:"height"`
		Timestamp int64  `json:"timestamp"`
		Title     string `json:"title,omitempty"`
	}{2, cols, rows, c.start.Unix(), title}
	line, _ := json.Marshal(header)
	if _, err := w.Write(append(line, '\n')); err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	return c, nil
}

// Write records p as output; a character cut at the end waits for the rest.
func (c *Cast) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	data := append(c.tail, p...)
	cut := len(data)
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				cut = i
			}
			break
		}
	}
	c.tail = append([]byte(nil), data[cut:]...)
	if cut > 0 {
		c.event("o", string(data[:cut]))
	}
	return len(p), c.err
}

// Resize records a new terminal size.
func (c *Cast) Resize(cols, rows int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.event("r", fmt.Sprintf("%dx%d", cols, rows))
}

// Err is the first error writing the recording.
func (c *Cast) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *Cast) event(kind, data string) {
	if c.err != nil {
		return
	}
	at := float64(time.Since(c.start).Microseconds()) / 1e6
	line, _ := json.Marshal([]any{at, kind, data})
	if _, err := c.w.Write(append(line, '\n')); err != nil {
		c.err = fmt.Errorf("recording: %w", err)
	}
}
