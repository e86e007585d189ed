// Package quote escapes a value for the quoted context it is pasted into: a
// yaml or json string, a supervisord ini value, a bash word or string. A
// value a user sets may hold any character, and a guide's example sits in
// quotes that were written for the example, not for that value.
package quote

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// YAMLDouble escapes s for the inside of a yaml double-quoted scalar.
func YAMLDouble(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == 0:
			b.WriteString(`\0`)
		case r == utf8.RuneError && !validAt(s, i):
			fmt.Fprintf(&b, `\x%02x`, s[i]) // not UTF-8: yaml cannot hold the byte itself
		case !yamlPrintable(r):
			if r <= 0xff {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// validAt reports whether the rune at s[i] is a real U+FFFD rather than a bad byte.
func validAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 3
}

// yamlPrintable is the yaml 1.2 printable set less the line breaks, which a
// quoted scalar folds, and less U+2028 and U+2029, which yaml 1.1 parsers
// (PyYAML) take for line breaks.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t', r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff:
		return r != 0x2028 && r != 0x2029
	case r >= 0xe000 && r <= 0xfffd:
		return r != 0xfeff
	case r >= 0x10000 && r <= 0x10ffff:
		return true
	}
	return false
}

// YAMLSingleOK reports whether a yaml single-quoted scalar can hold s: it
// has no escapes, so line breaks (which it folds), unprintable characters
// and tabs (which parsers treat differently) need the double-quoted style.
func YAMLSingleOK(s string) bool {
	for i, r := range s {
		if r == '\t' || !yamlPrintable(r) || r == utf8.RuneError && !validAt(s, i) {
			return false
		}
	}
	return true
}

// YAMLSingle escapes s for the inside of a yaml single-quoted scalar; see YAMLSingleOK.
func YAMLSingle(s string) string { return strings.ReplaceAll(s, "'", "''") }

// JSON escapes s for the inside of a json string, by encoding/json's rules
// (HTML characters kept as they are).
func JSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return s // a string always encodes
	}
	out := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return string(out[1 : len(out)-1])
}

// Percent escapes s for an ini value that supervisord expands
// (%(ENV_X)s, %(here)s): every % doubled.
func Percent(s string) string { return strings.ReplaceAll(s, "%", "%%") }

// ShellSingle escapes s for the inside of a bash '…' string: each ' closes
// the string, adds an escaped quote and opens a new one.
func ShellSingle(s string) string { return strings.ReplaceAll(s, "'", `'\''`) }

// ShellDouble escapes s for the inside of a bash "…" string (history
// expansion is off in the executor's shell, so ! needs nothing).
func ShellDouble(s string) string { return escapeBytes(s, "\\\"$`") }

// HereDoc escapes s for the body of a here-document whose delimiter is not
// quoted: the shell expands $, ` and \ there, and nothing else.
func HereDoc(s string) string { return escapeBytes(s, "\\$`") }

// Shlex escapes s for the inside of a "…" string as Python's shlex.split
// reads it (supervisord's command=): only \ and " are escaped there.
func Shlex(s string) string { return escapeBytes(s, `\"`) }

// Libpq escapes s for a value in a PostgreSQL connection string
// ("user=x password='…'"): \ and ' get a backslash, quoted or not.
func Libpq(s string) string { return escapeBytes(s, `\'`) }

// LibpqWord escapes s for an unquoted value in a PostgreSQL connection
// string, where a backslash also keeps a blank from ending the value.
func LibpqWord(s string) string { return escapeBytes(s, "\\' \t\n\r\v\f") }

// ANSIC escapes s for the inside of a bash $'…' string.
func ANSIC(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ShellWord returns s as one bash word where it stands unquoted: as it is
// when it holds only characters the shell takes literally, else in single
// quotes. A value is literal everywhere, so a leading ~ is quoted too: the
// same value written into a file would not be expanded either.
func ShellWord(s string) string {
	if s == "" {
		return "''"
	}
	for i := 0; i < len(s); i++ {
		if !shellSafe(s[i]) {
			return "'" + ShellSingle(s) + "'"
		}
	}
	return s
}

// shellSafe reports whether bash takes c literally anywhere in an unquoted word.
func shellSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("_@%+=:,./-", c) >= 0 || c >= 0x80
}

// escapeBytes puts a backslash before each byte of s that is in special.
func escapeBytes(s, special string) string {
	if !strings.ContainsAny(s, special) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(special, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Forms lists the escaped forms of s that differ from s, each once: what a
// secret can look like in a file written, a command typed or a diff shown,
// so that redaction masks those too.
func Forms(s string) []string {
	all := []string{
		YAMLDouble(s), YAMLSingle(s), JSON(s), Percent(s),
		ShellSingle(s), ShellDouble(s), HereDoc(s), ANSIC(s), Shlex(s), Percent(Shlex(s)),
		Percent(ShellSingle(s)), Percent(ShellDouble(s)), ShellDouble(YAMLDouble(s)), HereDoc(YAMLDouble(s)),
		Libpq(s), ShellDouble(Libpq(s)), ShellSingle(Libpq(s)), Percent(Libpq(s)),
		LibpqWord(s), ShellDouble(LibpqWord(s)), ShellSingle(LibpqWord(s)), Percent(LibpqWord(s)),
	}
	seen := map[string]bool{s: true}
	var out []string
	for _, f := range all {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
