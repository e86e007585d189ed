package runner

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// roleGuide has an install section, a maintenance section with a
// subsection, an alternative and an install section after them.
func roleGuide() *runbook.Guide {
	g := guide(cmd(1, "Install", "a"), cmd(2, "Updates", "b"), sub(3, "c", "Updates", "Backup"),
		cmd(4, "Option B", "d"), cmd(5, "Daemon", "e"))
	g.Sections = []runbook.Section{
		{Level: 1, Path: []string{"G"}},
		{Level: 2, Path: []string{"G", "Install"}},
		{Level: 2, Path: []string{"G", "Updates"}, Role: runbook.RoleMaintenance, RoleWhy: `title "Updates"`},
		{Level: 3, Path: []string{"G", "Updates", "Backup"}, Role: runbook.RoleMaintenance, RoleWhy: `inside "Updates"`},
		{Level: 2, Path: []string{"G", "Option B"}, Role: runbook.RoleAlternative},
		{Level: 2, Path: []string{"G", "Daemon"}},
	}
	return g
}

func sub(id int, text string, section ...string) *runbook.Command {
	c := cmd(id, "", text)
	c.Section = append([]string{"G"}, section...)
	return c
}

// TestOffPathSectionsSkipped: steps of sections that are not on the install
// path are skipped, not run, with a reason that says how to run them, and
// are marked as not chosen (so they do not count against the run).
func TestOffPathSectionsSkipped(t *testing.T) {
	h := &harness{}
	state := filepath.Join(t.TempDir(), "state.json")
	rep, err := runWith(context.Background(), roleGuide(), nil, Options{StatePath: state}, h.parts())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h.shells[0].ran, ","); got != "a,e" {
		t.Errorf("ran %q, want a,e", got)
	}
	if got := verdicts(rep.Results); got != "ok skipped skipped skipped ok" {
		t.Fatalf("verdicts %q", got)
	}
	want := map[int]string{
		2: "maintenance section: not run by default (--section Updates or --all)",
		3: "maintenance section: not run by default (--section Updates or --all)",
		4: `alternative section: not run by default (--section "Option B" or --all)`,
	}
	for id, reason := range want {
		r := rep.Results[id-1]
		if r.Reason != reason || !r.Unselected {
			t.Errorf("step %d: reason %q unselected=%v, want %q", id, r.Reason, r.Unselected, reason)
		}
	}
	st, err := loadState(state, roleGuide(), func(s string) string { return s })
	if err != nil || st.LastGood != 5 {
		t.Errorf("the skipped sections held back --resume: last good %d (%v)", st.LastGood, err)
	}
}

// TestSectionAndAll: --section runs a section off the path (by a title at
// any level, in any case) with its subsections; --all runs everything.
func TestSectionAndAll(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		ran  string
	}{
		{Options{Sections: []string{"updates"}}, "a,b,c,e"},
		{Options{Sections: []string{"BACKUP"}}, "a,c,e"},
		{Options{Sections: []string{"option  b", "Backup"}}, "a,c,d,e"},
		{Options{AllSections: true}, "a,b,c,d,e"},
	} {
		h := &harness{}
		rep, _ := runWith(context.Background(), roleGuide(), nil, tc.opts, h.parts())
		if got := strings.Join(h.shells[0].ran, ","); got != tc.ran {
			t.Errorf("%+v ran %q, want %q", tc.opts, got, tc.ran)
		}
		for _, r := range rep.Results {
			if r.Verdict == runbook.Skipped && !r.Unselected {
				t.Errorf("%+v: step %d skipped for %q", tc.opts, r.Step.Head().ID, r.Reason)
			}
		}
	}
}

// TestDeclineSkipsOneSection: answering n skips that section only and the
// run goes on; q stops it; nobody is asked about a section that does not run.
func TestDeclineSkipsOneSection(t *testing.T) {
	var asked []string
	answers := map[string]Decision{"Install": SkipSection, "Daemon": RunSection}
	opts := Options{Confirm: func(s []string) Decision {
		asked = append(asked, s[len(s)-1])
		return answers[s[len(s)-1]]
	}}
	h := &harness{}
	rep, _ := runWith(context.Background(), roleGuide(), nil, opts, h.parts())
	if got := strings.Join(asked, ","); got != "Install,Daemon" {
		t.Errorf("asked about %q, want Install,Daemon", got)
	}
	if got := strings.Join(h.shells[0].ran, ","); got != "e" {
		t.Errorf("ran %q, want e", got)
	}
	if r := rep.Results[0]; r.Verdict != runbook.Skipped || r.Reason != DeclinedReason || !r.Unselected {
		t.Errorf("declined step: %s %q unselected=%v", r.Verdict, r.Reason, r.Unselected)
	}
	if r := rep.Results[4]; r.Verdict != runbook.OK {
		t.Errorf("the section after the declined one: %s %q", r.Verdict, r.Reason)
	}

	answers["Install"] = StopRun
	h = &harness{}
	rep, _ = runWith(context.Background(), roleGuide(), nil, opts, h.parts())
	if len(h.shells) != 0 {
		t.Errorf("q still ran %v", h.shells[0].ran)
	}
	if r := rep.Results[4]; r.Verdict != runbook.Skipped || r.Reason != "stopped by user" || r.Unselected {
		t.Errorf("after q: %s %q unselected=%v", r.Verdict, r.Reason, r.Unselected)
	}
}
