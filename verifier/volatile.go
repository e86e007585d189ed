package verifier

import (
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Volatile tokens are what is expected to change from one run to the next;
// a step whose output differs from the guide only in them is ok, and the
// report says which were masked. Each token belongs to one named class,
// decided by context (the unit after a number, the word before it, the
// token's shape), never by "it is a number":
//
//	class      matches                                          e.g.
//	timestamp  dates, times, calendar words and zones near them  2023/12/10 14:33:36, Mon Dec 11 14:33:36 UTC 2023
//	duration   a number with a time unit, composite or not       6.1ms, (11.42ms), 2.3 s, 1m30s, 3 days
//	size       a number with a size unit                         3.0 MB, 41.61 KiB, 138 kB, 4.0K
//	speed      a size (or "it") per second                       30.0 MB/s, 513.00 KiB/s, 3.1it/s
//	pid        a number after "pid", "PID:", "process", in a     pid 26020, postgres[26020]:, [1] 26020
//	           syslog tag or in a shell job line
//	uptime     a duration or clock time after "up"/"uptime"      uptime 0:03:14, up 3 days, 2:14
//	hash       bcrypt/crypt hashes, 32+ hex digits, long mixed   $2b$12$yK16…, sha256 digests, base64 secrets
//	           letters and digits
//	id         7-31 hex digits with a digit and a letter, uuids, 62d3798..a8e9c56, 0x7f3a2b10, a uuid,
//	           0x literals, mktemp names                        /tmp/tmp.c8iW067tlp
//	progress   percentages, done/total pairs, eta, the counters  100% (3685/3685), 138.5/138.5 kB, eta 0:00:00,
//	           of git's progress lines                          remote: Total 86 (delta 54)
//	version    three or more dotted numbers, v1.2, name-1.2,     Jinja2-2.10.1, v0.99.13, psql (9.6.10),
//	           ==1.2, "version: '1.2'", and the numbers of a     Sync v3 [0.99.13], "- 13" after
//	           command that asks for versions                   `uberspace tools version list postgresql`
//
// Everything else is compared literally. A bare number that the command
// computed (a count, a sum, a port, an exit code) is not volatile: 41 for 42
// is drift. Neither is an IP address, a number inside a word (x86_64,
// Jinja2, cp39) or a version, size, duration or speed that the command
// itself or one of the guide's files spells out (Pinned): a version pinned
// with ==1.26.6 must be 1.26.6.

// class is a volatile class; noClass marks literal text.
type class uint8

const (
	noClass class = iota
	timestampClass
	durationClass
	sizeClass
	speedClass
	pidClass
	uptimeClass
	hashClass
	idClass
	progressClass
	versionClass
	numClasses
)

// classNames maps each class to the name reports use.
var classNames = [numClasses]runbook.VolatileClass{
	timestampClass: runbook.Timestamp, durationClass: runbook.Duration, sizeClass: runbook.Size,
	speedClass: runbook.Speed, pidClass: runbook.PID, uptimeClass: runbook.Uptime, hashClass: runbook.Hash,
	idClass: runbook.ID, progressClass: runbook.Progress, versionClass: runbook.Version,
}

// placeholderBase is the first of the private-use runes that stand for a
// volatile token of each class in a masked line: a token only matches a
// token of its own class, and no program prints these runes.
const placeholderBase = '\uE010'

// MaxMasked bounds the documented→actual pairs kept per step
// (Result.Masked); the count and the classes cover every token.
const MaxMasked = 20

// token is one volatile token found in a line: s[start:end] of class c.
type token struct {
	start, end int
	class      class
}

// mask replaces every volatile token of line with its class's placeholder.
// The blanks around a token become one space: columns padded to a token's
// width (du's "4.0K<tab>env", aligned tables) change with the token.
func mask(line string, pinned *Pinned) string {
	sc := newScanner(line, pinned)
	t, ok := sc.next()
	if !ok {
		return columns(line)
	}
	var b strings.Builder
	b.Grow(len(line))
	prev := 0
	for ; ok; t, ok = sc.next() {
		lit := line[prev:t.start]
		if trimmed := strings.TrimRight(lit, " "); len(trimmed) < len(lit) && (prev == 0 || trimmed != "") {
			lit = trimmed + " "
		}
		b.WriteString(columns(lit))
		b.WriteRune(placeholderBase + rune(t.class))
		prev = t.end
		if k := skipBlanks(line, prev); k > prev {
			b.WriteByte(' ')
			prev = k
		}
	}
	b.WriteString(columns(line[prev:]))
	return b.String()
}

// columns makes every run of two or more spaces inside a line two spaces:
// tables pad their columns to the widest cell ("synapse    RUNNING"), so
// the padding changes with content that is not the guide's business, while
// a single space between words still counts.
func columns(s string) string {
	i := strings.Index(s, "   ")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		k := skipBlanks(s, i)
		b.WriteString(s[:i+2])
		s = s[k:]
		i = strings.Index(s, "   ")
	}
	b.WriteString(s)
	return b.String()
}

