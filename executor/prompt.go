package executor

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/ansi"
)

// bracketed matches a default shown in brackets or parentheses, "[bob]" or "(y/N)".
var bracketed = regexp.MustCompile(`\[[^\]]*\]|\([^)]*\)`)

// visible returns the text of a terminal line as a reader sees it: escape
// sequences (which readline and colour prompts mix in) removed, and only
// what follows the last carriage return.
func visible(line []byte) string {
	s := ansi.Strip(string(line))
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
	parts [][]byte
	// ctrlC says the guide shows "^C" after this line: the reader is told
	// to stop the program there, and the terminal shows the ^C.
	ctrlC bool
	// trailing says an elision follows it: more output may come, so the
	// output is not known to be complete when this line appears.
	trailing bool
	buf      []byte // the masked actual line, reused: matches runs on every output line
}

// lastDocumented returns the last documented line that is not an elision,
// or nil when the guide documents no output.
func lastDocumented(expect []string) *outputLine {
	ctrlC, trailing := false, false
	for i := len(expect) - 1; i >= 0; i-- {
		t := strings.TrimSpace(expect[i])
		if t == "^C" {
			ctrlC = true
			continue
		}
		if t == "" {
			continue
		}
		if runbook.IsElisionLine(t) {
			trailing = true
			continue
		}
		var parts [][]byte
		for _, p := range inlineElision.Split(string(appendMasked(nil, t)), -1) {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, []byte(p))
			}
		}
		if len(parts) == 0 {
			trailing = true // a line of elisions only
			continue
		}
		return &outputLine{parts: parts, ctrlC: ctrlC, trailing: trailing}
	}
	return nil
}

// matches reports whether an actual line shows the documented line's text, in order.
func (o *outputLine) matches(line []byte) bool {
	o.buf = appendMasked(o.buf[:0], visible(line))
	s := o.buf
	for _, p := range o.parts {
		i := bytes.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// appendMasked appends s to dst with every run of digits turned into a
// single "0" and every run of spaces into one space: table columns that a
// program pads to its own widths still match.
func appendMasked(dst []byte, s string) []byte {
	var last rune
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			r = '0'
		case unicode.IsSpace(r):
			r = ' '
		}
		if (r == '0' || r == ' ') && r == last {
			continue
		}
		last = r
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}
