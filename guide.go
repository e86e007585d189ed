package runbook

// Guide is one parsed guide: its steps in document order (includes expanded),
// the parameters detected in it and every problem found while reading it.
type Guide struct {
	Name        string // path of the guide as given on the command line
	Title       string // the document title
	Sections    []Section
	Steps       []Step
	Params      []Param
	Diagnostics []Diagnostic
	// Inclusions lists every include that was read, in reading order;
	// Header.Inclusion k refers to Inclusions[k-1].
	Inclusions []Inclusion
	// Flows are the values a step prints that later steps repeat.
	Flows []Flow
}

// Inclusion is one place where an include file was read into the guide.
type Inclusion struct {
	Pos   Pos    // the `.. include::` line
	File  string // the included file, as step positions name it
	Prose string // the paragraph right before the directive, which may name values the include leaves open ("on port 8008")
}

// Section is a titled part of a guide; steps refer to their section by path.
type Section struct {
	Pos   Pos
	Level int      // 1 for the title, 2 for its sections, ...
	Path  []string // titles from the top, ending with this section's own
	// Role says whether the section is on the install path; a subsection
	// inherits its parent's role unless its own title or prose says more.
	Role SectionRole
	// RoleWhy is the title word or prose that gave the role, for `steps`.
	RoleWhy string
}

// HasErrors reports whether any diagnostic has Error severity.
func (g *Guide) HasErrors() bool {
	for _, d := range g.Diagnostics {
		if d.Severity == Error {
			return true
		}
	}
	return false
}
