package console

import (
	"bytes"
	"encoding/base64"
	"strconv"
)

// mark frames a sentinel: \036 TOKEN : KIND : PAYLOAD \036 (see init.bash).
const mark = '\x1e'

// maxSentinel bounds a sentinel's length (a long heredoc's command line);
// a longer run after a mark is output, not a sentinel.
const maxSentinel = 4 << 20

// event is what a sentinel reports.
type event struct {
	kind   byte   // 'b' a command begins, 'e' it ended, 'k' a key
	text   string // b: the command line; k: the key
	status int    // e: the exit status
	dir    string // e: $PWD
}

// scanner splits the terminal's bytes into output and sentinels. The token
// is random per session, so output that imitates a sentinel stays output.
type scanner struct {
	prefix []byte // mark, token, ':'
	hold   []byte // a mark and what followed it, while it may be a sentinel
}

func newScanner(token string) *scanner {
	return &scanner{prefix: []byte(string(mark) + token + ":")}
}

// feed hands p on in order: output to text, sentinels to ev.
func (s *scanner) feed(p []byte, text func([]byte), ev func(event)) {
	for len(p) > 0 {
		if len(s.hold) == 0 {
			i := bytes.IndexByte(p, mark)
			if i < 0 {
				text(p)
				return
			}
			if i > 0 {
				text(p[:i])
			}
			s.hold = append(s.hold, mark)
			p = p[i+1:]
			continue
		}
		n := len(s.hold)
		if n < len(s.prefix) {
			k := min(len(s.prefix)-n, len(p))
			s.hold = append(s.hold, p[:k]...)
			p = p[k:]
			if !bytes.HasPrefix(s.prefix, s.hold) {
				p = s.release(p, text)
			}
			continue
		}
		end := bytes.IndexByte(p, mark)
		if end < 0 {
			s.hold = append(s.hold, p...)
			if len(s.hold) > maxSentinel {
				s.release(nil, text)
			}
			return
		}
		body := string(append(s.hold[len(s.prefix):], p[:end]...))
		p = p[end+1:]
		s.hold = s.hold[:0]
		if e, ok := parseEvent(body); ok {
			ev(e)
		} else {
			text([]byte(string(mark) + string(s.prefix[1:]) + body + string(mark)))
		}
	}
}

// release gives up a held mark that is no sentinel: the mark is output and
// what followed it is scanned again, before rest.
func (s *scanner) release(rest []byte, text func([]byte)) []byte {
	text([]byte{mark})
	again := append(append([]byte(nil), s.hold[1:]...), rest...)
	s.hold = s.hold[:0]
	return again
}

// parseEvent reads KIND:PAYLOAD.
func parseEvent(body string) (event, bool) {
	if len(body) < 2 || body[1] != ':' {
		return event{}, false
	}
	e := event{kind: body[0]}
	payload := body[2:]
	switch e.kind {
	case 'b':
		line, err := base64.StdEncoding.DecodeString(payload)
		if err != nil {
			return event{}, false
		}
		e.text = string(line)
	case 'e':
		status, dir, ok := bytes.Cut([]byte(payload), []byte{':'})
		n, err := strconv.Atoi(string(status))
		if !ok || err != nil {
			return event{}, false
		}
		e.status, e.dir = n, string(dir)
	case 'k':
		if len(payload) != 1 {
			return event{}, false
		}
		e.text = payload
	default:
		return event{}, false
	}
	return e, true
}
