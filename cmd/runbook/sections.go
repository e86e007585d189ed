package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/runner"
)

// sectionFlags are --section and --all, shared by run and check: which
// sections off the install path (maintenance, alternatives, optional
// extras, troubleshooting) run as well.
type sectionFlags struct {
	titles []string
	all    bool
}

func (s *sectionFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&s.titles, "section", nil,
		"also run the section titled `TITLE` (any level, any case) and its subsections, though it is not on the install path; repeatable")
	fl.BoolVar(&s.all, "all", false, "run every section, also maintenance, alternatives, optional extras and troubleshooting")
}

// apply puts the choice into the runner's options.
func (s *sectionFlags) apply(o *runner.Options) {
	o.Sections, o.AllSections = s.titles, s.all
}

// check refuses a --section title that none of the guides has, naming
// the titles there are (of the one guide, when there is one).
func (s *sectionFlags) check(guides ...*runbook.Guide) error {
	if len(guides) == 0 {
		return nil // nothing could be read; that error is said already
	}
	for _, t := range s.titles {
		if hasSection(guides, t) {
			continue
		}
		if len(guides) == 1 {
			return usageErrorf("--section %s: %s has no section with that title; its sections are: %s",
				runbook.SectionArg(t), guides[0].Name, sectionList(guides[0]))
		}
		return usageErrorf("--section %s: none of the %d guides has a section with that title; 'runbook steps GUIDE' shows a guide's sections",
			runbook.SectionArg(t), len(guides))
	}
	return nil
}

func hasSection(guides []*runbook.Guide, title string) bool {
	for _, g := range guides {
		for _, sec := range g.Sections {
			if runner.SameTitle(sec.Title(), title) {
				return true
			}
		}
	}
	return false
}

// sectionList names a guide's sections below its title, each once, with
// the role of those that do not run by default.
func sectionList(g *runbook.Guide) string {
	var names []string
	seen := map[string]bool{}
	for i, sec := range g.Sections {
		t := sec.Title()
		if (i == 0 && sec.Level == 1 && t == g.Title) || seen[t] {
			continue
		}
		seen[t] = true
		if sec.Role != runbook.RoleInstall {
			t += " (" + string(sec.Role) + ")"
		}
		names = append(names, t)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// roleNote says of a section off the install path what it is and how to run
// it, for the headings of steps: "(maintenance: skipped by default;
// --section Updates or --all runs it)"; "" for the install path.
func roleNote(g *runbook.Guide, path []string) string {
	src := g.RoleSource(path)
	if src == nil {
		return ""
	}
	return fmt.Sprintf(" (%s: skipped by default; --section %s or --all runs it)", src.Role, runbook.SectionArg(src.Title()))
}
