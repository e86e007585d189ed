// Package report writes check results as text, JSON, JUnit, Markdown, GitHub
// annotations or one HTML page, for one guide or a whole collection, and reads
// its own JSON back (Decode) so that shards of a collection can be merged and
// compared with a baseline.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// Report is the result of checking one guide.
type Report struct {
	Guide   string // the guide's path as the user gave it
	Title   string
	Results []runbook.Result
	// Error says why the guide did not run to its end, or at all (it took
	// longer than its time bound, its sandbox could not be made); empty when it did.
	Error string
	// Change is the guide's change against a baseline (see MarkChanges).
	Change Change
	// Lint is what lint finds in the guide: defects a run does not show as
	// a verdict (a malformed URL, a systemd key in a supervisord file),
	// reported beside the verdicts; they do not change the exit code.
	Lint []runbook.Diagnostic

	changes map[string]Change // per step, by stepKey, against a baseline
	decoded []step            // the steps read back from JSON, when Results is nil
}

// steps returns what the writers show of each result, with its change
// against the baseline.
func (r Report) steps() []step {
	if r.Results == nil {
		return r.decoded
	}
	out := make([]step, len(r.Results))
	seen := map[string]int{}
	for i, res := range r.Results {
		out[i] = view(res)
		out[i].key = stepKey(out[i].pos, seen)
		out[i].change = r.changes[out[i].key]
	}
	return out
}

// stepKey identifies a step across two runs of a guide, for the baseline: its
// file:line, and which inclusion it is when an include is read more than once.
func stepKey(p runbook.Pos, seen map[string]int) string {
	k := p.String()
	n := seen[k]
	seen[k]++
	if n == 0 {
		return k
	}
	return fmt.Sprintf("%s#%d", k, n+1)
}

// Summary counts the verdicts of the guide's steps.
func (r Report) Summary() Summary {
	var s Summary
	for _, st := range r.steps() {
		s.add(st.verdict, st.simulated)
	}
	return s
}

// Broken reports whether the guide needs attention: a step drifted, failed
// or was skipped for a reason that is a problem (not left out on purpose,
// runbook.Result.Unselected), or the guide could not run to its end.
func (r Report) Broken() bool {
	s := r.Summary()
	return r.Error != "" || s.Drift+s.Failed > 0 || r.skippedByFailure()
}

// skippedByFailure reports whether a step was skipped for a reason that is
// a problem: not one left out on purpose (runbook.Result.Unselected).
func (r Report) skippedByFailure() bool {
	for _, s := range r.steps() {
		if s.verdict == runbook.Skipped && !s.unselected {
			return true
		}
	}
	return false
}

// Options tune the writers.
type Options struct {
	Color   bool // ANSI colour in the text format
	Verbose bool // the text format lists each step's masked volatile tokens
}

// Formats lists the report formats Write accepts.
var Formats = []string{"text", "json", "junit", "markdown", "github", "html"}

// Write renders the reports in format (text, json, junit, markdown, github,
// html). The json format writes one object of the same shape for one guide
// and for several (see writeJSON).
func Write(w io.Writer, format string, reports []Report, opts Options) error {
	switch format {
	case "html":
		return writeHTML(w, reports)
	case "text":
		return writeText(w, reports, opts)
	case "json":
		return writeJSON(w, reports)
	case "junit":
		return writeJUnit(w, reports)
	case "markdown":
		return writeMarkdown(w, reports)
	case "github":
		return writeGitHub(w, reports)
	}
	return fmt.Errorf("unknown report format %q (want %s)", format, strings.Join(Formats, ", "))
}

