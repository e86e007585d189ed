package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/verifier/lint"
)

func newLintCmd(e env) *cobra.Command {
	var asJSON bool
	var format string
	var gf guideFlags
	cmd := &cobra.Command{
		Use:   "lint GUIDE...",
		Short: "Find static drift in guides without running them",
		Long: `Check guides for defects that show without running anything: JSON, YAML or INI
that does not parse, file content in a console block, a prompt directory that
does not follow from the cd before it, malformed URLs, unknown supervisord keys,
missing includes, unexplained placeholders, console blocks with no closing
prompt and choices written for people ("--report-stats=[yes|no]", id choice).
Each finding has an id, a file:line and a sentence.

Output is text ("file:line: id: sentence"), --json (an array of {id, pos,
severity, message}) or --report github (workflow annotations).
The exit code is 1 when anything is found, 0 when nothing is, and 2 when a guide
cannot be read, has no steps or has errors such as a missing include (its
findings are still printed).

Examples:
  runbook lint guides/synapse.rst
  runbook lint guides/*.rst --report github
  runbook lint --root docs docs/guides/app.rst   # includes read inside docs/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				if format != "" && format != "json" {
					return usageErrorf("--json and --report %s: pick one", format)
				}
				format = "json"
			}
			switch format {
			case "", "text", "json", "github":
			default:
				return usageErrorf("lint --report %q: want text, json or github", format)
			}
			return runLint(e, args, &gf, format)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of {id, pos, severity, message}")
	cmd.Flags().StringVar(&format, "report", "", "output `FORMAT`: text, json or github (workflow annotations)")
	gf.register(cmd.Flags())
	return cmd
}

// finding is one lint result, in the JSON form of the contract.
type finding struct {
	ID       string `json:"id"`
	Pos      string `json:"pos"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	file     string
	line     int
}

func runLint(e env, paths []string, gf *guideFlags, format string) error {
	var all []finding
	code := exitOK
	for _, path := range paths {
		g, err := gf.load(path)
		if err != nil {
			// A guide that cannot be read, or parses with errors (a missing
			// include), is exit 2 as for every command; what could be read
			// is still linted.
			var ee *exitError
			if errors.As(err, &ee) && ee.err != nil {
				fmt.Fprintf(e.stderr, "%s: %v\n", programName, ee.err)
			}
			code = exitUsage
		}
		if g != nil {
			all = append(all, lintGuide(g)...)
		}
	}
	if err := writeFindings(e.stdout, format, all); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if code == exitOK && len(all) > 0 {
		code = exitFound
	}
	return exitCode(code)
}

// lintGuide is guideFindings in the JSON form of the contract.
func lintGuide(g *runbook.Guide) []finding {
	var out []finding
	for _, d := range guideFindings(g) {
		out = append(out, finding{ID: d.ID, Pos: d.Pos.String(), Severity: d.Severity.String(), Message: d.Message,
			file: d.Pos.File, line: d.Pos.Line})
	}
	return out
}

// guideFindings joins the parser's diagnostics (a missing include is a
// finding) with lint's own, without duplicates, in file and line order.
func guideFindings(g *runbook.Guide) []runbook.Diagnostic {
	seen := map[string]bool{}
	var out []runbook.Diagnostic
	for _, d := range append(append([]runbook.Diagnostic(nil), g.Diagnostics...), lint.Lint(g)...) {
		if d.ID == "" {
			d.ID = "parse"
		}
		key := d.ID + "\x00" + d.Pos.String() + "\x00" + d.Message
		if !seen[key] {
			seen[key] = true
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pos.File != out[j].Pos.File {
			return out[i].Pos.File < out[j].Pos.File
		}
		return out[i].Pos.Line < out[j].Pos.Line
	})
	return out
}

func writeFindings(w io.Writer, format string, fs []finding) error {
	switch format {
	case "json":
		if fs == nil {
			fs = []finding{}
		}
		return writeJSON(w, fs)
	case "github":
		for _, f := range fs {
			level := "warning"
			if f.Severity == "error" {
				level = "error"
			}
			fmt.Fprintf(w, "::%s file=%s,line=%d,title=%s::%s\n", level,
				ghProperty(f.file), f.line, ghProperty(f.ID), ghData(f.Message))
		}
		return nil
	}
	for _, f := range fs {
		if _, err := fmt.Fprintf(w, "%s: %s: %s\n", f.Pos, f.ID, f.Message); err != nil {
			return err
		}
	}
	return nil
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
