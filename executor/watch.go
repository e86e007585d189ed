package executor

// What a caller that reads a shell's terminal itself (`runbook learn`,
// where the trainee types) needs to judge a command as Shell.Run would:
// the same prompt matching for answers, the same bounds on output.

// PromptMatches reports whether a terminal line (escape sequences and all)
// shows the prompt the guide documents for an answer.
func PromptMatches(line, documented string) bool {
	return promptMatches([]byte(line), documented)
}

// Capture keeps a command's output as Shell.Run does: the first and the
// last 2000 lines, the middle only counted, over-long lines cut; the zero
// value is ready to use.
type Capture struct{ c capture }

// Write adds terminal output; it never fails.
func (c *Capture) Write(p []byte) (int, error) {
	c.c.write(p)
	return len(p), nil
}

// LastLine is the line being printed (not ended yet), for prompt matching.
func (c *Capture) LastLine() string { return string(c.c.partial) }

// Lines counts the complete lines seen so far.
func (c *Capture) Lines() int { return c.c.lines }

// Output is what was kept, with \r\n turned into \n, and how many lines
// were left out of the middle (Outcome.Output and Outcome.Omitted).
func (c *Capture) Output() (string, int) { return c.c.String(), c.c.omitted }
