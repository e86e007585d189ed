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
