// Package merge merges a config fragment from a guide into an existing config
// file by structure, so that keys, comments and formatting the fragment does
// not touch survive. Mappings merge key by key; sequences and scalars are
// replaced; a list item addressed by a key path replaces the item that shares
// its first key's value, or is appended. Merging the same block twice
// changes nothing the second time, and an unchanged file keeps its bytes.
//
// Limits: YAML is re-rendered by yaml.v3, so a changed file keeps its
// comments, key order, quoting and flow style and its blank lines between
// entries, but gets uniform indentation (the file's own step, sequences
// indented under their key) and loses line comments inside a replaced value.
// JSON values the merge does not touch keep their exact text. INI is merged
// line by line and changes nothing but the lines of the keys it sets.
package merge

import (
	"fmt"
	"strings"
)

// Summary counts what a merge changed, so callers can say "merged 3 keys".
type Summary struct {
	Changed int // existing keys, list items or values that got a new value
	Added   int // keys, list items or sections that were not there before
}

// Keys is the number of keys, items and sections the merge touched.
func (s Summary) Keys() int { return s.Changed + s.Added }

// String describes the summary for a note, e.g. "merged 3 keys (1 changed, 2 added)".
func (s Summary) String() string {
	switch n := s.Keys(); n {
	case 0:
		return "unchanged"
	case 1:
		return fmt.Sprintf("merged 1 key (%d changed, %d added)", s.Changed, s.Added)
	default:
		return fmt.Sprintf("merged %d keys (%d changed, %d added)", n, s.Changed, s.Added)
	}
}

// Func is the signature every format's merge shares.
type Func func(base, fragment []byte, key []string) ([]byte, Summary, error)

// For returns the merge for a format name as the parser writes it ("yaml",
// "yml", "json", "ini"), or an error that tells the author what to do instead.
func For(format string) (Func, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "yaml", "yml":
		return YAML, nil
	case "json":
		return JSON, nil
	case "ini", "cfg", "dosini": // Pygments' names for INI; nginx and other .conf files are not INI
		return INI, nil
	}
	if format == "" {
		format = "unknown-format"
	}
	return nil, fmt.Errorf("cannot merge %s files; use an override mode=create or mode=append", format)
}

// Merge merges fragment into base with the merge for format.
func Merge(format string, base, fragment []byte, key []string) ([]byte, Summary, error) {
	f, err := For(format)
	if err != nil {
		return nil, Summary{}, err
	}
	return f(base, fragment, key)
}

// isBlank reports whether b holds nothing but white space, as a missing or
// freshly touched file does; such a base is created from the fragment.
func isBlank(b []byte) bool {
	return len(strings.TrimSpace(string(b))) == 0
}

// keyPath renders a key path for messages.
func keyPath(key []string) string {
	return strings.Join(key, ".")
}