// Summary counts the verdicts of one guide; Simulated counts steps of any
// verdict where a stand-in ran.
type Summary struct {
	OK        int `json:"ok"`
	Drift     int `json:"drift"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
	Manual    int `json:"manual"`
	Simulated int `json:"simulated"`
}

// Summarize counts the verdicts of results.
func Summarize(results []runbook.Result) Summary {
	var s Summary
	for _, r := range results {
		s.add(r.Verdict, simulated(r))
	}
	return s
}

// attention says how many guides need attention, in words.
func attention(n int) string {
	if n == 1 {
		return "1 needs attention"
	}
	return fmt.Sprintf("%d need attention", n)
}

// Total adds up the summaries of several guides.
func Total(reports []Report) Summary {
	var t Summary
	for _, r := range reports {
		s := r.Summary()
		t.OK += s.OK
		t.Drift += s.Drift
		t.Failed += s.Failed
		t.Skipped += s.Skipped
		t.Manual += s.Manual
		t.Simulated += s.Simulated
	}
	return t
}

func (s *Summary) add(v runbook.Verdict, sim bool) {
	switch v {
	case runbook.OK:
		s.OK++
	case runbook.Drift:
		s.Drift++
	case runbook.Failed:
		s.Failed++
	case runbook.Skipped:
		s.Skipped++
	case runbook.ManualStep:
		s.Manual++
	}
	if sim {
		s.Simulated++
	}
}

// String renders the counts as the text report's summary does.
func (s Summary) String() string {
	return fmt.Sprintf("%d ok, %d drift, %d failed, %d skipped, %d manual, %d simulated",
		s.OK, s.Drift, s.Failed, s.Skipped, s.Manual, s.Simulated)
}

// step is what every writer shows of one result, with the values of
// hidden answers masked wherever they might appear.
type step struct {
	id          int
	pos         runbook.Pos
	kind        runbook.Kind
	verdict     runbook.Verdict
	section     []string
	description string
	reason      string
	diff        string
	notes       []string
	simulated   bool
	ran         bool
	exit        int
	duration    time.Duration
	volatile    int
	unselected  bool   // skipped on purpose: its section is off the install path
	change      Change // against the baseline
	key         string // see stepKey
	classes     []runbook.VolatileClass
	masked      []runbook.Masked
}

// secretMask replaces a secret that reached a report by mistake.
const secretMask = runbook.Mask

// view prepares one result for printing.
func view(r runbook.Result) step {
	s := step{verdict: r.Verdict, volatile: r.Volatile, classes: r.VolatileClasses, simulated: simulated(r), unselected: r.Unselected}
	var secrets []string
	if r.Step != nil {
		h := r.Step.Head()
		s.id, s.pos, s.kind, s.section = h.ID, h.Pos, r.Step.Kind(), h.Section
		s.description = describe(r.Step)
		if c, ok := r.Step.(*runbook.Command); ok {
			for _, a := range c.Answers {
				if a.Secret() && a.Text != "" {
					secrets = append(secrets, a.Text)
				}
			}
		}
	}
	if o := r.Outcome; o != nil {
		s.ran, s.exit, s.duration, s.notes = true, o.Exit, o.Duration, o.Notes
	}
	hide := func(t string) string {
		for _, sec := range secrets {
			t = strings.ReplaceAll(t, sec, secretMask)
		}
		return t
	}
	s.description, s.reason, s.diff = hide(s.description), hide(r.Reason), hide(r.Diff)
	s.notes = append(append([]string(nil), s.notes...), r.Notes...)
	for i := range s.notes {
		s.notes[i] = hide(s.notes[i])
	}
	for _, m := range r.Masked {
		m.Documented, m.Actual = hide(m.Documented), hide(m.Actual)
		s.masked = append(s.masked, m)
	}
	return s
}

func simulated(r runbook.Result) bool { return r.Outcome != nil && r.Outcome.Simulated }

// describe names a step in a few words: a command's first line, a file's
// path, or what a manual step is about.
func describe(st runbook.Step) string {
	switch s := st.(type) {
	case *runbook.Command:
		first, _, more := strings.Cut(s.Text, "\n")
		first = strings.TrimSpace(first)
		if more {
			first += " ..."
		}
		return shorten(first, 72)
	case *runbook.File:
		return fmt.Sprintf("%s %s", s.Mode, s.Path)
	case *runbook.Manual:
		if s.Path != "" {
			return "by hand: " + s.Path
		}
		return "by hand"
	}
	return string(st.Kind())
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}

// seconds renders a duration for people: 12ms, 2.3s, 1m05s.
func seconds(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}
