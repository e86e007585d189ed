package verifier

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"crlf", "a\r\nb\r\n", []string{"a", "b"}},
		{"csi colours", "\x1b[1;31merror\x1b[0m: x\x1b[K", []string{"error: x"}},
		{"osc title bel", "\x1b]0;user@host: ~\x07prompt", []string{"prompt"}},
		{"osc hyperlink st", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", []string{"link"}},
		{"unterminated osc stops at newline", "\x1b]0;title\nnext", []string{"", "next"}},
		{"charset and keypad", "\x1b(B\x1b=ok\x1b>", []string{"ok"}},
		{"c1 csi", "\u009b31mred", []string{"red"}},
		{"progress bar", "10%\r50%\r100% done", []string{"100% done"}},
		{"cleared with spaces", "working\r       \r", []string{"working"}},
		{"tabs", "a\tb\tc", []string{"a       b       c"}},
		{"tab after wide text", "abcdefgh\tx", []string{"abcdefgh        x"}},
		{"ellipsis", "Loading…", []string{"Loading..."}},
		{"trailing spaces", "x   \ny \t", []string{"x", "y"}},
		{"backspace", "ab\bc", []string{"ac"}},
		{"invalid utf-8", "a\xff\xfeb", []string{"a\uFFFDb"}},
		{"nul and bell", "a\x00b\x07", []string{"ab"}},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Normalize(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestMaskTokens(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"pid 26020, uptime 0:03:14", []string{"26020", "0:03:14"}},
		{"3.0 MB 30.0 MB/s", []string{"3.0 MB", "30.0 MB/s"}},
		{"138.5/138.5 kB 5.2 MB/s eta 0:00:00", []string{"138.5/138.5 kB", "5.2 MB/s", "0:00:00"}},
		{"2023/12/10 14:33:36 OK (6.1ms)", []string{"2023/12/10", "14:33:36", "6.1ms"}},
		{"Updating 62d3798..a8e9c56", []string{"62d3798", "a8e9c56"}},
		{"tag v0.99.13 -> v0.99.13", []string{"v0.99.13", "v0.99.13"}},
		{"Jinja2-2.10.1 urllib3-1.26.6", []string{"2-2.10.1", "3-1.26.6"}},
		{"$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02 x", []string{"$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02"}},
		{"id 550e8400-e29b-41d4-a716-446655440000.", []string{"550e8400-e29b-41d4-a716-446655440000"}},
		{"listening on 0.0.0.0:8009", []string{"0.0.0.0:8009"}},
		{"100% (86/86), done", []string{"100%", "86/86"}},
		{"3 files changed", []string{"3"}},
		{"Success! defaced facade", nil},
		{"Mon Dec 11 14:33:36 UTC 2023", []string{"Mon", "Dec", "11", "14:33:36", "2023"}},
		{"built 11 Dec 2023, in May we", []string{"11", "Dec", "2023"}},
	}
	for _, c := range cases {
		var got []string
		masked := mask(c.in, &got)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("mask(%q) tokens %q, want %q (masked %q)", c.in, got, c.want, masked)
		}
		if strings.Count(masked, string(placeholder)) != len(c.want) {
			t.Errorf("mask(%q) = %q: placeholders do not match tokens", c.in, masked)
		}
	}
}

func TestDirMatches(t *testing.T) {
	home := "/home/isabell"
	cases := []struct {
		doc, pwd string
		want     bool
	}{
		{"~", "/home/isabell", true},
		{"~", "/home/isabell/synapse", false},
		{"synapse", "/home/isabell/synapse", true},
		{"synape", "/home/isabell/synapse", false},
		{"~/synapse", "/home/isabell/synapse", true},
		{"~/synapse", "/tmp/synapse", false},
		{"/var/www/virtual/isabell/html", "/var/www/virtual/isabell/html", true},
		{"isabell/html", "/var/www/virtual/isabell/html", true},
		{"html", "/var/www/virtual/isabell/html/", true},
		{"html", "/var/www/virtual/isabell", false},
	}
	for _, c := range cases {
		if got := DirMatches(c.doc, c.pwd, home); got != c.want {
			t.Errorf("DirMatches(%q, %q) = %v, want %v", c.doc, c.pwd, got, c.want)
		}
	}
}
