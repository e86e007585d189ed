package parser

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Section roles: a guide is not one straight line. "Updates", "Backup" and
// "Password reset" are done later, "Troubleshooting" only when something
// went wrong, "Option B" instead of "Option A", and "If you want …"
// sections only by those who want them. The parser recognises them by the
// section's title and by the prose a reader sees first in it, so that run
// and check keep to the install path unless asked for more.

// roleTitles maps a normalised title (lower case, "(optional)" and
// punctuation at the ends trimmed) to its role. The English forms are the
// ones the lab's guides use; the German ones are Uberspace's other language.
var roleTitles = map[string]runbook.SectionRole{
	"update": runbook.RoleMaintenance, "updates": runbook.RoleMaintenance, "updating": runbook.RoleMaintenance,
	"upgrade": runbook.RoleMaintenance, "upgrades": runbook.RoleMaintenance, "upgrading": runbook.RoleMaintenance,
	"maintenance": runbook.RoleMaintenance, "backup": runbook.RoleMaintenance, "backups": runbook.RoleMaintenance,
	"restore": runbook.RoleMaintenance, "restoring": runbook.RoleMaintenance,
	"uninstall": runbook.RoleMaintenance, "uninstalling": runbook.RoleMaintenance,
	"uninstallation": runbook.RoleMaintenance, "removal": runbook.RoleMaintenance,
	"password reset": runbook.RoleMaintenance, "reset password": runbook.RoleMaintenance,
	"reset a password": runbook.RoleMaintenance, "resetting a password": runbook.RoleMaintenance,
	"resetting passwords": runbook.RoleMaintenance, "changing passwords": runbook.RoleMaintenance,
	"aktualisierung": runbook.RoleMaintenance, "aktualisieren": runbook.RoleMaintenance,
	"wartung": runbook.RoleMaintenance, "sicherung": runbook.RoleMaintenance,
	"datensicherung": runbook.RoleMaintenance, "deinstallation": runbook.RoleMaintenance,
	"passwort zurücksetzen": runbook.RoleMaintenance,

	"troubleshooting": runbook.RoleTroubleshooting, "debugging": runbook.RoleTroubleshooting,
	"debug": runbook.RoleTroubleshooting, "faq": runbook.RoleTroubleshooting, "faqs": runbook.RoleTroubleshooting,
	"frequently asked questions": runbook.RoleTroubleshooting, "known issues": runbook.RoleTroubleshooting,
	"known problems": runbook.RoleTroubleshooting, "common problems": runbook.RoleTroubleshooting,
	"common issues": runbook.RoleTroubleshooting, "problems": runbook.RoleTroubleshooting,
	"fehlerbehebung": runbook.RoleTroubleshooting, "problembehandlung": runbook.RoleTroubleshooting,
	"fehlersuche": runbook.RoleTroubleshooting, "häufige fragen": runbook.RoleTroubleshooting,

	"optional": runbook.RoleOptional, "optional steps": runbook.RoleOptional, "extras": runbook.RoleOptional,
	"tuning": runbook.RoleOptional, "performance tuning": runbook.RoleOptional,
	"optimization": runbook.RoleOptional, "optimisation": runbook.RoleOptional,
	"performance / optimization": runbook.RoleOptional, "performance": runbook.RoleOptional,
	"optionale schritte": runbook.RoleOptional,
}

var (
	// reTitleTail finds a maintenance word at the end of a longer title
	// ("Database maintenance", "PostgreSQL-Update", "Updates and backups").
	reTitleTail = regexp.MustCompile(`(?i)(?:^|[\s-])(?:updates?|upgrades?|maintenance|backups?)$`)
	// reTitleHead finds a title that begins with a maintenance or
	// troubleshooting word joined to another ("Backup & Restore",
	// "Upgrade from Part-DB-legacy"), but not "Update config".
	reTitleHead = regexp.MustCompile(`(?i)^(updates?|upgrades?|upgrading|updating|backups?|maintenance|troubleshooting|debugging)(?:\s*(?:&|and|/|,)\s+\w|\s+from\s)`)
	// reTitleOptional finds "(optional)" or "optional:" in a title.
	reTitleOptional = regexp.MustCompile(`(?i)\(optional\)|^optional\b|\boptional$`)
	// reOptionLabel is the label of one of several alternatives: "Option A",
	// "Option 2", "Variante B".
	reOptionLabel = regexp.MustCompile(`(?i)^(?:option|variant|variante|alternative)\s+([a-z]|\d+)\b`)
)

// Prose a section opens with, matched at the start of its first paragraph.
var (
	reProseOptional = regexp.MustCompile(`(?i)^(?:optional(?:ly)?\b|\(optional\)|you (?:can|may|could) optionally\b|` +
		`(?:if|in case|should) you (?:(?:also|really|just|ever|additionally) )?(?:want|wish|would like|'d like|’d like|prefer|like to|need|plan|intend|are planning|are interested|are using|use|choose|decide|care)\b|` +
		`for those who (?:want|wish|need|prefer)\b|wenn du (?:m[öo]chtest|willst)\b)`)
	reProseAlternative = regexp.MustCompile(`(?i)^(?:alternatively\b|as an alternative\b|instead of\b|alternativ\b)`)
	reProseTrouble     = regexp.MustCompile(`(?i)^(?:(?:if|in case|should) you (?:run into|encounter|experience|get|see|have|hit) (?:any |some )?(?:problems?|issues?|troubles?|errors?|an error)\b|` +
		`in case of (?:problems?|issues?|errors?|troubles?)\b|(?:if|when) (?:something|anything) (?:goes wrong|went wrong|fails|failed)\b)`)
)

