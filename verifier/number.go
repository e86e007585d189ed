package verifier

import "strings"

// run is the shape of a run of digits joined by separators, such as
// 2023/12/10, 14:33:36, 1.26.6, 0.0.0.0:8009 or 3685/3685.
type run struct {
	parts int
	seps  [7]byte // the separators in order (the first 7), e.g. '.', ':', '/'
	lens  [8]int  // digits per part (the first 8)
	first int     // the first part's value, up to 9999
}

// sepsAre reports whether the run's separators are exactly x.
func (r run) sepsAre(x string) bool {
	if len(x) != r.parts-1 || len(x) > len(r.seps) {
		return false
	}
	return string(r.seps[:len(x)]) == x
}

// sep returns separator k, or 0 past the last.
func (r run) sep(k int) byte {
	if k < 0 || k >= r.parts-1 || k >= len(r.seps) {
		return 0
	}
	return r.seps[k]
}

// runEnd returns the end of the run of digits starting at i: digits, and
// any of . : / , - followed by a digit.
func runEnd(s string, i int) int {
	i = digits(s, i)
	for i+1 < len(s) && strings.IndexByte(".:/,-", s[i]) >= 0 && isDigit(s[i+1]) {
		i = digits(s, i+1)
	}
	return i
}

// shape describes the run s[i:e].
func shape(s string, i, e int) run {
	var r run
	start := i
	for k := i; k <= e; k++ {
		if k < e && isDigit(s[k]) {
			continue
		}
		if r.parts < len(r.lens) {
			r.lens[r.parts] = k - start
		}
		if r.parts == 0 {
			r.first = atoiCap(s[start:k])
		}
		r.parts++
		if k < e && r.parts <= len(r.seps) {
			r.seps[r.parts-1] = s[k]
		}
		start = k + 1
	}
	return r
}

func atoiCap(d string) int {
	n := 0
	for i := 0; i < len(d) && n < 10000; i++ {
		n = n*10 + int(d[i]-'0')
	}
	return n
}

// number classifies the number that starts at i; it moves past a number
// that is literal and returns false.
func (sc *scanner) number(i int) (token, bool) {
	s := sc.s
	e := runEnd(s, i)
	r := shape(s, i, e)
	switch {
	case r.isDate():
		return sc.emit(i, timeAfterDate(s, e), timestampClass)
	case r.isIP():
		return sc.literal(e)
	case r.isTime():
		return sc.clock(i, zoneEnd(s, e))
	case r.dotted() >= 3:
		return sc.version(i, e)
	case r.sepsAre("/") || r.sepsAre("./") || r.sepsAre("/.") || r.sepsAre("./."):
		return sc.ratio(i, e)
	case r.parts == 1 || r.sepsAre(".") || r.sepsAre(","):
		return sc.measure(i, e, r)
	}
	return sc.literal(e)
}

// dotted counts the leading parts joined by dots (1.26.6-2 has 3).
func (r run) dotted() int {
	n := 1
	for r.sep(n-1) == '.' {
		n++
	}
	return n
}

// isDate is 2023-12-10, 2023/12/10 or 10.12.2023.
func (r run) isDate() bool {
	if r.parts != 3 || r.seps[0] != r.seps[1] {
		return false
	}
	if r.seps[0] == '-' || r.seps[0] == '/' {
		return r.lens[0] == 4 && r.first >= 1900 && r.lens[1] <= 2 && r.lens[2] <= 2
	}
	return r.seps[0] == '.' && r.lens[0] <= 2 && r.lens[1] <= 2 && r.lens[2] == 4 && r.first >= 1 && r.first <= 31
}

// isIP is an IPv4 address, with or without a port; it is configuration,
// not something that changes between runs.
func (r run) isIP() bool {
	if r.parts < 4 || r.parts > 5 || string(r.seps[:3]) != "..." || (r.parts == 5 && r.seps[3] != ':') {
		return false
	}
	for k := 0; k < 4; k++ {
		if r.lens[k] > 3 {
			return false
		}
	}
	return true
}

