package executor

import (
	"strings"
	"testing"
)

// TestCapture: the exported Capture keeps output as Run does, with the
// line being printed at hand for prompt matching.
func TestCapture(t *testing.T) {
	var c Capture
	c.Write([]byte("a\r\nb\r\nPassword: "))
	if out, omitted := c.Output(); out != "a\nb\nPassword: " || omitted != 0 {
		t.Errorf("output %q, %d omitted", out, omitted)
	}
	if c.LastLine() != "Password: " || c.Lines() != 2 || !PromptMatches(c.LastLine(), "Password:") {
		t.Errorf("last line %q after %d lines", c.LastLine(), c.Lines())
	}
	var long Capture
	for range headLines + tailLines + 10 {
		long.Write([]byte("x\r\n"))
	}
	if out, omitted := long.Output(); omitted != 10 || strings.Count(out, "\n") != headLines+tailLines {
		t.Errorf("a long output kept %d lines, %d omitted", strings.Count(out, "\n"), omitted)
	}
}
