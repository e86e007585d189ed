package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

var verdictIcon = map[runbook.Verdict]string{
	runbook.OK: "✅", runbook.Drift: "⚠️", runbook.Failed: "❌", runbook.Skipped: "⏭️", runbook.ManualStep: "✋",
}

// writeMarkdown writes a section per guide for a pull-request comment or
// a GitHub step summary: counts, a table of the steps that were not ok,
// and their diffs folded in <details>.
func writeMarkdown(w io.Writer, reports []Report) error {
	bw := bufio.NewWriter(w)
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		title := "`" + r.Guide + "`"
		if r.Title != "" {
			title = r.Title + " (" + title + ")"
		}
		sum := Summarize(r.Results)
		icon := "✅"
		if sum.Failed > 0 {
			icon = "❌"
		} else if sum.Drift > 0 || skippedByFailure(r.Results) {
			icon = "⚠️"
		}
		fmt.Fprintf(bw, "## %s %s\n\n%s\n", icon, title, markdownSummary(sum))
		var bad []step
		for _, res := range r.Results {
			if res.Verdict != runbook.OK {
				bad = append(bad, view(res))
			}
		}
		if len(bad) == 0 {
			continue
		}
		fmt.Fprint(bw, "\n| verdict | where | step | reason |\n|---|---|---|---|\n")
		for _, s := range bad {
			fmt.Fprintf(bw, "| %s %s | `%s` | %s | %s |\n", verdictIcon[s.verdict], s.verdict, s.pos,
				cell(s.description, true), cell(s.reason, false))
		}
		for _, s := range bad {
			if s.diff == "" {
				continue
			}
			fence := codeFence(s.diff)
			fmt.Fprintf(bw, "\n<details><summary>%s %s</summary>\n\n%sdiff\n%s%s\n\n</details>\n",
				s.verdict, htmlEscape(s.pos.String()), fence, ensureNewline(s.diff), fence)
		}
	}
	return bw.Flush()
}

// skippedByFailure reports whether a step was skipped for a reason that is
// a problem: not one left out on purpose (runbook.Result.Unselected).
func skippedByFailure(results []runbook.Result) bool {
	for _, r := range results {
		if r.Verdict == runbook.Skipped && !r.Unselected {
			return true
		}
	}
	return false
}

// markdownSummary prints the counts with the non-zero problems in bold.
func markdownSummary(s Summary) string {
	b := func(n int, word string) string {
		if n > 0 && word != "ok" && word != "manual" && word != "simulated" {
			return fmt.Sprintf("**%d %s**", n, word)
		}
		return fmt.Sprintf("%d %s", n, word)
	}
	return strings.Join([]string{b(s.OK, "ok"), b(s.Drift, "drift"), b(s.Failed, "failed"),
		b(s.Skipped, "skipped"), b(s.Manual, "manual"), b(s.Simulated, "simulated")}, " · ")
}

// cell makes text safe inside a table cell: one line, pipes escaped.
func cell(s string, code bool) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	if code {
		s = strings.ReplaceAll(s, "`", "'")
		return "`" + strings.ReplaceAll(s, "|", "\\|") + "`"
	}
	return strings.ReplaceAll(htmlEscape(s), "|", "\\|")
}

// codeFence returns a backtick fence longer than any run of backticks in s.
func codeFence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

func ensureNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
