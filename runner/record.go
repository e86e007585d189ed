package runner

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"strconv"
	"strings"
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

// promptAndCommand is a sentinel and, when the next command has several
// lines, the one-line `eval $'...'` form the executor types for it.
var promptAndCommand = regexp.MustCompile(sentinel.String() + `(?:eval \$'((?:[^'\\\r\n]|\\.)*)')?`)

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
	return promptAndCommand.ReplaceAllStringFunc(s, func(m string) string {
		at := promptAndCommand.FindStringSubmatchIndex(m)
		p := w.prompt(m[at[2]:at[3]])
		if at[4] < 0 {
			return p
		}
		// Shown as a reader types it: one line after another, bash's "> " before each continuation.
		return p + strings.ReplaceAll(unquoteANSIC(m[at[4]:at[5]]), "\n", "\r\n> ")
	})
}

// unquoteANSIC undoes the quoting of a bash $'...' string as the executor
// writes it: \\, \', \n, \t and \xHH.
func unquoteANSIC(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] != '\\' || i+1 == len(q) {
			b.WriteByte(q[i])
			continue
		}
		i++
		switch q[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'x':
			if v, err := strconv.ParseUint(q[i+1:min(i+3, len(q))], 16, 8); err == nil && i+3 <= len(q) {
				b.WriteByte(byte(v))
				i += 2
			} else {
				b.WriteString("\\x")
			}
		default:
			b.WriteByte(q[i])
		}
	}
	return b.String()
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
		cut := all[len(all)-1][0]
		text, held = text[:cut], text[cut:]
		// Sentinels right before it are prompts nobody typed at (the one
		// before the fence runbook types after answers): one prompt shows.
		for i := len(all) - 2; i >= 0 && all[i][1] == cut; i-- {
			cut = all[i][0]
		}
		text = text[:cut]
	}
	w.emit(w.redact(text))
	w.pending = append(w.pending[:0], held...)
	if last && held != "" {
		// The closing prompt ends the recording; the live display has its own summary.
		live := w.live
		w.live = nil
		w.emit(w.redact(held) + "\r\n")
		w.live = live
		w.pending = w.pending[:0]
	}
}

// emit sends masked text to the live display and as one event to the recording.
func (w *redactor) emit(s string) {
	// Masked again after rendering: a secret with a quote or a backslash in it
	// only shows in full once the eval form is unquoted.
	if s = w.redact(w.render(s)); s == "" {
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
