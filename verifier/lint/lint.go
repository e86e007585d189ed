// Package lint finds static drift in a guide without running it: config
// blocks that do not parse, content shown as a console session, prompt
// directories that do not follow from a cd, malformed URLs, unknown
// supervisord keys, placeholders the prose never explains, choices written
// for people ("[yes|no]"), and the
// parser's own diagnostics (missing includes, blocks with no closing prompt).
package lint

import (
	"cmp"
	"slices"

	runbook "github.com/runbookdev/runbook"
)

// Source holds the raw text of a guide and of the includes it read, keyed by
// the file name the parser put in Pos.File. Checks that need the prose or the
// exact source lines (placeholders, closing prompts, positions inside a
// block) read it; a check whose file is missing does what it can without it.
type Source map[string][]byte

// Lint returns every finding for the parsed guide, from the model alone.
func Lint(g *runbook.Guide) []runbook.Diagnostic {
	return LintSource(g, nil)
}

// LintSource returns every finding for the parsed guide; src supplies the
// raw text of the guide and its includes for the checks that need prose.
// Findings are sorted by file, line and check id.
func LintSource(g *runbook.Guide, src Source) []runbook.Diagnostic {
	if g == nil {
		return nil
	}
	c := newContext(g, src)
	var out []runbook.Diagnostic
	out = append(out, g.Diagnostics...)
	for _, check := range checks {
		out = append(out, check(c)...)
	}
	return sortUnique(out)
}

// checks are run in this order; each lives in its own file.
var checks = []func(*context) []runbook.Diagnostic{
	checkBadJSON,
	checkBadYAML,
	checkBadINI,
	checkContentInConsole,
	checkPromptDir,
	checkBadURL,
	checkSupervisordKeys,
	checkUnexplainedPlaceholders,
	checkNoClosingPrompt,
	checkChoices,
}

// sortUnique orders findings by position and drops exact duplicates, which
// arise when a check repeats what the parser already reported.
func sortUnique(ds []runbook.Diagnostic) []runbook.Diagnostic {
	slices.SortStableFunc(ds, func(a, b runbook.Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.ID, b.ID),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.CompactFunc(ds, func(a, b runbook.Diagnostic) bool {
		return a.Pos == b.Pos && a.ID == b.ID && a.Message == b.Message
	})
}
