package executor

import (
	"regexp"
	"strings"
	"unicode"
)

// ansiSeq matches CSI and OSC escape sequences and single-character escapes,
// which programs (readline, colour prompts) mix into what a reader sees.
var ansiSeq = regexp.MustCompile(`\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_=>])`)

// bracketed matches a default shown in brackets or parentheses, "[bob]" or "(y/N)".
var bracketed = regexp.MustCompile(`\[[^\]]*\]|\([^)]*\)`)

// visible returns the text of a terminal line as a reader sees it: escape
// sequences removed and only what follows the last carriage return.
func visible(line []byte) string {
	s := string(line)
	if strings.IndexByte(s, '\x1b') >= 0 {
		s = ansiSeq.ReplaceAllString(s, "")
	}
	s = strings.TrimRight(s, "\r")
	if i := strings.LastIndexByte(s, '\r'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// normPrompt folds case and spacing so a documented prompt and the real one compare loosely.
func normPrompt(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// promptMatches reports whether the line a program stopped at is the prompt
// the guide documents: equal after folding, the documented text followed by
// more (a hint such as "(will not echo)"), or equal once bracketed defaults
// are dropped ("[isabell]" where the real default is another user).
func promptMatches(line []byte, documented string) bool {
	got, want := normPrompt(visible(line)), normPrompt(documented)
	if want == "" || got == "" {
		return false
	}
	if got == want || strings.HasPrefix(got, want) {
		return true
	}
	g := normPrompt(bracketed.ReplaceAllString(got, ""))
	w := normPrompt(bracketed.ReplaceAllString(want, ""))
	return w != "" && g == w
}

// inlineElision splits a documented line at "[...]"-style markers, which
// stand for any text, and at runs of X that authors use for ids
// ("mosq-XXXXXXXX").
var inlineElision = regexp.MustCompile(`\[\.\.\.\]|\[…\]|\.\.\.|…|XXX+`)

// outputLine is a documented output line prepared for matching actual lines
// with digits masked, so "port 8008" still finds "port 8009".
type outputLine struct {
	parts []string
	// ctrlC says the guide shows "^C" after this line: the reader is told
	// to stop the program there, and the terminal shows the ^C.
	ctrlC bool
}

// lastDocumented returns the last documented line that is not an elision,
// or nil when the guide documents no output.
func lastDocumented(expect []string) *outputLine {
	ctrlC := false
	for i := len(expect) - 1; i >= 0; i-- {
		t := strings.TrimSpace(expect[i])
		switch t {
		case "", "[...]", "[…]", "(...)", "...", "…":
			continue
		case "^C":
			ctrlC = true
			continue
		}
		var parts []string
		for _, p := range inlineElision.Split(maskDigits(t), -1) {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) == 0 {
			continue
		}
		return &outputLine{parts: parts, ctrlC: ctrlC}
	}
	return nil
}

// matches reports whether an actual line shows the documented line's text, in order.
func (o *outputLine) matches(line []byte) bool {
	s := maskDigits(visible(line))
	for _, p := range o.parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// maskDigits turns every run of digits into a single "0".
func maskDigits(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	digit := false
	for _, r := range s {
		if unicode.IsDigit(r) {
			if !digit {
				b.WriteByte('0')
			}
			digit = true
			continue
		}
		digit = false
		b.WriteRune(r)
	}
	return b.String()
}
