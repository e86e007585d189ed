package runner

import (
	"fmt"
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Decision is a person's answer to the question asked before a section.
type Decision int

const (
	// RunSection runs the section's steps.
	RunSection Decision = iota
	// SkipSection skips this section only; the run goes on with the next.
	SkipSection
	// StopRun stops the run here; every later step is skipped.
	StopRun
)

// DeclinedReason is the reason of a step whose section the person said no to.
const DeclinedReason = "skipped: you answered n for this section"

// offPath returns why a step is not run because of its section's role
// (maintenance, alternative, optional, troubleshooting), or "" when it runs:
// it is on the install path, --all was given, or --section names a title on
// its section's path.
func (ru *run) offPath(st runbook.Step) string {
	if ru.opts.AllSections {
		return ""
	}
	path := st.Head().Section
	src := ru.g.RoleSource(path)
	if src == nil || Chosen(path, ru.opts.Sections) {
		return ""
	}
	return fmt.Sprintf("%s section: not run by default (--section %s or --all)", src.Role, runbook.SectionArg(src.Title()))
}

// Chosen reports whether any title on a section's path is one of titles,
// compared as --section compares them: case and runs of spaces do not matter.
func Chosen(path, titles []string) bool {
	for _, p := range path {
		if slices.ContainsFunc(titles, func(t string) bool { return SameTitle(p, t) }) {
			return true
		}
	}
	return false
}

// SameTitle compares section titles as a person typing --section means them.
func SameTitle(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// ask puts the question before a new section and notes the answer: a
// declined section's steps are skipped, a stop halts the run.
func (ru *run) ask(section []string) {
	if ru.opts.Confirm == nil {
		return
	}
	switch ru.opts.Confirm(section) {
	case SkipSection:
		ru.declined = section
	case StopRun:
		ru.halt("stopped by user", nil)
	}
}

// skipReason returns why a selected step is skipped without running: the
// run has stopped, its section is off the install path, or the person
// declined it. unselected says the skip was chosen, not caused by a failure.
func (ru *run) skipReason(st runbook.Step) (reason string, unselected bool) {
	if r := ru.offPath(st); r != "" {
		return r, true
	}
	if ru.stop != "" {
		return ru.stop, false
	}
	if ru.declined != nil && slices.Equal(ru.declined, st.Head().Section) {
		return DeclinedReason, true
	}
	return "", false
}
