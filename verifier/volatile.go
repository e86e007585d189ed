package verifier

import "strings"

// placeholder stands for one volatile token in a masked line. It is a
// private-use rune, so it cannot be confused with text a program prints.
const placeholder = '\uE001'

// units may follow a number as part of one volatile token: sizes, speeds
// (with "/s" after them), durations and percentages.
var units = map[string]bool{
	"B": true, "b": true, "kB": true, "KB": true, "kb": true, "KiB": true, "kiB": true,
	"MB": true, "mb": true, "MiB": true, "GB": true, "gb": true, "GiB": true, "TB": true, "TiB": true,
	"k": true, "K": true, "M": true, "G": true, "T": true, "bytes": true,
	"ns": true, "us": true, "µs": true, "ms": true, "s": true, "sec": true, "secs": true,
	"m": true, "min": true, "h": true, "d": true, "x": true, "it": true,
}

// mask replaces every volatile token of line (numbers, sizes, speeds,
// durations, dates, times, pids, hex ids, hashes, versions) with the
// placeholder. It returns the masked line and, when tokens is not nil,
// appends the tokens found, in order.
func mask(line string, tokens *[]string) string {
	var b strings.Builder
	b.Grow(len(line))
	for i := 0; i < len(line); {
		if end := tokenAt(line, i); end > i {
			b.WriteRune(placeholder)
			if tokens != nil {
				*tokens = append(*tokens, line[i:end])
			}
			i = end
			continue
		}
		b.WriteByte(line[i])
		i++
	}
	return b.String()
}

// tokenAt returns the end of the volatile token starting at i, or i when
// none starts there.
func tokenAt(s string, i int) int {
	c := s[i]
	if c == '$' {
		return bcryptAt(s, i)
	}
	if !isAlnum(c) {
		return i
	}
	wordStart := i == 0 || !isAlnum(s[i-1])
	if wordStart {
		end := i
		for end < len(s) && isAlnum(s[end]) {
			end++
		}
		if end-i == 8 && end < len(s) && s[end] == '-' {
			if u := uuidAt(s, i); u > i {
				return u
			}
		}
		if w := s[i:end]; isHexID(w) || isHash(w) {
			return end
		}
		if c == 'v' && i+1 < len(s) && isDigit(s[i+1]) {
			return numberAt(s, i+1)
		}
		if c >= 'A' && c <= 'Z' && end-i >= 3 && end-i <= 9 && calendarWords[s[i:end]] && nearNumber(s, i, end) {
			return end
		}
	}
	if isDigit(c) {
		return numberAt(s, i)
	}
	return i
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

// nearNumber reports whether the word s[i:end] is part of a date: a number
// follows it, or precedes it, or another calendar word does ("Mon Dec 11").
func nearNumber(s string, i, end int) bool {
	if end+1 < len(s) && (s[end] == ' ' || s[end] == ',') {
		j := end + 1
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
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

// numberAt reads a number with its continuations (1.26.6, 2023/12/10,
// 0:03:14, 3685/3685, 0.0.0.0:8009) and an optional unit (3.0 MB, 6.1ms,
// 30.0 MB/s, 100%).
func numberAt(s string, i int) int {
	i = digits(s, i)
	for i+1 < len(s) && strings.IndexByte(".:/,-", s[i]) >= 0 && isDigit(s[i+1]) {
		i = digits(s, i+1)
	}
	if i < len(s) && s[i] == '%' {
		return i + 1
	}
	return unitAt(s, i)
}

// unitAt extends a number at i by a unit word, allowing one space before
// it, and a "/s" rate after it.
func unitAt(s string, i int) int {
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	}
	k := j
	for k < len(s) && (isLetter(s[k]) || s[k] == 0xc2 || s[k] == 0xb5) {
		k++
	}
	if k == j || !units[s[j:k]] {
		return i
	}
	if j > i && len(s[j:k]) == 1 && s[j:k] != "B" && s[j:k] != "s" {
		return i // "3 x" or "5 m" after a space is more likely a word
	}
	if strings.HasPrefix(s[k:], "/s") && (k+2 == len(s) || !isLetter(s[k+2])) {
		k += 2
	}
	if k < len(s) && isAlnum(s[k]) {
		return i
	}
	return k
}

func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// bcryptAt matches a bcrypt hash such as $2b$12$ followed by 53 characters.
func bcryptAt(s string, i int) int {
	r := s[i:]
	if len(r) < 7 || r[1] != '2' {
		return i
	}
	j := 2
	if r[j] != '$' {
		j++
	}
	if j+4 > len(r) || r[j] != '$' || !isDigit(r[j+1]) || !isDigit(r[j+2]) || r[j+3] != '$' {
		return i
	}
	j += 4
	k := j
	for k < len(r) && (isAlnum(r[k]) || r[k] == '.' || r[k] == '/') {
		k++
	}
	if k-j < 22 {
		return i
	}
	return i + k
}

// uuidAt matches 8-4-4-4-12 hex digits.
func uuidAt(s string, i int) int {
	groups := [...]int{8, 4, 4, 4, 12}
	j := i
	for g, n := range groups {
		if g > 0 {
			if j >= len(s) || s[j] != '-' {
				return i
			}
			j++
		}
		for k := 0; k < n; k++ {
			if j >= len(s) || !isHex(s[j]) {
				return i
			}
			j++
		}
	}
	if j < len(s) && isAlnum(s[j]) {
		return i
	}
	return j
}

// isHexID reports a git-style id: at least 7 hex digits, including a
// digit (so that words like "defaced" stay words), or a 0x literal.
func isHexID(w string) bool {
	if len(w) > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X') {
		return allHex(w[2:])
	}
	if len(w) < 7 || !allHex(w) {
		return false
	}
	return strings.ContainsAny(w, "0123456789")
}

// isHash reports a long token mixing letters and digits, such as a
// base64 secret or hash; names like "Jinja2" are too short to count.
func isHash(w string) bool {
	if len(w) < 20 {
		return false
	}
	d, l := 0, 0
	for i := 0; i < len(w); i++ {
		if isDigit(w[i]) {
			d++
		} else {
			l++
		}
	}
	return d >= 2 && l >= 2
}

func allHex(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isHex(w[i]) {
			return false
		}
	}
	return w != ""
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }
func isHex(c byte) bool    { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
