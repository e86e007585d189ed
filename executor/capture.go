package executor

import (
	"bytes"
)

// Bounds on what one step keeps of its output: the first headLines lines, a
// ring of the last tailLines lines, and at most lineBytes bytes of any line.
// The middle is counted, not kept, so a command that prints gigabytes costs
// a fixed amount of memory.
const (
	headLines = 2000
	tailLines = 2000
	lineBytes = 64 << 10
)

// capture keeps a step's output within fixed bounds, line by line.
type capture struct {
	head      bytes.Buffer // complete lines, "\n"-terminated, \r\n already turned into \n
	headN     int
	tail      [][]byte // ring of complete lines, without "\n"
	tailStart int      // index of the oldest line in tail
	tailN     int
	omitted   int    // lines dropped from the middle
	cut       int    // bytes dropped from over-long lines
	partial   []byte // the line being printed, not yet ended by "\n"
	lines     int    // complete lines seen so far
	frozen    bool   // after a deliberate stop: count, do not keep
	afterStop int    // lines printed after the capture was frozen
	onLine    func(line []byte)
	drop      string // a line runbook typed itself (a fence), not shown in the output
}

// write adds terminal output to the capture.
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
	if c.frozen {
		return
	}
	room := lineBytes - len(c.partial)
	if len(p) > room {
		c.cut += len(p) - room
		p = p[:room]
	}
	c.partial = append(c.partial, p...)
}

// endLine moves the partial line into the head or the tail ring.
func (c *capture) endLine() {
	c.lines++
	if c.frozen {
		c.afterStop++
		return
	}
	line := bytes.TrimSuffix(c.partial, []byte{'\r'})
	if c.drop != "" && visible(line) == c.drop {
		c.drop = ""
		c.partial = c.partial[:0]
		return
	}
	if c.onLine != nil {
		c.onLine(line)
	}
	switch {
	case c.headN < headLines:
		c.head.Write(line)
		c.head.WriteByte('\n')
		c.headN++
	default:
		c.pushTail(line)
	}
	c.partial = c.partial[:0]
}

// pushTail stores a line in the ring, reusing the evicted line's memory.
func (c *capture) pushTail(line []byte) {
	if c.tail == nil {
		c.tail = make([][]byte, tailLines)
	}
	if c.tailN < tailLines {
		i := (c.tailStart + c.tailN) % tailLines
		c.tail[i] = append(c.tail[i][:0], line...)
		c.tailN++
		return
	}
	c.tail[c.tailStart] = append(c.tail[c.tailStart][:0], line...)
	c.tailStart = (c.tailStart + 1) % tailLines
	c.omitted++
}

// lastLine is the partial line if there is one, else the last complete line.
func (c *capture) lastLine() []byte {
	if len(c.partial) > 0 {
		return c.partial
	}
	if c.tailN > 0 {
		return c.tail[(c.tailStart+c.tailN-1)%tailLines]
	}
	h := bytes.TrimSuffix(c.head.Bytes(), []byte{'\n'})
	if i := bytes.LastIndexByte(h, '\n'); i >= 0 {
		return h[i+1:]
	}
	return h
}

// freeze stops keeping output: what a program prints while it is being
// stopped deliberately (a traceback, "^C") is not part of what it documented.
func (c *capture) freeze() { c.frozen = true }

// String renders the kept output; \r\n line ends become \n.
func (c *capture) String() string {
	var b bytes.Buffer
	b.Grow(c.head.Len() + len(c.partial) + c.tailN*16)
	b.Write(c.head.Bytes())
	for k := 0; k < c.tailN; k++ {
		b.Write(c.tail[(c.tailStart+k)%tailLines])
		b.WriteByte('\n')
	}
	b.Write(bytes.TrimSuffix(c.partial, []byte{'\r'}))
	return b.String()
}
