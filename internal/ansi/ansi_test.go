package ansi

import "testing"

func TestStrip(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"\x1b[?2004hsqlite> ", "sqlite> "},                  // bracketed paste, as readline turns it on
		{"\x1b[1;31merror\x1b[0m: x\x1b[K", "error: x"},      // colours and erase
		{"\x1b]0;user@host: ~\x07$ ", "$ "},                  // window title ended by BEL
		{"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"}, // hyperlink ended by ST
		{"\x1b(B\x1b=ok\x1b>", "ok"},                         // charset and keypad modes
		{"\u009b31mred", "red"},                              // 8-bit CSI
		{"\x1b]0;unterminated\nnext", "\nnext"},              // an open OSC ends at its line
		{"trailing\x1b", "trailing"},
	}
	for _, c := range cases {
		if got := Strip(c.in); got != c.want {
			t.Errorf("Strip(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
