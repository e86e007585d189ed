package verifier

import (
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// FuzzVerify checks that no output or documentation makes the verifier
// panic, and that output equal to what the guide documents is always ok.
func FuzzVerify(f *testing.F) {
	f.Add("Success!\n[...]\ndone", "Success!\nx\ndone\n", 0)
	f.Add("a [...] b\n…", "\x1b[31ma  b\x1b[0m\r\n", 1)
	f.Add("Password: [hidden]\nsynapse=>", "Password:\nsynapse=> \\q", 0)
	f.Add("\t\x1b]0;t\x07x\r50%\ry", "\xff\xfe\x00\b", 2)
	f.Add("$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02", "v1.2.3 0:03:14 3.0 MB/s", 0)
	f.Fuzz(func(t *testing.T, expect, actual string, exit int) {
		lines := strings.Split(expect, "\n")
		cmd := &runbook.Command{Expect: lines, Answers: []runbook.Answer{
			{Kind: runbook.Hidden, Line: 0}, {Kind: runbook.EndInput, Line: len(lines) - 1},
		}}
		res := Verify(cmd, &runbook.Outcome{Output: actual, Exit: exit}, Options{})
		if res.Verdict == "" {
			t.Fatal("no verdict")
		}
		if res.Verdict == runbook.Drift && res.Diff == "" {
			t.Fatal("drift without a diff")
		}
		// The documented text itself, printed, must match it.
		var plain []string
		for _, l := range lines {
			if !runbook.IsElisionLine(l) && !runbook.HasInlineElision(l) && !hasPrivateRune(l) {
				plain = append(plain, l)
			}
		}
		self := &runbook.Command{Expect: plain}
		if r := Verify(self, &runbook.Outcome{Output: strings.Join(plain, "\n")}, Options{}); r.Verdict != runbook.OK {
			t.Fatalf("documented text does not match itself: %s\n%s", r.Reason, r.Diff)
		}
	})
}

// hasPrivateRune reports the private-use runes the matcher uses itself
// (wildcard and class placeholders), which no real program prints.
func hasPrivateRune(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= '\uE000' && r <= '\uE0FF' }) >= 0
}

// FuzzTokens checks the volatile scanner on any two lines: tokens are in
// order, inside the line and not empty; the mask has one placeholder per
// token; two lines with the same mask pair their tokens without a panic;
// and pinning (with the other line as the guide's text) only takes tokens away.
func FuzzTokens(f *testing.F) {
	f.Add("pid 26020, uptime 0:03:14", "pid 4411, uptime 1 day, 0:00:05")
	f.Add("Mon Dec 11 14:33:36 UTC 2023 (6.1ms)", "Tue Nov 25 09:02:11 UTC 2026 (1m30s)")
	f.Add("Jinja2-2.10.1 v0.99.13 psql (9.6.10) 62d3798..a8e9c56", "urllib3==1.26.6 0.0.0.0:8009")
	f.Add("remote: Total 86 (delta 54) 100% (3685/3685) 138.5/138.5 kB 5.2 MB/s eta 0:00:00", "$2b$12$yK16TMDMnvj97GFBoxF9QeP2N.U8oadindcjB0Uo9TkSI3CsgwV02")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, l := range []string{a, b} {
			toks := tokens(l, nil)
			end := 0
			for _, tk := range toks {
				if tk.start < end || tk.end <= tk.start || tk.end > len(l) || tk.class == noClass || tk.class >= numClasses {
					t.Fatalf("%q: bad token %+v after %d", l, tk, end)
				}
				end = tk.end
			}
			if !hasPrivateRune(l) && placeholders(mask(l, nil)) != len(toks) {
				t.Fatalf("%q: %d placeholders for %d tokens", l, placeholders(mask(l, nil)), len(toks))
			}
			if pinned := len(tokens(l, Pin(a+"\n"+b))); pinned > len(toks) {
				t.Fatalf("%q: pinning added tokens (%d > %d)", l, pinned, len(toks))
			}
		}
		if mask(a, nil) == mask(b, nil) {
			var v volatiles
			v.compare(a, b, nil)
			if a == b && v.count != 0 {
				t.Fatalf("%q differs from itself in %d tokens", a, v.count)
			}
		}
	})
}
