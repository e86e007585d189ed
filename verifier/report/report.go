// Package report writes check results as text, JSON, JUnit, Markdown or GitHub annotations.
package report

import (
	"io"

	runbook "github.com/runbookdev/runbook"
)

// Report is the result of checking one guide.
type Report struct {
	Guide   string // the guide's path as the user gave it
	Title   string
	Results []runbook.Result
}

// Options tune the writers.
type Options struct {
	Color bool // ANSI colour in the text format
}

// Write renders the reports in format (text, json, junit, markdown, github).
func Write(w io.Writer, format string, reports []Report, opts Options) error {
	return nil // STUB: owned by the report helper
}
