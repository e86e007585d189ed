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
// and their diffs folded in <details>. Several guides start with a table of
// all of them and a list of the broken ones; then only guides that need
// attention get a section.
func writeMarkdown(w io.Writer, reports []Report) error {
	bw := bufio.NewWriter(w)
	if len(reports) > 1 {
		markdownCollection(bw, reports)
	}
	first := len(reports) == 1
	for _, r := range reports {
		if len(reports) > 1 && !r.Broken() && r.Change == Unchanged {
			continue
		}
		if !first {
			fmt.Fprintln(bw)
		}
		first = false
		markdownGuide(bw, r)
	}
	return bw.Flush()
}

// guideIcon is a guide's state at a glance.
func guideIcon(r Report) string {
	sum := r.Summary()
	switch {
	case sum.Failed > 0 || r.Error != "":
		return "❌"
	case sum.Drift > 0 || r.skippedByFailure():
		return "⚠️"
	}
	return "✅"
}

// markdownCollection writes the totals, the newly broken and fixed guides, a
// BROKEN_GUIDES-style list and a table with a row per guide.
func markdownCollection(w io.Writer, reports []Report) {
	broken := 0
	for _, r := range reports {
		if r.Broken() {
			broken++
		}
	}
	fmt.Fprintf(w, "# runbook check: %d guides, %s\n\n%s\n", len(reports), attention(broken), markdownSummary(Total(reports)))
	for _, c := range []Change{Broken, Fixed} {
		var names []string
		for _, r := range reports {
			if r.Change == c {
				names = append(names, "`"+r.Guide+"`")
			}
		}
		if len(names) > 0 {
			fmt.Fprintf(w, "\n**%s:** %s\n", c.Label(), strings.Join(names, ", "))
		}
	}
	if broken > 0 {
		fmt.Fprint(w, "\n### Broken guides\n\n")
		for _, r := range reports {
			if r.Broken() {
				fmt.Fprintf(w, "- %s `%s`: %s\n", guideIcon(r), r.Guide, brokenWhy(r))
			}
		}
	}
	fmt.Fprint(w, "\n| | guide | ok | drift | failed | skipped | manual | simulated | |\n|---|---|--:|--:|--:|--:|--:|--:|---|\n")
	for _, r := range reports {
		s := r.Summary()
		fmt.Fprintf(w, "| %s | `%s` | %d | %d | %d | %d | %d | %d | %s |\n", guideIcon(r), r.Guide,
			s.OK, s.Drift, s.Failed, s.Skipped, s.Manual, s.Simulated, cell(strings.TrimSpace(r.Change.Label()+" "+r.Error), false))
	}
}

// brokenWhy says in a line why a guide is broken: its error, else its first
// drifted or failed step, else its first skipped one.
func brokenWhy(r Report) string {
	if r.Error != "" {
		return cell(r.Error, false)
	}
	if s, ok := firstProblem(r); ok {
		if s.verdict == runbook.Skipped || s.verdict == runbook.ManualStep {
			return fmt.Sprintf("%s from `%s`: %s", s.verdict, s.pos, cell(s.reason, false))
		}
		return fmt.Sprintf("%s at `%s`: %s", s.verdict, s.pos, cell(s.reason, false))
	}
	return markdownSummary(r.Summary())
}

// firstProblem is the guide's first drifted or failed step, else its first
// step skipped for a reason that is a problem, or the manual step its reason
// names ("not run: step 4 ..."), which is why (a step that could not run here).
func firstProblem(r Report) (step, bool) {
	steps := r.steps()
	for _, s := range steps {
		if bad(s.verdict) {
			return s, true
		}
	}
	for _, s := range steps {
		if s.verdict != runbook.Skipped || s.unselected {
			continue
		}
		var id int
		if _, err := fmt.Sscanf(s.reason, "not run: step %d", &id); err == nil {
			for _, cause := range steps {
				if cause.id == id && cause.verdict == runbook.ManualStep {
					return cause, true
				}
			}
		}
		return s, true
	}
	return step{}, false
}

// markdownGuide writes one guide's section.
func markdownGuide(w io.Writer, r Report) {
	title := "`" + r.Guide + "`"
	if r.Title != "" {
		title = r.Title + " (" + title + ")"
	}
	if r.Change != Unchanged {
		title += " · **" + r.Change.Label() + "**"
	}
	fmt.Fprintf(w, "## %s %s\n\n%s\n", guideIcon(r), title, markdownSummary(r.Summary()))
	if r.Error != "" {
		fmt.Fprintf(w, "\n%s\n", htmlEscape(r.Error))
	}
	var bad []step
	var fixed []string
	for _, s := range r.steps() {
		if s.verdict != runbook.OK {
			bad = append(bad, s)
		} else if s.change == Fixed {
			fixed = append(fixed, "`"+s.pos.String()+"`")
		}
	}
	if len(fixed) > 0 {
		fmt.Fprintf(w, "\n**%s:** %s\n", Fixed.Label(), strings.Join(fixed, ", "))
	}
	if len(bad) == 0 {
		return
	}
	fmt.Fprint(w, "\n| verdict | where | step | reason |\n|---|---|---|---|\n")
	for _, s := range bad {
		reason := cell(s.reason, false)
		if s.change != Unchanged {
			reason = strings.TrimSpace("**" + s.change.Label() + "** " + reason)
		}
		fmt.Fprintf(w, "| %s %s | `%s` | %s | %s |\n", verdictIcon[s.verdict], s.verdict, s.pos,
			cell(s.description, true), reason)
	}
	for _, s := range bad {
		if s.diff == "" {
			continue
		}
		fence := codeFence(s.diff)
		fmt.Fprintf(w, "\n<details><summary>%s %s</summary>\n\n%sdiff\n%s%s\n\n</details>\n",
			s.verdict, htmlEscape(s.pos.String()), fence, ensureNewline(s.diff), fence)
	}
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
