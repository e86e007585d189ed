package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// ANSI colours of the text format.
const (
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	red    = "\x1b[31m"
	grey   = "\x1b[90m"
	cyan   = "\x1b[36m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

var verdictColor = map[runbook.Verdict]string{
	runbook.OK: green, runbook.Drift: yellow, runbook.Failed: red,
	runbook.Skipped: grey, runbook.ManualStep: cyan,
}

// painter colours text only when colour is on.
type painter bool

func (p painter) paint(color, s string) string {
	if !p || color == "" {
		return s
	}
	return color + s + reset
}

// writeText prints one line per step, details indented under it, and a
// summary line per guide.
func writeText(w io.Writer, reports []Report, opts Options) error {
	bw := bufio.NewWriter(w)
	p := painter(opts.Color)
	for i, r := range reports {
		if len(reports) > 1 {
			if i > 0 {
				fmt.Fprintln(bw)
			}
			title := r.Guide
			if r.Title != "" {
				title += " (" + r.Title + ")"
			}
			fmt.Fprintln(bw, p.paint(bold, "== "+title))
		}
		for _, s := range r.steps() {
			textStep(bw, p, s, opts.Verbose)
		}
		for _, d := range r.Lint {
			fmt.Fprintf(bw, "%s  %s  %s: %s\n", p.paint(cyan, "lint   "), d.Pos, d.ID, d.Message)
		}
		if r.Error != "" {
			fmt.Fprintf(bw, "%s: %s\n", r.Guide, p.paint(red, r.Error))
		}
		line := fmt.Sprintf("%s: %s", r.Guide, textSummary(p, r.Summary()))
		if r.Change != Unchanged {
			line += " " + p.paint(changeColor[r.Change], "("+r.Change.Label()+")")
		}
		fmt.Fprintln(bw, line)
	}
	if len(reports) > 1 {
		textTotal(bw, p, reports)
	}
	return bw.Flush()
}

var changeColor = map[Change]string{Broken: red, Fixed: green}

// textTotal ends a collection's report: the guides that need attention out of
// all, the total counts, and the guides newly broken or fixed.
func textTotal(w io.Writer, p painter, reports []Report) {
	broken := 0
	for _, r := range reports {
		if r.Broken() {
			broken++
		}
	}
	fmt.Fprintf(w, "\n%s\n", p.paint(bold, fmt.Sprintf("%d guides, %s: %s", len(reports), attention(broken),
		textSummary(p, Total(reports)))))
	for _, c := range []Change{Broken, Fixed} {
		var names []string
		for _, r := range reports {
			if r.Change == c {
				names = append(names, r.Guide)
			}
		}
		if len(names) > 0 {
			fmt.Fprintf(w, "%s: %s\n", p.paint(changeColor[c], c.Label()), strings.Join(names, ", "))
		}
	}
}

// textStep prints one step's line and its details; verbose adds the
// volatile tokens that were masked.
func textStep(w io.Writer, p painter, s step, verbose bool) {
	word := string(s.verdict)
	pad := strings.Repeat(" ", max(0, 7-len(word)))
	line := fmt.Sprintf("%s%s %s  %s", p.paint(verdictColor[s.verdict], word), pad, s.pos, s.description)
	var extra []string
	if s.ran && s.duration > 0 { // a report read back from JSON knows a step ran only by its time
		extra = append(extra, seconds(s.duration))
	}
	if s.simulated {
		extra = append(extra, "simulated")
	}
	if s.volatile > 0 && s.verdict == runbook.OK {
		extra = append(extra, fmt.Sprintf("%d volatile", s.volatile))
	}
	if s.change != Unchanged {
		extra = append(extra, p.paint(changeColor[s.change], s.change.Label()))
	}
	if len(extra) > 0 {
		line += "  (" + strings.Join(extra, ", ") + ")"
	}
	fmt.Fprintln(w, line)
	if s.reason != "" && s.verdict != runbook.OK {
		fmt.Fprintln(w, "        "+strings.ReplaceAll(s.reason, "\n", "\n        "))
	}
	for _, n := range s.notes {
		fmt.Fprintln(w, "        note: "+n)
	}
	if verbose && len(s.masked) > 0 && s.verdict == runbook.OK {
		fmt.Fprintln(w, "        masked: "+maskedText(s))
	}
	if s.diff != "" && (s.verdict == runbook.Drift || s.verdict == runbook.Failed) {
		for _, d := range strings.Split(strings.TrimSuffix(s.diff, "\n"), "\n") {
			fmt.Fprintln(w, "        "+paintDiffLine(p, d))
		}
	}
}

// paintDiffLine colours a unified diff line by its first character.
func paintDiffLine(p painter, d string) string {
	switch {
	case strings.HasPrefix(d, "@@"):
		return p.paint(cyan, d)
	case strings.HasPrefix(d, "-"):
		return p.paint(red, d)
	case strings.HasPrefix(d, "+"):
		return p.paint(green, d)
	case strings.HasSuffix(d, "documented=-, actual=+"):
		return p.paint(bold, d)
	}
	return d
}

// textSummary prints the counts, each coloured like its verdict when not zero.
func textSummary(p painter, s Summary) string {
	part := func(n int, word string, color string) string {
		t := fmt.Sprintf("%d %s", n, word)
		if n == 0 {
			return t
		}
		return p.paint(color, t)
	}
	return strings.Join([]string{
		part(s.OK, "ok", green), part(s.Drift, "drift", yellow), part(s.Failed, "failed", red),
		part(s.Skipped, "skipped", grey), part(s.Manual, "manual", cyan), part(s.Simulated, "simulated", ""),
	}, ", ")
}

// maskedText lists the masked tokens as "duration 6.1ms→5.2ms, pid 26020→4411".
func maskedText(s step) string {
	parts := make([]string, 0, len(s.masked))
	for _, m := range s.masked {
		parts = append(parts, fmt.Sprintf("%s %s→%s", m.Class, m.Documented, m.Actual))
	}
	return strings.Join(parts, ", ")
}
