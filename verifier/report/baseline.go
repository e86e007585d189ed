package report

import (
	"fmt"
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Change is what became of a guide or a step since the baseline run.
type Change string

const (
	// Unchanged is a guide or step as it was in the baseline, or any without one.
	Unchanged Change = ""
	// Broken is newly broken: good (or absent) in the baseline, drift or failed now.
	Broken Change = "broken"
	// Fixed is newly fixed: drift or failed in the baseline, good now.
	Fixed Change = "fixed"
)

// Label is the change as the reports print it.
func (c Change) Label() string {
	switch c {
	case Broken:
		return "newly broken"
	case Fixed:
		return "newly fixed"
	}
	return ""
}

// MarkChanges compares each report with the same guide in baseline and marks
// the guides and steps that are newly broken or newly fixed. Steps are
// matched by file:line (and inclusion); a step the baseline lacks that is
// broken now is newly broken, as is a broken guide the baseline lacks. A
// skipped step is neither: it only follows from an earlier one.
func MarkChanges(reports, baseline []Report) []Report {
	old := map[string]Report{}
	for _, b := range baseline {
		old[b.Guide] = b
	}
	out := slices.Clone(reports)
	for i, r := range out {
		b, had := old[r.Guide]
		switch {
		case r.Broken() && (!had || !b.Broken()):
			r.Change = Broken
		case !r.Broken() && had && b.Broken():
			r.Change = Fixed
		default:
			r.Change = Unchanged
		}
		r.changes = stepChanges(r, b)
		if r.Results == nil { // decoded: the changes live in the steps themselves
			r.decoded = slices.Clone(r.decoded)
			for j := range r.decoded {
				r.decoded[j].change = r.changes[r.decoded[j].key]
			}
		}
		out[i] = r
	}
	return out
}

// stepChanges compares the steps of one guide with its baseline, by key.
func stepChanges(r, b Report) map[string]Change {
	before := map[string]runbook.Verdict{}
	for _, s := range b.steps() {
		before[s.key] = s.verdict
	}
	changes := map[string]Change{}
	for _, s := range r.steps() {
		was, had := before[s.key]
		switch {
		case bad(s.verdict) && (!had || good(was)):
			changes[s.key] = Broken
		case good(s.verdict) && had && bad(was):
			changes[s.key] = Fixed
		}
	}
	return changes
}

func bad(v runbook.Verdict) bool  { return v == runbook.Drift || v == runbook.Failed }
func good(v runbook.Verdict) bool { return v == runbook.OK || v == runbook.ManualStep }

// Merge joins the reports of several shards of one collection into one, in
// the order of the guides' paths (a collection run orders them so too). The
// same guide in two shards is an error: the shards overlap.
func Merge(shards ...[]Report) ([]Report, error) {
	var all []Report
	seen := map[string]bool{}
	for _, sh := range shards {
		for _, r := range sh {
			if seen[r.Guide] {
				return nil, fmt.Errorf("%s is in more than one shard; were the shards made with the same --shard N?", r.Guide)
			}
			seen[r.Guide] = true
			all = append(all, r)
		}
	}
	slices.SortStableFunc(all, func(a, b Report) int { return strings.Compare(a.Guide, b.Guide) })
	return all, nil
}
