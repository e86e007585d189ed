package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/runbookdev/runbook/verifier/report"
)

func newReportCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Work with the JSON reports that check writes",
		Long: `Work with the JSON reports that 'check --report json:FILE' writes.

Examples:
  runbook report merge shard-*.json --report html:out/report.html --report markdown:out/summary.md`,
	}
	cmd.AddCommand(newReportMergeCmd(e))
	return cmd
}

type mergeFlags struct {
	reports  []string
	baseline string
}

func newReportMergeCmd(e env) *cobra.Command {
	var f mergeFlags
	cmd := &cobra.Command{
		Use:   "merge SHARD.json...",
		Short: "Join the JSON reports of a collection's shards into one report",
		Long: `Join the JSON reports that 'check --shard K/N --report json:FILE' wrote on
several machines (a CI matrix) into one report of the whole collection, as one
unsharded check would have written it: the guides in the order of their paths,
the totals added up. Write it in any format check knows (json on stdout unless
--report says otherwise); --baseline marks what is newly broken or fixed since
an earlier run's report. A guide found in two shards is an error.

Examples:
  runbook report merge shard1.json shard2.json > all.json
  runbook report merge shard-*.json --baseline last.json \
      --report json:all.json --report html:report.html --report markdown:summary.md

Exit codes: 0 every step ok or manual, 1 something drifted, failed or was
skipped (or a guide could not run to its end), 2 wrong invocation or a file
that is not a runbook JSON report.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			specs := []reportSpec{{format: "json"}}
			if len(f.reports) > 0 {
				var err error
				if specs, err = parseReports(f.reports); err != nil {
					return err
				}
			}
			return mergeReports(e, args, f.baseline, specs)
		},
	}
	cmd.Flags().StringArrayVar(&f.reports, "report", nil,
		"write the merged report as `FMT[:FILE]`: text, json, junit, markdown, github or html; repeatable (default json on stdout)")
	cmd.Flags().StringVar(&f.baseline, "baseline", "", "mark what is newly broken or fixed since the run that wrote `LAST.json`")
	return cmd
}

// mergeReports reads the shards, joins them and writes the reports.
func mergeReports(e env, paths []string, baseline string, specs []reportSpec) error {
	var shards [][]report.Report
	for _, p := range paths {
		fh, err := os.Open(p)
		if err != nil {
			return usageErrorf("%s: %v", p, unwrapPath(err))
		}
		reps, err := report.Decode(fh, p)
		fh.Close()
		if err != nil {
			return usageErrorf("%v", err)
		}
		shards = append(shards, reps)
	}
	all, err := report.Merge(shards...)
	if err != nil {
		return usageErrorf("%v", err)
	}
	base, err := readBaseline(baseline)
	if err != nil {
		return err
	}
	if base != nil {
		all = report.MarkChanges(all, base)
	}
	if err := writeReports(e, specs, all, newSecrets(nil), false); err != nil {
		return err
	}
	for _, r := range all {
		if r.Broken() {
			return exitCode(exitFound)
		}
	}
	return nil
}
