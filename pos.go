package runbook

import "fmt"

// Pos is a place in a guide source file; it travels with every step from the
// parser to the final report so that every message can say file:line.
type Pos struct {
	File string // path of the guide or include, as the user named it
	Line int    // 1-based line number
}

// String renders the position as path:line, the form editors and CI jump to.
func (p Pos) String() string {
	if p.Line <= 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Severity says whether a Diagnostic stops the work or only warns.
type Severity int

const (
	// Warning marks a defect that does not stop parsing or execution.
	Warning Severity = iota
	// Error marks a defect that makes the guide (or part of it) unusable.
	Error
)

// String names the severity as it appears in messages.
func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Diagnostic is a defect found in a guide, by the parser or by lint.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	ID       string // stable check id such as "missing-include" or "prompt-dir"
	Message  string // one sentence
}

// Error renders the diagnostic as file:line: message, so it can be returned as an error.
func (d Diagnostic) Error() string {
	return fmt.Sprintf("%s: %s", d.Pos, d.Message)
}
