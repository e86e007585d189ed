package console

import (
	"bytes"
	"strings"
)

// Bounds on what is kept of one command's output, as the executor keeps
// it: the first headLines lines and the last tailLines, the middle counted.
const (
	headLines = 2000
	tailLines = 2000
	lineBytes = 64 << 10
)

// capture keeps a command's output within fixed bounds, so a command that
// prints gigabytes costs a fixed amount of memory.
type capture struct {
	head    []string
	tail    []string // a ring once full
	start   int      // the oldest line in tail
	omitted int
	lines   int // complete lines seen
	partial strings.Builder
}

func (c *capture) reset() { *c = capture{} }

// write adds terminal output; \r\n ends a line.
func (c *capture) write(p []byte) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			c.addPartial(p)
			return
		}
		c.addPartial(p[:i])
		c.endLine()
		p = p[i+1:]
	}
}

func (c *capture) addPartial(p []byte) {
	if room := lineBytes - c.partial.Len(); len(p) > room {
		p = p[:max(room, 0)]
	}
	c.partial.Write(p)
}

func (c *capture) endLine() {
	line := strings.TrimSuffix(c.partial.String(), "\r")
	c.partial.Reset()
	c.lines++
	switch {
	case len(c.head) < headLines:
		c.head = append(c.head, line)
	case len(c.tail) < tailLines:
		c.tail = append(c.tail, line)
	default:
		c.tail[c.start] = line
		c.start = (c.start + 1) % tailLines
		c.omitted++
	}
}

// lastLine is the line being printed, for recognising a prompt.
func (c *capture) lastLine() string { return c.partial.String() }

// output is what was kept, lines joined with \n, and how many lines were left out.
func (c *capture) output() (string, int) {
	var b strings.Builder
	for _, l := range c.head {
		b.WriteString(l + "\n")
	}
	for k := range c.tail {
		b.WriteString(c.tail[(c.start+k)%len(c.tail)] + "\n")
	}
	b.WriteString(strings.TrimSuffix(c.partial.String(), "\r"))
	return b.String(), c.omitted
}
