package runbook

import "slices"

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
