// Package lint finds static drift in a guide without running it.
package lint

import runbook "github.com/runbookdev/runbook"

// Lint returns every finding for the parsed guide; src is the guide's source
// (includes are already expanded into g's steps, with their own Pos).
func Lint(g *runbook.Guide) []runbook.Diagnostic {
	return nil // STUB: owned by the lint helper
}
