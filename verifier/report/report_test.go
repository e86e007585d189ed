package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	runbook "github.com/runbookdev/runbook"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// secret is the value of a hidden answer; no report may contain it.
const secret = "S3cr3t-Passw0rd"

// redacted is what the runner leaves where a secret was; reports keep it.
const redacted = "[redacted]"

func header(id, line int, section ...string) runbook.Header {
	return runbook.Header{ID: id, Pos: runbook.Pos{File: "guides/synapse.rst", Line: line}, Section: section}
}

// sample is a report with every verdict, a simulated step, a step from an
// include, volatile differences, and a hidden answer whose value leaked
// into places the runner should have redacted.
func sample() Report {
	mkdir := &runbook.Command{Header: header(1, 60, "Synapse", "Installation"), Text: "mkdir -p ~/synapse"}
	pip := &runbook.Command{Header: header(2, 61, "Synapse", "Installation"), Text: "pip3.9 install --user matrix-synapse"}
	curl := &runbook.Command{Header: runbook.Header{ID: 3, Pos: runbook.Pos{File: "guides/includes/web-backend.rst", Line: 4}, Section: []string{"Synapse", "Web backend"}},
		Text: "uberspace web backend set matrix.example.org --http --port 8008"}
	createuser := &runbook.Command{Header: header(4, 233, "Synapse", "Configuration", "Database"), Text: "createuser synapse -P",
		Expect:  []string{"Enter password for new role:", "Enter it again:"},
		Answers: []runbook.Answer{{Kind: runbook.Hidden, Prompt: "Enter password for new role:", Text: secret}, {Kind: runbook.Hidden, Line: 1, Prompt: "Enter it again:", Text: secret}}}
	register := &runbook.Command{Header: header(5, 340, "Synapse", "Administration", "Adding users"),
		Text: "register_new_matrix_user -c homeserver.yaml \\\n  https://matrix.example.org"}
	file := &runbook.File{Header: header(6, 180, "Synapse", "Setup daemon"), Path: "~/etc/services.d/synapse.ini", Mode: runbook.Create}
	merge := &runbook.File{Header: header(7, 150, "Synapse", "Configuration"), Path: "~/synapse/homeserver.yaml", Mode: runbook.Merge}
	manual := &runbook.Manual{Header: header(8, 420, "Synapse", "Sliding-Sync"), Reason: "edit of a json file that the prose does not name", Path: ""}
	later := &runbook.Command{Header: header(9, 460, "Synapse", "Sliding-Sync"), Text: "cd ~/sliding-sync"}
	return Report{Guide: "guides/synapse.rst", Title: "Synapse", Results: []runbook.Result{
		{Step: mkdir, Outcome: &runbook.Outcome{Duration: 12 * time.Millisecond, Dir: "/home/isabell"}, Verdict: runbook.OK,
			Notes: []string{"the prompt shows no directory; the command ran in ~"}},
		{Step: pip, Outcome: &runbook.Outcome{Duration: 2300 * time.Millisecond, Simulated: true}, Verdict: runbook.OK, Volatile: 7,
			VolatileClasses: []runbook.VolatileClass{runbook.Size, runbook.Speed, runbook.Version},
			Masked: []runbook.Masked{{Class: runbook.Version, Documented: "2.9.5", Actual: "2.9.9"},
				{Class: runbook.Size, Documented: "3.0 MB", Actual: "3.1 MB"}, {Class: runbook.Speed, Documented: "30.0 MB/s", Actual: "12.4 MB/s"}}},
		{Step: curl, Outcome: &runbook.Outcome{Duration: 80 * time.Millisecond}, Verdict: runbook.Drift, Reason: "the output differs from the guide",
			Diff: "guides/includes/web-backend.rst:4: documented=-, actual=+\n@@ -5,1 +1,1 @@\n-Set backend for / to port 8008; please make sure something is listening!\n+Set backend for / to port 8008, 100% done | \"ok\" <b>\n"},
		{Step: createuser, Outcome: &runbook.Outcome{Duration: time.Second, Exit: 1, Notes: []string{"typed " + secret + " twice"}}, Verdict: runbook.Failed,
			Reason: "exit status 1: createuser: error: password " + secret + " rejected by " + redacted},
		{Step: register, Outcome: &runbook.Outcome{Duration: 65 * time.Second}, Verdict: runbook.Drift,
			Reason: "prompt shows synape but the shell is in ~/synapse"},
		{Step: file, Outcome: &runbook.Outcome{Duration: 3 * time.Millisecond}, Verdict: runbook.OK},
		{Step: merge, Outcome: &runbook.Outcome{Err: errors.New("yaml: line 3: mapping values are not allowed")}, Verdict: runbook.Failed,
			Reason: "~/synapse/homeserver.yaml:3: yaml: mapping values are not allowed in this context"},
		{Step: manual, Verdict: runbook.ManualStep, Reason: manual.Reason},
		{Step: later, Verdict: runbook.Skipped, Reason: "not run: step 4 failed"},
	}}
}

