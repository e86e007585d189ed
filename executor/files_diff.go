package executor

import "github.com/runbookdev/runbook/internal/udiff"

// unifiedDiff renders the change from old to new as a unified diff headed by
// the path (/dev/null for a file that does not exist yet).
func unifiedDiff(path string, old, new []byte, existed bool) string {
	from := path
	if !existed {
		from = "/dev/null"
	}
	return udiff.Unified(udiff.Texts(string(old), string(new)), udiff.Options{
		From: from, To: path, Context: udiff.DefaultContext,
	})
}
