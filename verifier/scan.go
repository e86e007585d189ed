package verifier

import "strings"

// scanner finds the volatile tokens of one line, left to right. It keeps
// the context that decides a token's class: the last word before it and
// the token before it.
type scanner struct {
	s       string
	i       int
	pinned  *Pinned
	kind    lineKindFlags // what the whole line is, worked out when a bare number asks
	word    string        // the last plain word before i
	wordEnd int
	last    token // the previous volatile token; class noClass when none
}

// lineKindFlags caches what a line is as a whole (see scanner.lineIs).
type lineKindFlags uint8

const (
	lineKnown    lineKindFlags = 1 << iota
	lineProgress               // a line of git's progress report: its counters are progress
	lineJob                    // a shell job line "[1] 26020": its number is a pid
)

func newScanner(line string, pinned *Pinned) scanner {
	return scanner{s: line, pinned: pinned, wordEnd: -1}
}

// lineIs reports whether the line is of kind f, looking at the whole line
// once, and only for the bare numbers that need it.
func (sc *scanner) lineIs(f lineKindFlags) bool {
	if sc.kind&lineKnown == 0 {
		sc.kind = lineKnown
		if isProgressLine(sc.s) {
			sc.kind |= lineProgress
		}
		if isJobLine(sc.s) {
			sc.kind |= lineJob
		}
	}
	return sc.kind&f != 0
}

// next returns the next volatile token. Tokens of one class that follow
// each other with only spaces or commas between them ("Dec 11 14:33:36",
// "1 day, 0:03:14", "1h 2m") are one token.
func (sc *scanner) next() (token, bool) {
	for sc.i < len(sc.s) {
		sc.skipInert()
		if sc.i >= len(sc.s) {
			break
		}
		t, ok := sc.at()
		if !ok {
			continue
		}
		for {
			sc.last = t
			u, ok := sc.adjacent(t)
			if !ok {
				break
			}
			t.end = u.end
		}
		sc.last = t
		return t, true
	}
	return token{}, false
}

// skipInert moves past the bytes where no token can start: inside a word,
// or neither a word's first byte nor the "$" of a crypt hash.
func (sc *scanner) skipInert() {
	s, i := sc.s, sc.i
	for i < len(s) {
		c := s[i]
		if c == '$' || isWordChar(c) && (i == 0 || !isWordChar(s[i-1])) {
			break
		}
		i++
	}
	sc.i = i
}

// adjacent returns the token that directly follows t when it has t's
// class and may join it; the scanner stays put when there is none.
func (sc *scanner) adjacent(t token) (token, bool) {
	if t.class != timestampClass && t.class != uptimeClass && t.class != durationClass {
		return token{}, false
	}
	j := t.end
	for j < len(sc.s) && (sc.s[j] == ' ' || sc.s[j] == ',') {
		j++
	}
	if j == t.end || j >= len(sc.s) {
		return token{}, false
	}
	peek := *sc
	peek.i = j
	u, ok := peek.at()
	if !ok || u.start != j || u.class != t.class {
		return token{}, false
	}
	*sc = peek
	return u, true
}

// at looks at position i: it returns the token that starts there, or moves
// past a word or a character and returns false.
func (sc *scanner) at() (token, bool) {
	s, i := sc.s, sc.i
	c := s[i]
	if c == '$' {
		if e := cryptAt(s, i); e > i {
			return sc.emit(i, e, hashClass)
		}
	}
	if !isWordChar(c) || (i > 0 && isWordChar(s[i-1])) {
		sc.i++
		return token{}, false
	}
	e := alnumEnd(s, i)
	if e < len(s) && s[e] == '_' || c == '_' {
		return sc.skipWord(i) // part of an identifier such as 20230728114555_device or x86_64
	}
	if t, ok := sc.wordToken(i, e); ok {
		return t, true
	}
	if isDigit(c) {
		if t, ok := sc.number(i); ok {
			return t, true
		}
		if sc.i > i {
			return token{}, false
		}
	}
	return sc.skipWord(i)
}

// skipWord moves past the word at i, remembering it as context.
func (sc *scanner) skipWord(i int) (token, bool) {
	e := i
	for e < len(sc.s) && isWordChar(sc.s[e]) {
		e++
	}
	sc.word, sc.wordEnd, sc.i = sc.s[i:e], e, e
	return token{}, false
}

// literal moves past s[i:e], which is compared as it is.
func (sc *scanner) literal(e int) (token, bool) {
	sc.i = e
	return token{}, false
}

// emit returns s[i:e] as a token of class c, unless the guide pinned it.
func (sc *scanner) emit(i, e int, c class) (token, bool) {
	sc.i = e
	w := sc.s[i:e]
	if sc.pinned.has(w) || (c == versionClass && sc.pinned.has(strings.TrimLeft(w, "vV"))) {
		return token{}, false
	}
	return token{start: i, end: e, class: c}, true
}

// wordToken classifies a word that starts at i (its letters and digits end
// at e): ids, hashes, "v1.2" versions, and calendar and zone words in dates.
func (sc *scanner) wordToken(i, e int) (token, bool) {
	s := sc.s
	w := s[i:e]
	switch {
	case e-i == 8 && e < len(s) && s[e] == '-':
		if u := uuidAt(s, i); u > i {
			return sc.emit(i, u, idClass)
		}
	case e-i == 1 && (w == "v" || w == "V") && e < len(s) && isDigit(s[e]):
	case (s[i] == 'v' || s[i] == 'V') && e-i > 1 && isDigit(s[i+1]):
	default:
		return sc.wordClass(i, e)
	}
	if s[i] == 'v' || s[i] == 'V' {
		if end := versionEnd(s, i+1, runEnd(s, i+1)); end > i+1 && !isLetterAt(s, end) {
			return sc.emit(i, end, versionClass)
		}
	}
	return token{}, false
}

