package verifier

// Byte classes and the shapes of ids and hashes the scanner uses.

func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// alnumEnd returns the end of the letters and digits starting at i.
func alnumEnd(s string, i int) int {
	for i < len(s) && isAlnum(s[i]) {
		i++
	}
	return i
}

// cryptAt matches a crypt(3)-style hash such as bcrypt's $2b$12$ followed
// by 53 characters, $6$salt$hash or $sha256$salt$hex, whole (a secret
// must not be split into tokens that each escape its mask); it returns i
// when none starts there.
func cryptAt(s string, i int) int {
	r := s[i:]
	if len(r) < 7 {
		return i
	}
	j := 1
	for j < len(r) && j < 12 && (isAlnum(r[j]) || r[j] == '-') {
		j++
	}
	if j == 1 || j >= len(r) || r[j] != '$' {
		return i
	}
	j++
	if j+2 < len(r) && isDigit(r[j]) && isDigit(r[j+1]) && r[j+2] == '$' {
		j += 3 // the bcrypt cost
	}
	k := j
	for k < len(r) && (isAlnum(r[k]) || r[k] == '.' || r[k] == '/' || r[k] == '$') {
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
	if isWordAt(s, j) {
		return i
	}
	return j
}

// isHexID reports a git-style id: at least 7 hex digits with both a digit
// and a letter (so that words like "defaced" stay words and counts stay
// numbers), or a 0x literal.
func isHexID(w string) bool {
	if len(w) > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X') {
		return allHex(w[2:])
	}
	if len(w) < 7 || !allHex(w) {
		return false
	}
	digits, letters := 0, 0
	for i := 0; i < len(w); i++ {
		if isDigit(w[i]) {
			digits++
		} else {
			letters++
		}
	}
	return digits > 0 && (letters > 0 || len(w) >= 32)
}

// isHash reports a long token mixing letters and digits, such as a base64
// secret or digest; names like "Jinja2" or "manylinux2014" are too short or
// too regular to count.
func isHash(w string) bool {
	if len(w) < 20 {
		return false
	}
	d, l, runs := 0, 0, 0
	for i := 0; i < len(w); i++ {
		if isDigit(w[i]) {
			d++
		} else {
			l++
		}
		if i > 0 && isDigit(w[i]) != isDigit(w[i-1]) {
			runs++
		}
	}
	return d >= 2 && l >= 2 && runs >= 3
}

// base64End extends a hash at e over base64's "+", "/" and "=" padding.
func base64End(s string, e int) int {
	for e < len(s) && (s[e] == '+' || s[e] == '/') && e+1 < len(s) && isAlnum(s[e+1]) {
		e = alnumEnd(s, e+1)
	}
	for e < len(s) && s[e] == '=' {
		e++
	}
	return e
}

func allHex(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isHex(w[i]) {
			return false
		}
	}
	return w != ""
}

// isWordAt reports whether s[i] continues a word (a letter, digit or _).
func isWordAt(s string, i int) bool { return i < len(s) && isWordChar(s[i]) }

// isLetterAt reports whether s[i] is a letter.
func isLetterAt(s string, i int) bool { return i < len(s) && isLetter(s[i]) }

func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isLetter(c byte) bool   { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isUpper(c byte) bool    { return c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool    { return isDigit(c) || isLetter(c) }
func isWordChar(c byte) bool { return isAlnum(c) || c == '_' }
func isHex(c byte) bool      { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
