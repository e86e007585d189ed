package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// TestFixtureFlow runs fixtures/flow.rst: the token step 2 prints goes into
// the file step 3 writes, and the hash step 5 prints (of a password typed
// without echo, salted, so another every run) into the INSERT of step 6;
// both are captured from the real output, not the guide's examples. The
// hash is a secret: it shows in no result, event, recording, live output
// or state file, and the notes say what was captured and used.
func TestFixtureFlow(t *testing.T) {
	const password = "Hunter2-flow"
	opts, home := sandboxOptions(t)
	var rec, live strings.Builder
	var events []string
	opts.Record, opts.Output = &rec, &live
	opts.StatePath = filepath.Join(t.TempDir(), "state.json")
	opts.Progress = func(e Event) { events = append(events, fmt.Sprintf("%s %+v", jsonOf(e.Step), e.Result)) }
	rep := runFixture(t, "flow.rst", map[string]string{"password:hash-password": password}, opts)
	expectVerdicts(t, rep, nil)

	ini, err := os.ReadFile(filepath.Join(home, "runbook-fixtures/flow/app.ini"))
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(strings.TrimPrefix(strings.Split(string(ini), "\n")[1], "token ="))
	if token == "3f9a0c5d2e7b41a8c6f0d9e2b5a7c3e1f4d8b2a6" || len(token) != 40 || !strings.Contains(live.String(), "New token: "+token) {
		t.Errorf("app.ini holds token %q, not the one step 2 printed", token)
	}
	stored := storedHash(t, filepath.Join(home, "runbook-fixtures/flow/users.db"))
	parts := strings.Split(stored, "$") // "", "sha256", salt, hex
	if len(parts) != 4 || parts[2] == "0f1e2d3c4b5a6978" {
		t.Fatalf("users.db holds %q, not the hash step 5 printed", stored)
	}
	if sum := sha256.Sum256([]byte(parts[2] + password)); parts[3] != hex.EncodeToString(sum[:]) {
		t.Errorf("users.db holds %q, which is not a hash of the password", stored)
	}

	notes := func(line string) string {
		return strings.Join(resultAt(t, rep, "flow.rst:"+line).Outcome.Notes, "; ")
	}
	for line, want := range map[string]string{
		"16": "captured " + token + " where the guide shows 3f9a0c5d2e7b41a8…, for step 3",
		"24": "used " + token + " captured from step 2 where the guide shows 3f9a0c5d2e7b41a8…",
		"42": "captured ******** (a secret) where the guide shows $sha256$0f1e2d3c…, for step 6",
		"52": "used ******** (a secret) captured from step 5 where the guide shows $sha256$0f1e2d3c…",
	} {
		if got := notes(line); !strings.Contains(got, want) {
			t.Errorf("flow.rst:%s notes %q, want %q", line, got, want)
		}
	}
	state, _ := os.ReadFile(opts.StatePath)
	for what, text := range map[string]string{"results": describe(rep) + jsonOf(rep.Results),
		"events": strings.Join(events, "\n"), "recording": rec.String(), "live output": live.String(), "state": string(state)} {
		for _, leak := range []string{parts[2], parts[3], password} {
			if strings.Contains(text, leak) {
				t.Errorf("the hash (%s) leaked into the %s", leak, what)
			}
		}
	}
	if c := resultAt(t, rep, "flow.rst:52").Step.(*runbook.Command); !strings.Contains(c.Answers[2].Text, "$sha256$0f1e2d3c4b5a6978$") {
		t.Errorf("the reported step does not read the guide's example again: %q", c.Answers[2].Text)
	}
}

// TestFlowFromLater: run --from the step that uses a value, so the step
// that prints it does not run: the guide's own value is used, and the note
// says so.
func TestFlowFromLater(t *testing.T) {
	requireTools(t, "bash", "python3")
	opts, _ := sandboxOptions(t)
	opts.From, opts.To = 3, 3
	g, r := loadGuide(t, fixturesDir, "flow.rst", nil)
	rep, err := Run(context.Background(), g, r, opts)
	if err != nil || len(rep.Results) != 1 {
		t.Fatalf("%v: %s", err, describe(rep))
	}
	res := rep.Results[0]
	want := "the guide's own 3f9a0c5d2e7b41a8… is used: step 2, which prints the real value, did not run in this run"
	if res.Outcome == nil || !strings.Contains(strings.Join(res.Outcome.Notes, "; "), want) {
		t.Errorf("notes of step 3: %+v, want %q", res.Outcome, want)
	}
}

// storedHash reads the hash the fixture stored for isabell.
func storedHash(t *testing.T, db string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "sqlite3", db, "SELECT hash FROM users WHERE name = 'isabell'").Output()
	if err != nil {
		t.Fatalf("sqlite3 %s: %v", db, err)
	}
	return strings.TrimSpace(string(out))
}

func TestExtract(t *testing.T) {
	const ex = "cf31f287-ee9e-43a8-843e-e8bbd5de4294"
	for _, tc := range []struct{ doc, actual, want string }{
		{"New user key: " + ex, "New user key: 0d9c7a1e-1111-4a2b-9c3d-5e6f7a8b9c0d", "0d9c7a1e-1111-4a2b-9c3d-5e6f7a8b9c0d"},
		{ex, "  0d9c7a1e-1111-4a2b-9c3d-5e6f7a8b9c0d  ", "0d9c7a1e-1111-4a2b-9c3d-5e6f7a8b9c0d"},
		{"key=" + ex + " (new)", "key=0d9c7a1e-1111-4a2b-9c3d-5e6f7a8b9c0d (new)", "0d9c7a1e-1111-4a2b-9c3d-5e6f7a8b9c0d"},
		// The words around it changed, but there are as many: the same word.
		{"Created key " + ex + " at 12:00", "Made key 0d9c7a1e-1111-4a2b-9c3d-5e6f7a8b9c0d at 13:05", "0d9c7a1e-1111-4a2b-9c3d-5e6f7a8b9c0d"},
		{"New user key: " + ex, "error: no such organisation", ""},
	} {
		got, ok := extract(tc.doc, ex, tc.actual)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("extract(%q, %q) = %q %v, want %q", tc.doc, tc.actual, got, ok, tc.want)
		}
	}
}
