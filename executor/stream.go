package executor

import (
	"bytes"
	"strconv"
)

// sentinelMark frames the sentinel the shell prints before each prompt:
// \x1e TOKEN [f FENCE] : STATUS : PWD \x1e, where a fence number follows
// the token only after runbook typed a fence. The token is random per shell, so output
// that imitates a sentinel (or an old one) is kept as output.
const sentinelMark = '\x1e'

// maxPwd bounds the directory in a sentinel; anything longer is not one.
const maxPwd = 4096

// sentinel is what the shell reported after a command: its status and $PWD.
type sentinel struct {
	status int
	fence  string
	dir    string
}

// stream splits the terminal's bytes during one step into the echo of the
// typed command (dropped), the program's output and the closing sentinel.
type stream struct {
	prefix  []byte // "\x1e" + token
	echo    []byte // what the terminal echoes for the typed command; nil once handled
	matched int    // bytes of echo seen so far
	hold    []byte // bytes that may be the start of a sentinel
	out     func([]byte)
}

func newStream(token string, echo []byte, out func([]byte)) *stream {
	return &stream{prefix: []byte("\x1e" + token), echo: echo, out: out}
}

// reset prepares the stream for the next step: its echo and its output.
func (s *stream) reset(echo []byte, out func([]byte)) {
	s.echo, s.matched, s.hold, s.out = echo, 0, s.hold[:0], out
}

// feed consumes a chunk; when a sentinel completes it returns it together
// with the bytes that followed it in the chunk.
func (s *stream) feed(p []byte) (*sentinel, []byte) {
	p = s.skipEcho(p)
	for len(p) > 0 {
		if len(s.hold) == 0 {
			i := bytes.IndexByte(p, sentinelMark)
			if i < 0 {
				s.out(p)
				return nil, nil
			}
			if i > 0 {
				s.out(p[:i])
			}
			s.hold = append(s.hold, sentinelMark)
			p = p[i+1:]
			continue
		}
		s.hold = append(s.hold, p[0])
		p = p[1:]
		switch ok, done := s.check(); {
		case done:
			st := s.parse()
			s.hold = s.hold[:0]
			return st, p
		case !ok:
			// Not a sentinel: release the mark and rescan what was held after it.
			s.out([]byte{sentinelMark})
			p = append(append([]byte(nil), s.hold[1:]...), p...)
			s.hold = s.hold[:0]
		}
	}
	return nil, nil
}

// skipEcho drops the echo of the typed command at the start of the step; at
// the first byte that differs, what was held back is output after all.
func (s *stream) skipEcho(p []byte) []byte {
	if s.echo == nil {
		return p
	}
	n := 0
	for n < len(p) && s.matched < len(s.echo) && p[n] == s.echo[s.matched] {
		n++
		s.matched++
	}
	if s.matched == len(s.echo) {
		s.echo = nil
		return p[n:]
	}
	if n == len(p) {
		return nil
	}
	held := s.echo[:s.matched]
	s.echo = nil
	if len(held) > 0 {
		s.out(held)
	}
	return p[n:]
}

// check reports whether hold can still become a sentinel (ok) and whether it is one (done).
func (s *stream) check() (ok, done bool) {
	h := s.hold
	if len(h) <= len(s.prefix) {
		return bytes.HasPrefix(s.prefix, h), false
	}
	b := h[len(s.prefix):]
	if b[0] == 'f' { // a fence: f and up to 9 digits
		j := digitsAt(b, 1)
		switch {
		case j-1 > 9:
			return false, false
		case j == len(b):
			return true, false
		case j == 1 || b[j] != ':':
			return false, false
		}
		b = b[j:]
	}
	if b[0] != ':' {
		return false, false
	}
	j := digitsAt(b, 1) // the status: up to 3 digits
	switch {
	case j-1 > 3:
		return false, false
	case j == len(b):
		return true, false
	case j == 1 || b[j] != ':':
		return false, false
	}
	dir := b[j+1:]
	if n := len(dir); n > 0 && dir[n-1] == sentinelMark {
		return true, true
	}
	return len(dir) <= maxPwd, false
}

// digitsAt returns the index of the first non-digit in b at or after i.
func digitsAt(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

func (s *stream) parse() *sentinel {
	body := s.hold[len(s.prefix) : len(s.hold)-1]
	fence := ""
	if body[0] == 'f' {
		i := bytes.IndexByte(body, ':')
		fence, body = string(body[1:i]), body[i:]
	}
	f := bytes.SplitN(body[1:], []byte{':'}, 2)
	n, _ := strconv.Atoi(string(f[0]))
	return &sentinel{status: n, fence: fence, dir: string(f[1])}
}

// echoOf is what a terminal in canonical mode echoes for typed text: each
// newline comes back as \r\n (with PS2 empty there is nothing in between).
func echoOf(typed string) []byte {
	return bytes.ReplaceAll([]byte(typed), []byte("\n"), []byte("\r\n"))
}