// isTime is 14:33, 14:33:36 or 0:03:14, maybe with a fraction of a second.
func (r run) isTime() bool {
	n := r.parts
	if n >= 3 && (r.sep(n-2) == '.' || r.sep(n-2) == ',') && r.sep(n-3) == ':' {
		n-- // 14:33:36.123
	}
	if n < 2 || n > 3 || r.lens[0] > 2 {
		return false
	}
	for k := 1; k < n; k++ {
		if r.sep(k-1) != ':' || r.lens[k] != 2 {
			return false
		}
	}
	return true
}

// timeAfterDate extends a date at e by a time after "T" or a space
// (2023-12-10T14:33:36Z, 2023/12/10 14:33:36).
func timeAfterDate(s string, e int) int {
	if e+1 >= len(s) || (s[e] != 'T' && s[e] != ' ') || !isDigit(s[e+1]) {
		return e
	}
	t := runEnd(s, e+1)
	if !shape(s, e+1, t).isTime() {
		return e
	}
	return zoneEnd(s, t)
}

// zoneEnd extends a time at e by a zone written after it: Z, +01:00, +0100.
func zoneEnd(s string, e int) int {
	if e < len(s) && s[e] == 'Z' && (e+1 == len(s) || !isAlnum(s[e+1])) {
		return e + 1
	}
	if e+4 < len(s) && (s[e] == '+' || s[e] == '-') && isDigit(s[e+1]) && isDigit(s[e+2]) {
		k := e + 3
		if s[k] == ':' {
			k++
		}
		if k+2 <= len(s) && isDigit(s[k]) && isDigit(s[k+1]) && (k+2 == len(s) || !isAlnum(s[k+2])) {
			return k + 2
		}
	}
	return e
}

// clock classifies a clock time by the word before it: an uptime, an eta
// (progress), an elapsed time (duration), else a timestamp.
func (sc *scanner) clock(i, e int) (token, bool) {
	switch w := strings.ToLower(sc.wordBefore(i, " :=")); {
	case w == "uptime" || w == "up" || sc.follows(i, uptimeClass):
		return sc.emit(i, e, uptimeClass)
	case w == "eta":
		return sc.emit(i, e, progressClass)
	case durationWords[w]:
		return sc.emit(i, e, durationClass)
	}
	return sc.emit(i, e, timestampClass)
}

// durationWords come before a clock time that measures how long something took.
var durationWords = map[string]bool{"elapsed": true, "took": true, "duration": true, "real": true, "user": true, "sys": true, "time": true}

// follows reports whether a token of class c ends right before i, with
// only spaces or commas between.
func (sc *scanner) follows(i int, c class) bool {
	return sc.last.class == c && gapIs(sc.s, sc.last.end, i, " ,")
}

// version classifies three or more dotted numbers, with a Debian revision
// or a pre-release suffix attached (2.9.5-1, 1.0.0rc1).
func (sc *scanner) version(i, e int) (token, bool) {
	end := versionEnd(sc.s, i, e)
	if isLetterAt(sc.s, end) {
		return sc.skipWord(i)
	}
	return sc.emit(i, end, versionClass)
}

// versionEnd extends a version's digits s[i:e] by an attached suffix such
// as rc1, b2, a1, dev0 or post1 (with or without a dot before it).
func versionEnd(s string, i, e int) int {
	k := e
	if k+1 < len(s) && s[k] == '.' && isLetter(s[k+1]) {
		k++
	}
	j := k
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	if j == k || j-k > 5 || !versionSuffixes[strings.ToLower(s[k:j])] {
		return e
	}
	return digits(s, j)
}

var versionSuffixes = map[string]bool{"a": true, "b": true, "rc": true, "dev": true, "post": true, "alpha": true, "beta": true, "pre": true}

// ratio classifies done/total: progress when a unit follows (138.5/138.5
// kB), when it follows a percentage ("100% (86/86)") or in git's progress
// lines; otherwise, a fraction the command computed, literal.
func (sc *scanner) ratio(i, e int) (token, bool) {
	if end, kind := unitAt(sc.s, e); kind == sizeUnit {
		return sc.emit(i, end, progressClass)
	}
	if sc.lineIs(lineProgress) || (sc.last.class == progressClass && gapIs(sc.s, sc.last.end, i, " (")) {
		return sc.emit(i, e, progressClass)
	}
	return sc.literal(e)
}

