// Package params detects the example values in a guide (user, host, domains,
// placeholders, secrets) and applies the values a user sets.
//
// Names, so that --set NAME=V and the sidecar can refer to them:
//   - "user" (isabell), "host" (stardust), "service" (SERVICE);
//   - "domain" (example.org); a subdomain is "domain:" plus its labels
//     ("domain:matrix" for matrix.example.org) and follows "domain";
//   - "userdomain" (isabell.uber.space) follows "user"; its subdomains are
//     "userdomain:LABELS";
//   - a placeholder is named by its text, lower-cased, blanks as dashes
//     ("<my super secure password>" → "my-super-secure-password");
//   - a dummy secret is named by what follows "MySuperSecret", in kebab
//     case ("MySuperSecretPSQLPassword" → "psql-password"; plain
//     "MySuperSecret" → "secret");
//   - a hidden prompt no secret in the guide explains gets its own secret,
//     "password:PROGRAM" or "password:PROGRAM:ROLE", with no Example;
//   - a placeholder that occurs only in a file included more than once is
//     one param per inclusion: the first keeps its name ("port"), the
//     others are "port-2", "port-3", ... in reading order, and each
//     defaults to the value the paragraph before its include names
//     ("… the listener on port 8008." → 8008).
//
// A name that is taken gets "-2", "-3", ... appended.
package params

import (
	"fmt"
	"sort"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Set binds a value to the param whose Name equals key, else to every param
// whose Example equals key (so "<port>" sets the port of each inclusion
// and "port-2" only the second); it returns an error naming the known
// params when none does. Params derived
// from it (matrix.example.org from example.org, isabell.uber.space from
// isabell) follow the new value unless they were set to something else.
func Set(ps []runbook.Param, key, value string) error {
	i := find(ps, key)
	if i < 0 {
		return fmt.Errorf("unknown parameter %q; known: %s", key, known(ps))
	}
	if ps[i].Name != key {
		for j := range ps {
			if j != i && ps[j].Example == key {
				setFrom(ps, j, value, 0)
			}
		}
	}
	setFrom(ps, i, value, 0)
	return nil
}

// find returns the index of the param named key, else of the one whose example is key.
func find(ps []runbook.Param, key string) int {
	for i, p := range ps {
		if p.Name == key {
			return i
		}
	}
	for i, p := range ps {
		if p.Example != "" && p.Example == key {
			return i
		}
	}
	return -1
}

// setFrom sets ps[i] and moves the params that still follow it.
func setFrom(ps []runbook.Param, i int, value string, depth int) {
	old := ps[i].Value
	ps[i].Value = value
	if depth > len(ps) {
		return // a cycle of Derived names; nothing sensible to follow
	}
	for j := range ps {
		if j == i || ps[j].Derived != ps[i].Name {
			continue
		}
		// A subdomain follows as its example does; a default written in
		// terms of the base (USER's "isabell") follows as that default does.
		from := ps[j].Example
		if ps[j].Default != "" {
			from = ps[j].Default
		}
		if ps[j].Value == derive(from, ps[i].Example, old) {
			setFrom(ps, j, derive(from, ps[i].Example, value), depth+1)
		}
	}
}

// derive is what a derived example becomes when its base example takes a
// value: matrix.example.org with example.org=alice.dev is matrix.alice.dev.
func derive(example, baseExample, baseValue string) string {
	if baseValue == "" {
		baseValue = baseExample
	}
	return runbook.NewReplacer([]runbook.Param{{Example: baseExample, Value: baseValue}}).Forward(example)
}

// known lists the params for an error message: "user (isabell), host (stardust), ...".
func known(ps []runbook.Param) string {
	if len(ps) == 0 {
		return "none (this guide has no parameters)"
	}
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Example != "" && p.Example != p.Name {
			names = append(names, fmt.Sprintf("%s (%s)", p.Name, p.Example))
		} else {
			names = append(names, p.Name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
