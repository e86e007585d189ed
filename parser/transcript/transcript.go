// Package transcript parses the console sessions of a guide: prompts,
// continuation lines, heredocs, output, elisions, answers and REPL input.
package transcript

import runbook "github.com/runbookdev/runbook"

// IsPromptLine reports whether a line (already dedented) starts with a shell
// prompt, which is what makes a block a session rather than file content.
func IsPromptLine(line string) bool {
	return false // STUB: owned by the transcript helper
}

// Parse turns the dedented lines of one console block into commands.
// file and firstLine give the position of lines[0]; indent is the block's
// indentation in the source. ID and Section are left for the caller.
func Parse(file string, firstLine int, indent string, lines []string) ([]*runbook.Command, []runbook.Diagnostic) {
	return nil, nil // STUB
}