// measure classifies a single number s[i:e], maybe with a decimal part, by
// the unit after it (a duration, size or speed; % is progress) and, when
// there is none, by the words around it.
func (sc *scanner) measure(i, e int, r run) (token, bool) {
	s := sc.s
	if e < len(s) && s[e] == '%' {
		return sc.emit(i, e+1, progressClass)
	}
	switch end, kind := unitAt(s, e); kind {
	case durationUnit:
		if w := strings.ToLower(sc.wordBefore(i, " :")); w == "up" || w == "uptime" || sc.follows(i, uptimeClass) {
			return sc.emit(i, end, uptimeClass)
		}
		return sc.emit(i, end, durationClass)
	case sizeUnit:
		return sc.emit(i, end, sizeClass)
	case speedUnit:
		return sc.emit(i, end, speedClass)
	}
	if isLetterAt(s, e) {
		return sc.skipWord(i) // 2fa, 3rd, 64bit: a word
	}
	if r.sepsAre(".") && sc.versionContext(i) || r.parts <= 2 && sc.pinned.asksVersions() && standalone(s, i, e) {
		return sc.version(i, e)
	}
	if c := sc.bare(i, e, r); c != noClass {
		return sc.emit(i, e, c)
	}
	return sc.literal(e)
}

// versionContext reports whether a number with one dot at i is written as
// a version: after "name-" or "name/", a requirement such as "==" or ">=",
// "@", the word "version", or in parentheses after a name.
func (sc *scanner) versionContext(i int) bool {
	s := sc.s
	if i >= 2 && (s[i-1] == '-' || s[i-1] == '/' || s[i-1] == '@') && isAlnum(s[i-2]) {
		return true
	}
	if i >= 2 && s[i-1] == '=' && strings.IndexByte("=<>~!", s[i-2]) >= 0 {
		return true
	}
	switch strings.ToLower(sc.wordBefore(i, " :'\"")) {
	case "version", "ver":
		return true
	}
	// "psql (15.4)": a program's version in parentheses after its name.
	return i >= 3 && s[i-1] == '(' && s[i-2] == ' ' && sc.wordBefore(i, " (") != ""
}

// bare classifies a number with no unit by context: a pid after "pid" or
// in a syslog tag or a job line, a counter in git's progress, part of a
// date next to a calendar word; noClass (literal) otherwise.
func (sc *scanner) bare(i, e int, r run) class {
	s := sc.s
	if r.parts == 1 {
		switch strings.ToLower(sc.wordBefore(i, " :=#")) {
		case "pid", "ppid", "pgid", "process":
			return pidClass
		}
		if i >= 2 && s[i-1] == '[' && isWordChar(s[i-2]) && e < len(s) && s[e] == ']' && e-i >= 2 {
			return pidClass // postgres[26020]:
		}
		if (i == 0 || s[i-1] != '[') && sc.lineIs(lineJob) {
			return pidClass
		}
	}
	if sc.lineIs(lineProgress) {
		return progressClass
	}
	if r.parts == 1 && sc.inDate(i, e) {
		return timestampClass
	}
	return noClass
}

// inDate reports a day or a year next to a date: "Dec 11", "11 Dec",
// "14:33:36 UTC 2023".
func (sc *scanner) inDate(i, e int) bool {
	s := sc.s
	n := e - i
	if sc.follows(i, timestampClass) {
		prev := s[sc.last.end-1]
		return (n <= 2 && isLetter(prev)) || (n == 4 && (s[i] == '1' || s[i] == '2'))
	}
	if n > 2 || e+1 >= len(s) || s[e] != ' ' {
		return false
	}
	k := e + 1
	for k < len(s) && isLetter(s[k]) {
		k++
	}
	return calendarWords[s[e+1:k]] && !(k < len(s) && isDigit(s[k]))
}

