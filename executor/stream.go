package executor

import (
	"bytes"
	"strconv"
)

// sentinelMark frames the sentinel the shell prints before each prompt:
// \x1e TOKEN : STATUS : PWD \x1e. The token is random per shell, so output
// that imitates a sentinel (or an old one) is kept as output.
const sentinelMark = '\x1e'

// maxPwd bounds the directory in a sentinel; anything longer is not one.
const maxPwd = 4096

// sentinel is what the shell reported after a command: its status and $PWD.
type sentinel struct {
	status int
	dir    string
}

// stream splits the terminal's bytes during one step into the echo of the
// typed command (dropped), the program's output and the closing sentinel.
type stream struct {
	prefix  []byte // "\x1e" + token + ":"
	echo    []byte // what the terminal echoes for the typed command; nil once handled
	matched int    // bytes of echo seen so far
	hold    []byte // bytes that may be the start of a sentinel
	out     func([]byte)
}

func newStream(token string, echo []byte, out func([]byte)) *stream {
	return &stream{prefix: []byte("\x1e" + token + ":"), echo: echo, out: out}
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
	rest := h[len(s.prefix):]
	colon := bytes.IndexByte(rest, ':')
	if colon < 0 {
		return len(rest) <= 3 && allDigits(rest), false
	}
	if colon == 0 || colon > 3 || !allDigits(rest[:colon]) {
		return false, false
	}
	dir := rest[colon+1:]
	if n := len(dir); n > 0 && dir[n-1] == sentinelMark {
		return true, true
	}
	return len(dir) <= maxPwd, false
}

func (s *stream) parse() *sentinel {
	rest := s.hold[len(s.prefix) : len(s.hold)-1]
	colon := bytes.IndexByte(rest, ':')
	n, _ := strconv.Atoi(string(rest[:colon]))
	return &sentinel{status: n, dir: string(rest[colon+1:])}
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// echoOf is what a terminal in canonical mode echoes for typed text: each
// newline comes back as \r\n (with PS2 empty there is nothing in between).
func echoOf(typed string) []byte {
	return bytes.ReplaceAll([]byte(typed), []byte("\n"), []byte("\r\n"))
}
