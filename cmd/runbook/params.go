package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	runbook "github.com/runbookdev/runbook"
)

// usesShown is how many positions the text table lists per parameter.
const usesShown = 3

func newParamsCmd(e env) *cobra.Command {
	var pf paramFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "params GUIDE",
		Short: "List the example values in a guide that you can replace with your own",
		Long: `List the parameters runbook detected in a guide: the user (isabell), the host
(stardust), the domains (example.org and its subdomains), <placeholders>, the
SERVICE name and the dummy passwords and secrets, each with its value and where
it occurs.

Set a value with --set OLD=NEW, where OLD is the documented text or the name in
the first column, with --params FILE.yaml, or in the sidecar GUIDE.runbook.yaml
next to the guide. Secret values are never printed.

Examples:
  runbook params guides/synapse.rst
  runbook params guides/synapse.rst --set example.org=alice.dev --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showGuide(e, args[0], &pf, func(_ *runbook.Guide, ps []runbook.Param) error {
				if asJSON {
					return writeJSON(e.stdout, paramsJSON(ps))
				}
				return writeParamsText(e.stdout, ps)
			})
		},
	}
	pf.register(cmd.Flags())
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of {name, example, value, kind, secret, uses}")
	return cmd
}

func writeParamsText(w io.Writer, ps []runbook.Param) error {
	if len(ps) == 0 {
		_, err := fmt.Fprintln(w, "No parameters found: this guide uses no example values.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tEXAMPLE\tVALUE\tKIND\tUSES")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, orDefault(p.Example, "-"), paramValue(p), p.Kind, usesText(p.Uses))
	}
	return tw.Flush()
}

// paramValue shows a value for the table; secrets only say whether they are set.
func paramValue(p runbook.Param) string {
	switch {
	case p.Secret && p.Value != "":
		return "(secret, set)"
	case p.Secret:
		return "(secret, not set)"
	case p.Derived != "" && p.Value == p.Example:
		return p.Value + " (follows " + p.Derived + ")"
	case p.Value == "":
		return "(not set)"
	}
	return p.Value
}

// usesText lists the first few positions and the total count.
func usesText(uses []runbook.Pos) string {
	var parts []string
	for i, u := range uses {
		if i == usesShown {
			break
		}
		parts = append(parts, u.String())
	}
	s := strings.Join(parts, ", ")
	if len(uses) > usesShown {
		s += fmt.Sprintf(", … (%d in all)", len(uses))
	}
	return s
}