func clean() Report {
	ok := &runbook.Command{Header: runbook.Header{ID: 1, Pos: runbook.Pos{File: "fixtures/hello.rst", Line: 7}, Section: []string{"Hello"}}, Text: "echo hello"}
	return Report{Guide: "fixtures/hello.rst", Title: "Hello", Results: []runbook.Result{
		{Step: ok, Outcome: &runbook.Outcome{Duration: 5 * time.Millisecond}, Verdict: runbook.OK},
	}}
}

// TestGolden renders the sample in every format, alone and together with a
// second guide, and compares with testdata/*.golden.
func TestGolden(t *testing.T) {
	cases := []struct {
		name    string
		format  string
		reports []Report
		color   bool
	}{
		{"text", "text", []Report{sample()}, false},
		{"text-color", "text", []Report{sample()}, true},
		{"text-two-guides", "text", []Report{sample(), clean()}, false},
		{"text-verbose", "text", []Report{sample()}, false},
		{"json", "json", []Report{sample()}, false},
		{"json-two-guides", "json", []Report{sample(), clean()}, false},
		{"junit", "junit", []Report{sample(), clean()}, false},
		{"markdown", "markdown", []Report{sample(), clean()}, false},
		{"github", "github", []Report{sample(), clean()}, false},
		{"markdown-one-guide", "markdown", []Report{sample()}, false},
		{"html", "html", []Report{sample(), clean()}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, c.format, c.reports, Options{Color: c.color, Verbose: strings.HasSuffix(c.name, "-verbose")}); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("%s differs from %s:\n%s", c.name, golden, b.String())
			}
		})
	}
}

// TestNoSecrets checks that no format prints a hidden answer's value, even
// where it reached a reason or note, and that a redaction mask survives.
func TestNoSecrets(t *testing.T) {
	for _, format := range Formats {
		var b bytes.Buffer
		if err := Write(&b, format, []Report{sample()}, Options{Color: true}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), secret) {
			t.Errorf("%s report shows the secret:\n%s", format, b.String())
		}
		if format != "github" && !strings.Contains(b.String(), redacted) {
			t.Errorf("%s report lost the redaction mask %q", format, redacted)
		}
	}
}

