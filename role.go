package runbook

import (
	"slices"
	"strings"

	"github.com/runbookdev/runbook/internal/quote"
)

// SectionRole says whether a section is part of the straight install path
// or something a reader does only sometimes: maintenance, one of several
// alternatives, an optional extra, or troubleshooting.
type SectionRole string

const (
	// RoleInstall marks the straight path through a guide: run by default.
	RoleInstall SectionRole = ""
	// RoleMaintenance marks later upkeep such as updates, backups or a password reset.
	RoleMaintenance SectionRole = "maintenance"
	// RoleAlternative marks one of several ways to do the same thing ("Option B").
	RoleAlternative SectionRole = "alternative"
	// RoleOptional marks an extra a reader may leave out ("If you want …").
	RoleOptional SectionRole = "optional"
	// RoleTroubleshooting marks what to do when something went wrong.
	RoleTroubleshooting SectionRole = "troubleshooting"
)

// Runs reports whether steps of this role run by default in run and check.
func (r SectionRole) Runs() bool { return r == RoleInstall }

// Section returns the section with the given title path, or nil.
func (g *Guide) Section(path []string) *Section {
	for i := range g.Sections {
		if slices.Equal(g.Sections[i].Path, path) {
			return &g.Sections[i]
		}
	}
	return nil
}

// RoleOf returns the role of the section a step belongs to.
func (g *Guide) RoleOf(st Step) SectionRole {
	if s := g.Section(st.Head().Section); s != nil {
		return s.Role
	}
	return RoleInstall
}

// RoleSource returns the section on path that gave the section at path its
// role: the outermost one with that role, since subsections inherit it
// ("Updates" for "Updates › Backup"). Naming it in --section runs them all.
// It returns nil for a section on the install path or an unknown path.
func (g *Guide) RoleSource(path []string) *Section {
	s := g.Section(path)
	if s == nil || s.Role == RoleInstall {
		return nil
	}
	for n := 1; n <= len(path); n++ {
		if p := g.Section(path[:n]); p != nil && p.Role == s.Role {
			return p
		}
	}
	return s
}

// Title returns the section's own title, the last element of its path.
func (s *Section) Title() string {
	if len(s.Path) == 0 {
		return ""
	}
	return s.Path[len(s.Path)-1]
}

// SectionArg writes a section title as the shell word that --section
// takes: as it is when it is one plain word, else in double quotes.
func SectionArg(title string) string {
	plain := title != ""
	for _, c := range title {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-/+", c)) {
			plain = false
		}
	}
	if plain {
		return title
	}
	return `"` + quote.ShellDouble(title) + `"`
}