// unitKind is what a unit after a number measures.
type unitKind uint8

const (
	noUnit unitKind = iota
	durationUnit
	sizeUnit
	speedUnit
	rateUnit // "it", a speed only with "/s"
)

// units are the words that make a number a duration, size or speed.
var units = map[string]unitKind{
	"ns": durationUnit, "us": durationUnit, "µs": durationUnit, "ms": durationUnit, "s": durationUnit,
	"sec": durationUnit, "secs": durationUnit, "second": durationUnit, "seconds": durationUnit,
	"m": durationUnit, "min": durationUnit, "mins": durationUnit, "minute": durationUnit, "minutes": durationUnit,
	"h": durationUnit, "hr": durationUnit, "hrs": durationUnit, "hour": durationUnit, "hours": durationUnit,
	"d": durationUnit, "day": durationUnit, "days": durationUnit, "week": durationUnit, "weeks": durationUnit,
	"B": sizeUnit, "kB": sizeUnit, "KB": sizeUnit, "kb": sizeUnit, "KiB": sizeUnit, "kiB": sizeUnit, "k": sizeUnit, "K": sizeUnit,
	"MB": sizeUnit, "mb": sizeUnit, "MiB": sizeUnit, "M": sizeUnit, "GB": sizeUnit, "gb": sizeUnit, "GiB": sizeUnit, "G": sizeUnit,
	"TB": sizeUnit, "TiB": sizeUnit, "T": sizeUnit, "byte": sizeUnit, "bytes": sizeUnit, "Bytes": sizeUnit,
	"kbit": sizeUnit, "Kbit": sizeUnit, "Mbit": sizeUnit, "Gbit": sizeUnit,
	"bps": speedUnit, "kbps": speedUnit, "Kbps": speedUnit, "Mbps": speedUnit, "Gbps": speedUnit,
	"it": rateUnit,
}

// unitAt reads a unit after a number that ends at i, allowing one space
// before it, a "/s" rate after it and, for durations, more parts (1m30s).
// It returns the end of the unit and its kind, or i and noUnit.
func unitAt(s string, i int) (int, unitKind) {
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	}
	k := j
	for k < len(s) && (isLetter(s[k]) || s[k] == 0xc2 || s[k] == 0xb5) {
		k++
	}
	u := s[j:k]
	kind := units[u]
	if kind == noUnit || (j > i && len(u) == 1 && u != "B" && u != "s") {
		return i, noUnit // "3 x" or "5 m" after a space is more likely a word
	}
	if (kind == sizeUnit || kind == rateUnit) && strings.HasPrefix(s[k:], "/s") && !isWordAt(s, k+2) {
		return k + 2, speedUnit
	}
	if kind == durationUnit && k < len(s) && isDigit(s[k]) && j == i {
		if end := compositeEnd(s, k); end > k {
			return end, durationUnit
		}
	}
	if kind == rateUnit || isWordAt(s, k) || (k < len(s) && s[k] == '/') {
		return i, noUnit // "1d/e7" in a URL, "5mph"
	}
	return k, kind
}

// compositeEnd reads the rest of a duration such as 1m30s or 0m0.003s
// from k, the digits after its first unit; k when it is not one.
func compositeEnd(s string, k int) int {
	for k < len(s) && isDigit(s[k]) {
		d := digits(s, k)
		if d+1 < len(s) && s[d] == '.' && isDigit(s[d+1]) {
			d = digits(s, d+1)
		}
		u := d
		for u < len(s) && isLetter(s[u]) {
			u++
		}
		if u == d || units[s[d:u]] != durationUnit {
			return -1
		}
		k = u
	}
	if isWordAt(s, k) {
		return -1
	}
	return k
}

// standalone reports whether the number s[i:e] stands alone: at the start
// of the line or after a blank, a quote, "(" or "- ", and followed by the
// end, a blank, a quote, ")" or ",".
func standalone(s string, i, e int) bool {
	before := i == 0 || strings.IndexByte(" '\"(", s[i-1]) >= 0
	after := e == len(s) || strings.IndexByte(" '\"),", s[e]) >= 0
	return before && after
}