// TestJSONContract checks the keys DESIGN.md promises, the ones the README
// adds to them, and nothing else; and that one guide and several give the
// same shape.
func TestJSONContract(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "json", []Report{sample()}, Options{}); err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(b.Bytes(), &obj); err != nil {
		t.Fatal(err)
	}
	topKeys := []string{"changes", "guide", "guides", "steps", "summary"}
	if got := keys(obj); !reflect.DeepEqual(got, topKeys) {
		t.Errorf("top-level keys %v", got)
	}
	if obj["guide"] != "guides/synapse.rst" {
		t.Errorf("guide = %v", obj["guide"])
	}
	sum := obj["summary"].(map[string]any)
	if got := keys(sum); !reflect.DeepEqual(got, []string{"drift", "failed", "manual", "ok", "simulated", "skipped"}) {
		t.Errorf("summary keys %v", got)
	}
	want := map[string]float64{"ok": 3, "drift": 2, "failed": 2, "skipped": 1, "manual": 1, "simulated": 1}
	for k, v := range want {
		if sum[k] != v {
			t.Errorf("summary %s = %v, want %v", k, sum[k], v)
		}
	}
	steps := obj["steps"].([]any)
	if len(steps) != 9 {
		t.Fatalf("%d steps", len(steps))
	}
	first := steps[0].(map[string]any)
	stepKeys := []string{"change", "diff", "duration_ms", "exit", "guide", "id", "kind", "notes", "pos", "reason", "section", "simulated", "step", "unselected", "verdict", "volatile"}
	if got := keys(first); !reflect.DeepEqual(got, stepKeys) {
		t.Errorf("step keys %v", got)
	}
	// DESIGN: "Each step in check --report json lists the classes it masked in volatile".
	if v, ok := first["volatile"].([]any); !ok || len(v) != 0 {
		t.Errorf("a step with nothing masked: volatile = %#v, want []", first["volatile"])
	}
	if v := steps[1].(map[string]any)["volatile"]; !reflect.DeepEqual(v, []any{"size", "speed", "version"}) {
		t.Errorf("pip step: volatile = %#v", v)
	}
	if first["pos"] != "guides/synapse.rst:60" || first["kind"] != "command" || first["exit"] != 0.0 || first["guide"] != "guides/synapse.rst" {
		t.Errorf("first step %v", first)
	}
	if s := steps[3].(map[string]any); s["exit"] != 1.0 || s["verdict"] != "failed" || s["duration_ms"] != 1000.0 {
		t.Errorf("failed step %v", s)
	}
	if s := steps[8].(map[string]any); s["exit"] != nil || s["verdict"] != "skipped" {
		t.Errorf("skipped step %v", s)
	}
	guides := obj["guides"].([]any)
	if len(guides) != 1 {
		t.Fatalf("%d guides for one", len(guides))
	}
	g := guides[0].(map[string]any)
	if got := keys(g); !reflect.DeepEqual(got, []string{"change", "error", "guide", "lint", "steps", "summary", "title"}) {
		t.Errorf("guide keys %v", got)
	}
	if !reflect.DeepEqual(g["steps"], obj["steps"]) || !reflect.DeepEqual(g["summary"], obj["summary"]) {
		t.Errorf("the one guide's steps and summary differ from the top level's")
	}

	// Several guides: the same object, guide empty, totals, every step.
	b.Reset()
	if err := Write(&b, "json", []Report{sample(), clean()}, Options{}); err != nil {
		t.Fatal(err)
	}
	var two map[string]any
	if err := json.Unmarshal(b.Bytes(), &two); err != nil {
		t.Fatalf("two guides are not one object: %v", err)
	}
	if got := keys(two); !reflect.DeepEqual(got, topKeys) {
		t.Errorf("two guides: top-level keys %v", got)
	}
	if two["guide"] != "" || len(two["steps"].([]any)) != 10 || two["summary"].(map[string]any)["ok"] != 4.0 {
		t.Errorf("two guides: guide %v, %d steps, summary %v", two["guide"], len(two["steps"].([]any)), two["summary"])
	}
	gs := two["guides"].([]any)
	if len(gs) != 2 || gs[1].(map[string]any)["guide"] != "fixtures/hello.rst" {
		t.Errorf("two guides: %v", gs)
	}
	if last := two["steps"].([]any)[9].(map[string]any); last["guide"] != "fixtures/hello.rst" {
		t.Errorf("last step's guide %v", last["guide"])
	}
}

// TestDecodeRoundTrip reads the JSON report back and renders every format
// from it: the result is what the original reports gave.
func TestDecodeRoundTrip(t *testing.T) {
	reps := []Report{sample(), clean()}
	reps[1].Error = "took longer than --guide-timeout 5m0s"
	reps[0].Lint = []runbook.Diagnostic{{Pos: runbook.Pos{File: "guide.rst", Line: 424}, ID: "bad-url",
		Message: `Malformed URL "https:/x": the scheme is followed by one slash instead of two.`}}
	// The count of volatile tokens is not in the JSON (the masked classes
	// will be, as "volatile"), so the text's "(7 volatile)" cannot come back.
	for i := range reps[0].Results {
		reps[0].Results[i].Volatile = 0
	}
	var js bytes.Buffer
	if err := Write(&js, "json", reps, Options{}); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(bytes.NewReader(js.Bytes()), "r.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range Formats {
		var want, got bytes.Buffer
		if err := Write(&want, format, reps, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := Write(&got, format, back, Options{}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s from the decoded JSON differs:\n%s\nwant:\n%s", format, got.String(), want.String())
		}
	}
}

// TestDecodeErrors checks that what is not a report says so with the file
// and line, and that the earlier shapes are still read.
func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"{\n  \"guide\": \"x.rst\",\n  \"steps\": [}\n", "x.json: not a runbook JSON report: line 3"},
		{`{"guides": [{"title": "no name"}]}`, "x.json: guide 1 of the report has no \"guide\" name"},
		{"", "x.json: not a runbook JSON report"},
	} {
		_, err := Decode(strings.NewReader(c.in), "x.json")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Decode(%q) = %v, want %q...", c.in, err, c.want)
		}
	}
	for _, old := range []string{
		`{"guide": "a.rst", "summary": {}, "steps": [{"id": 1, "pos": "a.rst:3", "kind": "command", "verdict": "drift"}]}`,
		`[{"guide": "a.rst", "summary": {}, "steps": [{"id": 1, "pos": "a.rst:3", "kind": "command", "verdict": "drift"}]}]`,
	} {
		reps, err := Decode(strings.NewReader(old), "old.json")
		if err != nil || len(reps) != 1 || reps[0].Guide != "a.rst" || reps[0].Summary().Drift != 1 {
			t.Errorf("old shape %s: %v %+v", old, err, reps)
		}
	}
}

