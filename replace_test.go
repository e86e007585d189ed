package runbook

import (
	"strings"
	"testing"
)

func testParams() []Param {
	return []Param{
		{Name: "user", Example: "isabell", Value: "alice", Kind: ParamUser},
		{Name: "host", Example: "stardust", Value: "stardust", Kind: ParamHost},
		{Name: "domain", Example: "example.org", Value: "alice.dev", Kind: ParamDomain},
		{Name: "domain:matrix", Example: "matrix.example.org", Value: "chat.alice.dev", Kind: ParamDomain, Derived: "domain"},
		{Name: "userdomain", Example: "isabell.uber.space", Value: "alice.uber.space", Kind: ParamDomain, Derived: "user"},
		{Name: "psql-password", Example: "MySuperSecretPSQLPassword", Value: "hunter2-xyz", Kind: ParamSecret, Secret: true},
		{Name: "secret", Example: "MySuperSecret", Value: "s3", Kind: ParamSecret, Secret: true},
		{Name: "port", Example: "<port>", Value: "8008", Kind: ParamPlaceholder},
		{Name: "unset", Example: "<token>", Value: "", Kind: ParamSecret, Secret: true},
	}
}

func TestForward(t *testing.T) {
	r := NewReplacer(testParams())
	cases := map[string]string{
		"[isabell@stardust ~]$ ls /home/isabell":             "[alice@stardust ~]$ ls /home/alice",
		"isabella isabell_x xisabell isabell.":               "isabella isabell_x xisabell alice.",
		"https://matrix.example.org and example.org":         "https://chat.alice.dev and alice.dev",
		"sub.example.org isabell.uber.space":                 "sub.alice.dev alice.uber.space",
		"password='MySuperSecretPSQLPassword' MySuperSecret": "password='hunter2-xyz' s3",
		"--port <port>; <token>":                             "--port 8008; <token>",
		"MySuperSecretX":                                     "MySuperSecretX",
		"":                                                   "",
	}
	for in, want := range cases {
		if got := r.Forward(in); got != want {
			t.Errorf("Forward(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReverse(t *testing.T) {
	r := NewReplacer(testParams())
	cases := map[string]string{
		"[alice@stardust ~]$ ls /home/alice": "[isabell@stardust ~]$ ls /home/isabell",
		"https://chat.alice.dev alice.dev":   "https://matrix.example.org example.org",
		"malice alice_1 alice.uber.space":    "malice alice_1 isabell.uber.space",
		"pw hunter2-xyz and s3":              "pw MySuperSecretPSQLPassword and MySuperSecret",
		"listening on 8008":                  "listening on <port>",
	}
	for in, want := range cases {
		if got := r.Reverse(in); got != want {
			t.Errorf("Reverse(%q) = %q, want %q", in, got, want)
		}
	}
	short := NewReplacer([]Param{{Name: "user", Example: "isabell", Value: "al"}, {Name: "x", Example: "<x>", Value: "root"}})
	if got := short.Reverse("al root"); got != "al root" {
		t.Errorf("short/common values reversed: %q", got)
	}
}

// TestRedactNeverLeaks: after Redact no secret value is left, even inside words.
func TestRedactNeverLeaks(t *testing.T) {
	ps := testParams()
	r := NewReplacer(ps)
	in := "login hunter2-xyz; xhunter2-xyzx; s3cret has s3; alice stays"
	out := r.Redact(in)
	for _, p := range ps {
		if p.Secret && p.Value != "" && strings.Contains(out, p.Value) {
			t.Errorf("Redact left secret %s in %q", p.Name, out)
		}
	}
	if !strings.Contains(out, Mask) || !strings.Contains(out, "alice stays") {
		t.Errorf("Redact(%q) = %q", in, out)
	}
	if got := r.Redact(r.Forward("pw=MySuperSecretPSQLPassword")); got != "pw="+Mask {
		t.Errorf("Redact(Forward) = %q", got)
	}
}

func BenchmarkReplacer(b *testing.B) {
	r := NewReplacer(testParams())
	line := "[alice@stardust ~]$ curl https://chat.alice.dev/_matrix/client/versions -> 200 OK in 12ms from /home/alice/synapse\n"
	s := strings.Repeat(line, 1000)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		r.Reverse(s)
		r.Forward(s)
		r.Redact(s)
	}
}

// TestRedactEscapedForms: a secret written escaped (yaml, json, ini, bash
// quoting) is masked in that form too, since Apply writes it so and a
// dry-run diff or an echoed command shows it so.
func TestRedactEscapedForms(t *testing.T) {
	secret := `ab"c` + "\t" + `d'e$f%g\h`
	r := NewReplacer([]Param{{Name: "pw", Example: "<pw>", Value: secret, Kind: ParamSecret, Secret: true}})
	for _, shown := range []string{
		`password: "ab\"c\td'e$f%g\\h"`,               // yaml double-quoted
		`password: 'ab"c` + "\t" + `d''e$f%g\h'`,      // yaml single-quoted
		`{"password": "ab\"c\td'e$f%g\\h"}`,           // json
		`environment=PW='ab"c` + "\t" + `d'e$f%%g\h'`, // supervisord
		`echo 'ab"c` + "\t" + `d'\''e$f%g\h'`,         // bash '…'
		`echo "ab\"c` + "\t" + `d'e\$f%g\\h"`,         // bash "…"
		`eval $'echo ab"c\x09d\'e$f%g\\h'`,            // the executor's typed form
	} {
		got := r.Redact(shown)
		if !strings.Contains(got, Mask) || strings.Contains(got, "e$f") || strings.Contains(got, "ab\"c") {
			t.Errorf("Redact(%s) = %s", shown, got)
		}
	}
}

// TestForwardMatches: the matches are Forward's, in order, with offsets.
func TestForwardMatches(t *testing.T) {
	r := NewReplacer(testParams())
	s := "isabell@matrix.example.org:<port> isabellx"
	ms := r.ForwardMatches(s)
	want := []Match{{0, 7, "isabell", "alice"}, {8, 26, "matrix.example.org", "chat.alice.dev"}, {27, 33, "<port>", "8008"}}
	if len(ms) != len(want) {
		t.Fatalf("ForwardMatches = %+v, want %+v", ms, want)
	}
	for i := range want {
		if ms[i] != want[i] || s[ms[i].Start:ms[i].End] != ms[i].Example {
			t.Errorf("match %d = %+v, want %+v", i, ms[i], want[i])
		}
	}
	if r.Forward(s) != "alice@chat.alice.dev:8008 isabellx" {
		t.Errorf("Forward = %q", r.Forward(s))
	}
}