// assignRoles sets Role and RoleWhy on every section of g. leads holds the
// opening paragraph of each section by index in g.Sections. The document
// title has none: a guide titled "Updates" is run to update.
func assignRoles(g *runbook.Guide, leads map[int]string) {
	for i := range g.Sections {
		s := &g.Sections[i]
		if i == 0 && s.Level == 1 {
			continue
		}
		if p := parentSection(g.Sections[:i], s); p != nil && p.Role != runbook.RoleInstall {
			s.Role, s.RoleWhy = p.Role, inheritedWhy(p)
			continue
		}
		s.Role, s.RoleWhy = ownRole(s.Path[len(s.Path)-1], leads[i])
	}
	markAlternatives(g, leads)
}

// parentSection is the nearest section before s whose path s extends.
func parentSection(before []runbook.Section, s *runbook.Section) *runbook.Section {
	for i := len(before) - 1; i >= 0; i-- {
		p := &before[i]
		if len(p.Path) == len(s.Path)-1 && slices.Equal(p.Path, s.Path[:len(p.Path)]) {
			return p
		}
	}
	return nil
}

// ownRole is the role a section's own title or opening prose gives it.
func ownRole(title, lead string) (runbook.SectionRole, string) {
	norm := normTitle(title)
	if r, ok := roleTitles[norm]; ok {
		return r, fmt.Sprintf("title %q", title)
	}
	if reTitleOptional.MatchString(title) {
		return runbook.RoleOptional, fmt.Sprintf("title %q", title)
	}
	if m := reTitleHead.FindStringSubmatch(norm); m != nil {
		return headRole(m[1]), fmt.Sprintf("title %q", title)
	}
	// Two words at most: "Test your backup" is a step of a backup tool's install.
	if reTitleTail.MatchString(norm) && len(strings.Fields(norm)) <= 2 {
		return runbook.RoleMaintenance, fmt.Sprintf("title %q", title)
	}
	lead = strings.TrimLeft(lead, "*_ ")
	switch {
	case reProseTrouble.MatchString(lead):
		return runbook.RoleTroubleshooting, proseWhy(lead)
	case reProseOptional.MatchString(lead):
		return runbook.RoleOptional, proseWhy(lead)
	case reProseAlternative.MatchString(lead):
		return runbook.RoleAlternative, proseWhy(lead)
	}
	return runbook.RoleInstall, ""
}

// headRole is the role of a title's first word.
func headRole(word string) runbook.SectionRole {
	switch strings.ToLower(word) {
	case "troubleshooting", "debugging":
		return runbook.RoleTroubleshooting
	}
	return runbook.RoleMaintenance
}

// normTitle lowers a title and trims what does not change its meaning:
// punctuation at the ends and runs of spaces.
func normTitle(title string) string {
	t := strings.ToLower(normSpace(title))
	return strings.Trim(t, " .:!?")
}

// proseWhy quotes the start of the prose that gave a role, for `steps`.
func proseWhy(lead string) string {
	words := strings.Fields(lead)
	if len(words) > 8 {
		return fmt.Sprintf("prose %q", strings.Join(words[:8], " ")+" …")
	}
	return fmt.Sprintf("prose %q", strings.Join(words, " "))
}

// markAlternatives finds groups of sibling sections labelled as options
// ("Option A: Postgres", "Option B: Sqlite"): the first of a group stays on
// the install path, since the steps after the group are written for it
// (synapse's later steps use Option A's database); the others are
// alternatives. A section whose own title or prose already gave it another
// role keeps it.
func markAlternatives(g *runbook.Guide, leads map[int]string) {
	first := map[string]int{} // parent path → index of the group's first option
	for i := range g.Sections {
		s := &g.Sections[i]
		label := optionLabel(s.Path[len(s.Path)-1], leads[i])
		if label == "" {
			continue
		}
		key := strings.Join(s.Path[:len(s.Path)-1], "\x00")
		j, seen := first[key]
		if !seen {
			first[key] = i
			continue
		}
		if s.Role != runbook.RoleInstall {
			continue
		}
		chosen := g.Sections[j].Path[len(g.Sections[j].Path)-1]
		s.Role = runbook.RoleAlternative
		s.RoleWhy = fmt.Sprintf("%q is another option than %q, which runs by default", label, chosen)
		markSubsections(g, i)
	}
}

// markSubsections gives the subsections of section i its role, as
// assignRoles would have had it been known then.
func markSubsections(g *runbook.Guide, i int) {
	parent := g.Sections[i]
	for k := i + 1; k < len(g.Sections); k++ {
		s := &g.Sections[k]
		if len(s.Path) <= len(parent.Path) || !slices.Equal(s.Path[:len(parent.Path)], parent.Path) {
			break
		}
		s.Role, s.RoleWhy = parent.Role, inheritedWhy(&parent)
	}
}

// inheritedWhy is the RoleWhy of a subsection of p: the section the role
// comes from, which `--section` names to run them all.
func inheritedWhy(p *runbook.Section) string {
	if strings.HasPrefix(p.RoleWhy, "inside ") {
		return p.RoleWhy
	}
	return fmt.Sprintf("inside %q", p.Path[len(p.Path)-1])
}

// optionLabel is "Option A" for a section titled "Option A: Postgres" or
// opening with "Option A: …", else "".
func optionLabel(title, lead string) string {
	for _, s := range []string{title, strings.TrimLeft(lead, "*_ ")} {
		if m := reOptionLabel.FindString(s); m != "" {
			return m
		}
	}
	return ""
}