// TestMarkChanges compares a run with a baseline: the guide that drifted
// since is newly broken, at its step; the one that works again is newly
// fixed; an unchanged broken guide is neither.
func TestMarkChanges(t *testing.T) {
	fixedBefore := sample()
	fixedNow := sample()
	for i := range fixedNow.Results {
		fixedNow.Results[i].Verdict = runbook.OK
	}
	fixedNow.Guide, fixedBefore.Guide = "guides/fixed.rst", "guides/fixed.rst"
	still := sample()
	still.Guide = "guides/still.rst"
	brokenBefore := clean()
	brokenNow := clean()
	brokenNow.Results = []runbook.Result{brokenNow.Results[0]}
	brokenNow.Results[0].Verdict, brokenNow.Results[0].Diff = runbook.Drift, "fixtures/hello.rst:7: documented=-, actual=+\n-hello\n+bye\n"

	marked := MarkChanges([]Report{brokenNow, fixedNow, still}, []Report{brokenBefore, fixedBefore, still})
	if marked[0].Change != Broken || marked[1].Change != Fixed || marked[2].Change != Unchanged {
		t.Fatalf("changes %q %q %q", marked[0].Change, marked[1].Change, marked[2].Change)
	}
	if s := marked[0].steps()[0]; s.change != Broken {
		t.Errorf("the drifted step's change is %q", s.change)
	}
	if s := marked[1].steps(); s[2].change != Fixed || s[0].change != Unchanged || s[8].change != Unchanged {
		t.Errorf("fixed guide's steps: %q %q %q", s[2].change, s[0].change, s[8].change)
	}
	for _, format := range []string{"text", "markdown", "html", "json"} {
		var b bytes.Buffer
		if err := Write(&b, format, marked, Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if format == "json" {
			var doc struct {
				Changes struct{ Broken, Fixed []string }
				Steps   []struct{ Guide, Change string }
			}
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Changes.Broken, []string{"fixtures/hello.rst"}) || !reflect.DeepEqual(doc.Changes.Fixed, []string{"guides/fixed.rst"}) {
				t.Errorf("json changes %+v", doc.Changes)
			}
			if doc.Steps[0].Change != "broken" {
				t.Errorf("json step change %+v", doc.Steps[0])
			}
			continue
		}
		if !strings.Contains(out, "newly broken") || !strings.Contains(out, "newly fixed") {
			t.Errorf("%s does not say newly broken and newly fixed:\n%s", format, out)
		}
	}
	// Decoded reports compare the same way.
	var js bytes.Buffer
	if err := Write(&js, "json", []Report{brokenBefore}, Options{}); err != nil {
		t.Fatal(err)
	}
	base, err := Decode(&js, "base.json")
	if err != nil {
		t.Fatal(err)
	}
	if m := MarkChanges([]Report{brokenNow}, base); m[0].Change != Broken || m[0].steps()[0].change != Broken {
		t.Errorf("against a decoded baseline: %q", m[0].Change)
	}
}

