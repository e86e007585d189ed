package executor

import (
	runbook "github.com/runbookdev/runbook"
)

// Files applies File steps to disk: atomic writes, one backup per file, structural merges.
type Files struct {
	Home      string // expands a leading ~ and $HOME
	User      string // expands $USER
	BackupDir string // where originals are saved before their first change; empty means PATH.runbook-orig beside the file
	DryRun    bool   // compute the change and return it as a diff in Outcome.Output, write nothing
}

// Apply writes, merges or appends one File step and reports what happened.
func (f *Files) Apply(step *runbook.File) *runbook.Outcome {
	return &runbook.Outcome{} // STUB: owned by the files helper
}