// wordClass classifies a whole word of letters and digits s[i:e].
func (sc *scanner) wordClass(i, e int) (token, bool) {
	s, w := sc.s, sc.s[i:e]
	if e+1 < len(s) && (s[e] == '.' || s[e] == '-') && isLetter(s[e+1]) {
		return token{}, false // a name such as "a1b2c3d.tar" or "cafe123-dev"
	}
	switch {
	case e-i == 10 && i >= 4 && s[i-4:i] == "tmp.":
		return sc.emit(i, e, idClass) // the random part of mktemp's /tmp/tmp.c8iW067tlp
	case isHexID(w):
		if len(w) >= 32 {
			return sc.emit(i, e, hashClass)
		}
		return sc.emit(i, e, idClass)
	case isHash(w):
		return sc.emit(i, base64End(s, e), hashClass)
	case isUpper(s[i]) && e-i >= 3 && e-i <= 9 && calendarWords[w] && sc.nearDate(i, e):
		return sc.emit(i, e, timestampClass)
	case sc.last.class == timestampClass && isUpper(s[i]) && zoneWords[w] && gapIs(s, sc.last.end, i, " "):
		return sc.emit(i, e, timestampClass)
	}
	return token{}, false
}

// nearDate reports whether the calendar word s[i:e] is part of a date: a
// number or another calendar word next to it ("Dec 11", "11 Dec", "Mon Dec").
func (sc *scanner) nearDate(i, e int) bool {
	s := sc.s
	j := e
	for j < len(s) && (s[j] == ' ' || s[j] == ',') {
		j++
	}
	if j > e && j < len(s) {
		if isDigit(s[j]) {
			return true
		}
		k := j
		for k < len(s) && isLetter(s[k]) {
			k++
		}
		if calendarWords[s[j:k]] {
			return true
		}
	}
	return i >= 2 && s[i-1] == ' ' && isDigit(s[i-2])
}

// calendarWords are day and month names, volatile in dates such as
// "Mon Dec 11 14:33:36 UTC 2023" or "11 Dec 2023".
var calendarWords = map[string]bool{
	"Mon": true, "Tue": true, "Wed": true, "Thu": true, "Fri": true, "Sat": true, "Sun": true,
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true, "Sunday": true,
	"Jan": true, "Feb": true, "Mar": true, "Apr": true, "May": true, "Jun": true, "Jul": true, "Aug": true,
	"Sep": true, "Oct": true, "Nov": true, "Dec": true, "January": true, "February": true, "March": true,
	"April": true, "June": true, "July": true, "August": true, "September": true, "October": true,
	"November": true, "December": true,
}

// zoneWords are time zones that follow a time in a date.
var zoneWords = map[string]bool{
	"UTC": true, "GMT": true, "CET": true, "CEST": true, "EET": true, "EEST": true, "WET": true, "WEST": true,
	"BST": true, "IST": true, "EST": true, "EDT": true, "CST": true, "CDT": true, "MST": true, "MDT": true,
	"PST": true, "PDT": true, "JST": true, "AEST": true, "AEDT": true,
}

// gapIs reports whether s[from:to] consists only of the bytes in set (and is not empty).
func gapIs(s string, from, to int, set string) bool {
	if from < 0 || from >= to || to > len(s) {
		return false
	}
	for k := from; k < to; k++ {
		if strings.IndexByte(set, s[k]) < 0 {
			return false
		}
	}
	return true
}

// wordBefore returns the plain word right before i, with only the bytes of
// sep between it and i; "" when there is none.
func (sc *scanner) wordBefore(i int, sep string) string {
	if sc.wordEnd < 0 || (sc.wordEnd != i && !gapIs(sc.s, sc.wordEnd, i, sep)) {
		return ""
	}
	if sc.last.class != noClass && sc.last.end > sc.wordEnd {
		return "" // a token came between
	}
	return sc.word
}

// isProgressLine reports one of the lines git prints while it transfers
// objects; their counts change with every pull.
func isProgressLine(line string) bool {
	t := strings.TrimLeft(line, " ")
	t = strings.TrimPrefix(t, "remote: ")
	for _, p := range gitProgress {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return strings.HasPrefix(t, "Total ") && strings.Contains(t, "(delta ")
}

var gitProgress = []string{
	"Enumerating objects:", "Counting objects:", "Compressing objects:", "Receiving objects:",
	"Resolving deltas:", "Unpacking objects:", "Writing objects:", "Delta compression using",
}

// isJobLine reports the line bash prints for a job started with &: "[1] 26020".
func isJobLine(line string) bool {
	t := strings.TrimSpace(line)
	if len(t) < 5 || t[0] != '[' {
		return false
	}
	k := 1
	for k < len(t) && isDigit(t[k]) {
		k++
	}
	if k == 1 || k >= len(t) || t[k] != ']' {
		return false
	}
	rest := strings.TrimLeft(strings.TrimLeft(t[k+1:], "+-"), " ")
	return rest != "" && len(rest) < len(t[k+1:]) && strings.Trim(rest, "0123456789") == ""
}
