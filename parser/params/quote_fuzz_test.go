package params

import (
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// FuzzForwardQuoted feeds any text and value to the format-aware
// substitution: it never panics, and a text with no example is unchanged.
func FuzzForwardQuoted(f *testing.F) {
	f.Add("a: \"<pw>\"\nb: '<pw>'\nc: <pw>\n", `x"y'z`)
	f.Add("echo '<pw>' \"<pw>\" <pw> $'<pw>' <<EOF\n<pw>\nEOF\n# <pw>", "a\\b`c")
	f.Add("{\"a\": \"<pw>\", \"b\": <pw>}", "1")
	f.Add("[program:x]\ncommand=x \"<pw>\"\nenvironment=A=\"<pw>\",B=<pw>\n", "%'\"")
	f.Fuzz(func(t *testing.T, text, value string) {
		r := runbook.NewReplacer([]runbook.Param{{Name: "pw", Example: "<pw>", Value: value, Secret: true}})
		secret := map[string]bool{value: true}
		outs := []string{forwardShell(r, text)}
		for _, format := range []string{"yaml", "json", "ini", "bash", "text"} {
			out, _ := forwardContent(r, format, "~/etc/services.d/x.ini", text, secret)
			outs = append(outs, out)
		}
		if len(r.ForwardMatches(text)) == 0 {
			for _, out := range outs {
				if out != text {
					t.Errorf("no example in %q, yet it became %q", text, out)
				}
			}
		}
	})
}
