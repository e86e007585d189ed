package verifier

import (
	"reflect"
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
