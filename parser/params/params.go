// Package params detects the example values in a guide (user, host, domains,
// placeholders, secrets) and applies the values a user sets.
package params

import runbook "github.com/runbookdev/runbook"

// Detect finds every parameter in the guide's steps, with all the places it occurs.
func Detect(g *runbook.Guide) []runbook.Param {
	return nil // STUB: owned by the transcript/params helper
}

// Set binds a value to the param whose Name or Example equals key; it
// returns an error naming the known params when none does.
func Set(ps []runbook.Param, key, value string) error {
	return nil // STUB
}

// Apply returns a copy of the guide with every param's value substituted
// (whole tokens, longest first) into commands, expected output, answers,
// paths and file contents; hidden answers get their secret's value.
func Apply(g *runbook.Guide, ps []runbook.Param) *runbook.Guide {
	return g // STUB
}
