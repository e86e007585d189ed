// Package parser reads reStructuredText and Markdown guides into a runbook.Guide.
// It does no I/O of its own: includes and the sidecar come through an fs.FS.
package parser

import (
	"io/fs"

	runbook "github.com/runbookdev/runbook"
)

// Parse reads the guide named name (the path as the user gave it) from src.
// fsys is rooted at the guide's directory; includes and the sidecar
// NAME.runbook.yaml are read through it. Every problem found is in
// Guide.Diagnostics; the error joins those of Error severity.
func Parse(name string, src []byte, fsys fs.FS) (*runbook.Guide, error) {
	return &runbook.Guide{Name: name}, nil // STUB: owned by the parser helper
}