// TestMerge joins two shards in path order and refuses overlapping ones.
func TestMerge(t *testing.T) {
	a, b := sample(), clean()
	got, err := Merge([]Report{a}, []Report{b})
	if err != nil || len(got) != 2 || got[0].Guide != "fixtures/hello.rst" || got[1].Guide != "guides/synapse.rst" {
		t.Fatalf("merge: %v %v", err, got)
	}
	if _, err := Merge([]Report{a}, []Report{b, a}); err == nil || !strings.Contains(err.Error(), "guides/synapse.rst is in more than one shard") {
		t.Errorf("overlap: %v", err)
	}
}

// TestHTMLSelfContained checks that the page loads nothing from elsewhere
// and shows every guide, its counts and each diff's file:line, escaped.
func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "html", []Report{sample(), clean()}, Options{}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"http://", "https://", "src=", "<link", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page refers to something outside it: %q", bad)
		}
	}
	for _, want := range []string{"<code>guides/synapse.rst</code>", "<code>fixtures/hello.rst</code>",
		"guides/includes/web-backend.rst:4: documented=-, actual=&#43;", "100% done | &#34;ok&#34; &lt;b&gt;",
		`data-filter="drift"`, `class="bar"`, "2 guides, 1 needs attention"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<b>\n") {
		t.Errorf("the diff's <b> is not escaped")
	}
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

// TestJUnitParses reads the JUnit output back and checks the counts and
// the elements CI servers look for.
func TestJUnitParses(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "junit", []Report{sample(), clean()}, Options{}); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Suites) != 2 || got.Tests != 10 || got.Failures != 4 || got.Skipped != 2 {
		t.Fatalf("suites %d tests %d failures %d skipped %d", len(got.Suites), got.Tests, got.Failures, got.Skipped)
	}
	s := got.Suites[0]
	if s.Name != "guides/synapse.rst" || s.Tests != 9 || s.Failures != 4 || s.Skipped != 2 {
		t.Errorf("suite %+v", s)
	}
	c := s.Cases[2]
	if c.Name != "Synapse › Web backend (guides/includes/web-backend.rst:4)" || c.File != "guides/includes/web-backend.rst" || c.Line != 4 {
		t.Errorf("include case %+v", c)
	}
	if c.Failure == nil || !strings.Contains(c.Failure.Text, "+Set backend for / to port 8008, 100% done") {
		t.Errorf("drift failure %+v", c.Failure)
	}
	if s.Cases[0].Name != "Synapse › Installation (line 60)" || s.Cases[0].Failure != nil || s.Cases[0].Skipped != nil {
		t.Errorf("ok case %+v", s.Cases[0])
	}
	if m := s.Cases[7].Skipped; m == nil || !strings.HasPrefix(m.Message, "manual: ") {
		t.Errorf("manual case %+v", s.Cases[7])
	}
}

// TestGitHubEscaping checks that each annotation is one line with the
// message's newlines and percent signs encoded.
func TestGitHubEscaping(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "github", []Report{sample()}, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d annotations, want 4 (2 drift, 2 failed):\n%s", len(lines), b.String())
	}
	if !strings.HasPrefix(lines[0], "::warning file=guides/includes/web-backend.rst,line=4,title=runbook%3A step 3 drift::the output differs from the guide%0A") ||
		!strings.Contains(lines[0], "100%25 done") {
		t.Errorf("drift annotation: %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], "::error file=guides/synapse.rst,line=233,") {
		t.Errorf("failed annotation: %s", lines[1])
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", nil, Options{}); err == nil || !strings.Contains(err.Error(), "text, json, junit, markdown, github, html") {
		t.Errorf("err = %v", err)
	}
}

// TestJUnitControlCharacters checks that terminal junk in a diff still
// gives well-formed XML.
func TestJUnitControlCharacters(t *testing.T) {
	r := sample()
	r.Results[2].Diff = "x\x1b[31m\x00\x07y\n"
	r.Results[2].Reason = "bad \x01 byte \xff"
	var b bytes.Buffer
	if err := Write(&b, "junit", []Report{r}, Options{}); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("invalid XML: %v\n%s", err, b.String())
	}
}

