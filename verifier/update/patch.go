package update

import "github.com/runbookdev/runbook/internal/udiff"

// Patch returns a unified diff from old to new, headed with name, or ""
// when they are equal; it is what `runbook update` prints without --write.
func Patch(old, new []byte, name string) string {
	if string(old) == string(new) {
		return ""
	}
	return udiff.Unified(udiff.Texts(string(old), string(new)), udiff.Options{
		From: "a/" + name, To: "b/" + name, Context: udiff.DefaultContext,
	})
}