func skipBlanks(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// volatiles collects the volatile tokens that differ between matched lines.
type volatiles struct {
	count   int
	classes [numClasses]bool
	pairs   []runbook.Masked
}

// add records one differing token pair.
func (v *volatiles) add(c class, documented, actual string) {
	v.count++
	v.classes[c] = true
	p := runbook.Masked{Class: classNames[c], Documented: documented, Actual: actual}
	for _, q := range v.pairs {
		if q == p {
			return
		}
	}
	if len(v.pairs) < MaxMasked {
		v.pairs = append(v.pairs, p)
	}
}

// classList names the classes seen, in the order of the class constants.
func (v *volatiles) classList() []runbook.VolatileClass {
	var out []runbook.VolatileClass
	for c, seen := range v.classes {
		if seen {
			out = append(out, classNames[c])
		}
	}
	return out
}

// compare records the tokens that differ between two lines with the same
// masked form: their literal text is the same, so their tokens pair up in
// order, class for class.
func (v *volatiles) compare(x, y string, pinned *Pinned) {
	sx, sy := newScanner(x, pinned), newScanner(y, pinned)
	for {
		tx, okx := sx.next()
		ty, oky := sy.next()
		if !okx || !oky {
			return
		}
		if dx, dy := x[tx.start:tx.end], y[ty.start:ty.end]; dx != dy {
			v.add(tx.class, dx, dy)
		}
	}
}

// compareGlob records the differing tokens of a line with inline elisions:
// pattern and actual are the masked forms that glob matched, so the
// placeholders of each literal part pair with those where the part matched.
func (v *volatiles) compareGlob(doc, act, pattern, actual string, pinned *Pinned) {
	dt, at := tokens(doc, pinned), tokens(act, pinned)
	di, pos := 0, 0
	for k, part := range strings.Split(pattern, string(wildcard)) {
		at0 := strings.Index(actual[pos:], part)
		if k == 0 {
			at0 = 0
		}
		if at0 < 0 {
			return
		}
		ai := placeholders(actual[:pos+at0])
		n := placeholders(part)
		for i := 0; i < n && di+i < len(dt) && ai+i < len(at); i++ {
			if d, a := doc[dt[di+i].start:dt[di+i].end], act[at[ai+i].start:at[ai+i].end]; d != a {
				v.add(dt[di+i].class, d, a)
			}
		}
		di += n
		pos += at0 + len(part)
	}
}

// tokens lists the volatile tokens of a line.
func tokens(line string, pinned *Pinned) []token {
	var out []token
	sc := newScanner(line, pinned)
	for t, ok := sc.next(); ok; t, ok = sc.next() {
		out = append(out, t)
	}
	return out
}

// placeholders counts the placeholder runes in a masked text.
func placeholders(s string) int {
	n := 0
	for _, r := range s {
		if r >= placeholderBase && r < placeholderBase+rune(numClasses) {
			n++
		}
	}
	return n
}

// Pinned holds the values a guide spells out outside a command's output:
// in the command itself and in its file steps. A token of the output that
// is one of them is compared literally, because the guide fixed its value
// (a version installed with ==1.26.6, a size or a timeout written in a
// config file). Only versions, sizes, durations, speeds and plain numbers
// are pinned: a hash, id or pid that a file repeats was copied there from
// an earlier output (a secret made with openssl rand), so it stays
// volatile. A Pinned may extend another (With), so one built for the
// guide's files is shared by every step.
type Pinned struct {
	set    map[string]bool
	parent *Pinned
	// versions is set for a command that asks for versions (`psql
	// --version`, `uberspace tools version list php`): the numbers standing
	// alone in its output are versions, "12.4" and "- 13" too.
	versions bool
}

// Pin collects the values the guide's files fix: their versions, sizes,
// durations and speeds, and their dotted numbers, also inside words
// ("python3.9" pins 3.9). A plain integer in a file is not pinned: it is
// literal in output anyway, and where context makes one volatile (a pid,
// a version in a list) a match with a file's "startsecs=15" is chance.
func Pin(texts ...string) *Pinned {
	return (*Pinned)(nil).with(texts, false)
}

// With returns a Pinned holding p's values and those a command's text
// fixes, its integers included: `version use postgresql 13` pins 13.
func (p *Pinned) With(texts ...string) *Pinned {
	return p.with(texts, true)
}

func (p *Pinned) with(texts []string, ints bool) *Pinned {
	q := &Pinned{set: map[string]bool{}, parent: p}
	for _, text := range texts {
		for _, line := range strings.Split(text, "\n") {
			q.addLine(line, ints)
		}
	}
	if len(q.set) == 0 {
		return p
	}
	return q
}

// addLine adds the values of one line of a command or file.
func (p *Pinned) addLine(line string, ints bool) {
	for _, t := range tokens(line, nil) {
		if !pinnable[t.class] {
			continue
		}
		w := line[t.start:t.end]
		p.set[w] = true
		if t.class == versionClass {
			p.set[strings.TrimLeft(w, "vV")] = true
		}
	}
	for i := 0; i < len(line); i++ {
		if !isDigit(line[i]) || (i > 0 && isDigit(line[i-1])) {
			continue
		}
		end := runEnd(line, i)
		if ints || strings.IndexByte(line[i:end], '.') >= 0 {
			p.set[line[i:end]] = true
		}
		i = end
	}
}

// pinnable are the classes whose values a guide fixes rather than copies.
var pinnable = [numClasses]bool{versionClass: true, sizeClass: true, durationClass: true, speedClass: true}

// asksVersions reports whether the command asks for versions.
func (p *Pinned) asksVersions() bool { return p != nil && p.versions }

// asksForVersions reports a command line that prints versions: one with a
// word such as --version, -V, version or versions.
func asksForVersions(text string) bool {
	for _, f := range strings.Fields(text) {
		switch f {
		case "--version", "-version", "-V", "version", "versions", "--versions":
			return true
		}
	}
	return false
}

// has reports whether w is pinned.
func (p *Pinned) has(w string) bool {
	for ; p != nil; p = p.parent {
		if p.set[w] {
			return true
		}
	}
	return false
}