// TestVerboseMasked checks the -v line of masked tokens: the pairs as
// documented→actual on an ok step, nothing on other steps or without -v,
// and never a hidden answer's value, even when it reached a pair.
func TestVerboseMasked(t *testing.T) {
	reg := &runbook.Command{Header: header(1, 340), Text: "register_new_matrix_user -c homeserver.yaml",
		Answers: []runbook.Answer{{Kind: runbook.Hidden, Prompt: "Password:", Text: secret}}}
	rep := Report{Guide: "g.rst", Results: []runbook.Result{{Step: reg, Outcome: &runbook.Outcome{}, Verdict: runbook.OK, Volatile: 2,
		VolatileClasses: []runbook.VolatileClass{runbook.Duration, runbook.Hash},
		Masked: []runbook.Masked{{Class: runbook.Duration, Documented: "6.1ms", Actual: "5.2ms"},
			{Class: runbook.Hash, Documented: "$2b$12$abc", Actual: "$2b$12$" + secret}}}}}
	var b bytes.Buffer
	if err := Write(&b, "text", []Report{rep}, Options{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	want := "        masked: duration 6.1ms→5.2ms, hash $2b$12$abc→$2b$12$" + secretMask + "\n"
	if !strings.Contains(b.String(), want) || strings.Contains(b.String(), secret) {
		t.Errorf("verbose text:\n%s\nwant the line %q and no secret", b.String(), want)
	}
	b.Reset()
	if err := Write(&b, "text", []Report{rep}, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "masked:") {
		t.Errorf("without -v:\n%s", b.String())
	}
	b.Reset()
	if err := Write(&b, "json", []Report{rep}, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"volatile": [
        "duration",
        "hash"
      ]`) || strings.Contains(b.String(), secret) {
		t.Errorf("json:\n%s", b.String())
	}
}

// TestLeftOutIsNoWarning: steps skipped because their section is off the
// install path (Result.Unselected) leave a clean guide ✅ in markdown; a
// step skipped after a failure does not.
func TestLeftOutIsNoWarning(t *testing.T) {
	step := &runbook.Command{Header: header(1, 300, "Synapse", "Updates"), Text: "pip install -U x"}
	left := Report{Guide: "g.rst", Results: []runbook.Result{{Step: step, Verdict: runbook.Skipped, Unselected: true,
		Reason: "maintenance section: not run by default (--section Updates or --all)"}}}
	var b bytes.Buffer
	if err := Write(&b, "markdown", []Report{left}, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "## ✅ ") {
		t.Errorf("a guide whose only skips were left out on purpose:\n%s", b.String())
	}
	left.Results[0].Unselected = false
	b.Reset()
	if err := Write(&b, "markdown", []Report{left}, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "## ⚠️ ") {
		t.Errorf("a step skipped after a failure:\n%s", b.String())
	}
}

// TestTextReasonLines: a reason of several lines (the last lines a failed
// command printed) is indented under its step, every line of it.
func TestTextReasonLines(t *testing.T) {
	step := &runbook.Command{Header: header(1, 10, "G"), Text: "app"}
	rep := Report{Guide: "g.rst", Results: []runbook.Result{{Step: step, Outcome: &runbook.Outcome{Exit: 1}, Verdict: runbook.Failed,
		Reason: "exit status 1; its last lines:\nTraceback (most recent call last):\nValueError: no"}}}
	var b bytes.Buffer
	if err := Write(&b, "text", []Report{rep}, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "        exit status 1; its last lines:\n        Traceback (most recent call last):\n        ValueError: no\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("text report:\n%s\nwant the lines:\n%s", b.String(), want)
	}
}

// TestLintInReport: check reports what lint finds beside the verdicts, in
// text as file:line with the finding's id, and in JSON under "lint".
func TestLintInReport(t *testing.T) {
	r := sample()
	r.Lint = []runbook.Diagnostic{{Pos: runbook.Pos{File: "guide.rst", Line: 498}, ID: "supervisord-key",
		Message: `"Environment" is not a supervisord program key.`}}
	var text, js bytes.Buffer
	if err := Write(&text, "text", []Report{r}, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "lint     guide.rst:498  supervisord-key: \"Environment\" is not") {
		t.Errorf("the text report lacks the finding:\n%s", text.String())
	}
	if err := Write(&js, "json", []Report{r}, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Guides []struct {
			Lint []map[string]string `json:"lint"`
		} `json:"guides"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"pos": "guide.rst:498", "id": "supervisord-key", "severity": "warning",
		"message": `"Environment" is not a supervisord program key.`}
	if len(doc.Guides) != 1 || len(doc.Guides[0].Lint) != 1 || !reflect.DeepEqual(doc.Guides[0].Lint[0], want) {
		t.Errorf("JSON lint %+v, want [%v]", doc.Guides, want)
	}
}
