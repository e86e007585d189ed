package merge

import (
	"fmt"
	"strings"
)

// iniEntry is one logical line of an INI file: a key with its continuation
// lines, or a comment or blank line kept as it is.
type iniEntry struct {
	key   string   // lower-cased key; "" for comments and blank lines
	lines []string // the source lines, continuation lines included
}

// iniSection is a [header] with its entries; the file's preamble has no header.
type iniSection struct {
	name    string // the text between the brackets, trimmed; "" for the preamble
	header  string // the header line as written
	entries []iniEntry
	added   bool // appended by the merge, so it gets a blank line before it
}

// INI merges an INI fragment into base, line by line: keys in the fragment
// replace the same key in the same section (matched case-insensitively, as
// Python's configparser and supervisord do), new keys go after the section's
// last line, new sections go at the end. Comments (; and #), blank lines and
// the spacing around = are kept. Indented lines after a key continue its value.
// A key path of one element names the section for keys before any header.
func INI(base, fragment []byte, key []string) ([]byte, Summary, error) {
	if len(key) > 1 {
		return nil, Summary{}, fmt.Errorf("key %s: INI files have one level of sections", keyPath(key))
	}
	if len(key) == 1 && (strings.TrimSpace(key[0]) == "" || strings.ContainsAny(key[0], "[]\r\n")) {
		return nil, Summary{}, fmt.Errorf("key %q is not a section name", key[0])
	}
	frag, err := parseINI(string(dedent(fragment)))
	if err != nil {
		return nil, Summary{}, fmt.Errorf("the block is not valid INI: %w", err)
	}
	if len(key) == 1 && frag[0].name == "" {
		frag[0].name, frag[0].header = key[0], "["+key[0]+"]"
	}
	if isBlank(base) {
		base = nil
	}
	secs, err := parseINI(string(base))
	if err != nil {
		return nil, Summary{}, fmt.Errorf("the existing file is not valid INI: %w", err)
	}
	var sum Summary
	for _, fs := range frag {
		secs = mergeINISection(secs, fs, &sum)
	}
	if sum.Keys() == 0 && base != nil {
		return base, sum, nil
	}
	return renderINI(secs, base == nil || strings.HasSuffix(string(base), "\n")), sum, nil
}

// parseINI splits text into sections; the first is always the (maybe empty)
// preamble before any header.
func parseINI(text string) ([]*iniSection, error) {
	secs := []*iniSection{{}}
	cur := secs[0]
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if text == "" {
		lines = nil
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "["):
			end := strings.Index(t, "]")
			if end < 0 {
				return nil, fmt.Errorf("line %d: section header without ]", i+1)
			}
			cur = &iniSection{name: strings.TrimSpace(t[1:end]), header: l}
			secs = append(secs, cur)
		case t == "" || t[0] == ';' || t[0] == '#':
			cur.entries = append(cur.entries, iniEntry{lines: []string{l}})
		case l[0] == ' ' || l[0] == '\t':
			if n := len(cur.entries); n > 0 && cur.entries[n-1].key != "" {
				cur.entries[n-1].lines = append(cur.entries[n-1].lines, l)
				continue
			}
			cur.entries = append(cur.entries, iniEntry{key: iniKey(t), lines: []string{l}})
		default:
			cur.entries = append(cur.entries, iniEntry{key: iniKey(t), lines: []string{l}})
		}
	}
	return secs, nil
}

// iniKey returns the lower-cased key of a key=value or key: value line, or
// the whole line for a key with no value.
func iniKey(line string) string {
	if i := strings.IndexAny(line, "=:"); i >= 0 {
		line = line[:i]
	}
	return strings.ToLower(strings.TrimSpace(line))
}

// mergeINISection merges one fragment section into the file's sections.
func mergeINISection(secs []*iniSection, fs *iniSection, sum *Summary) []*iniSection {
	var target *iniSection
	for _, s := range secs {
		if s.name == fs.name && (s.name != "" || s == secs[0]) {
			target = s
			break
		}
	}
	if target == nil {
		if !hasKeys(fs) {
			return secs
		}
		target = &iniSection{name: fs.name, header: fs.header, added: true}
		secs = append(secs, target) // its keys count as added below
	}
	for _, e := range fs.entries {
		if e.key == "" {
			continue
		}
		mergeINIEntry(target, e, sum)
	}
	return secs
}

// mergeINIEntry replaces the section's entry with the same key, or adds e
// after the section's last non-blank line.
func mergeINIEntry(s *iniSection, e iniEntry, sum *Summary) {
	for i := range s.entries {
		if s.entries[i].key != e.key {
			continue
		}
		if iniValue(s.entries[i].lines) != iniValue(e.lines) {
			s.entries[i].lines = keepKeyStyle(s.entries[i].lines[0], e.lines)
			sum.Changed++
		}
		return
	}
	at := len(s.entries)
	for at > 0 && s.entries[at-1].key == "" && strings.TrimSpace(s.entries[at-1].lines[0]) == "" {
		at--
	}
	s.entries = append(s.entries[:at], append([]iniEntry{e}, s.entries[at:]...)...)
	sum.Added++
}

// keepKeyStyle returns the new lines with the first one spelt as the file
// spells its key ("Name = "), so only the value changes.
func keepKeyStyle(oldFirst string, lines []string) []string {
	i, j := strings.IndexAny(oldFirst, "=:"), strings.IndexAny(lines[0], "=:")
	if i < 0 || j < 0 {
		return lines
	}
	prefix := oldFirst[:i+1]
	prefix += oldFirst[i+1:][:len(oldFirst[i+1:])-len(strings.TrimLeft(oldFirst[i+1:], " \t"))]
	out := append([]string{prefix + strings.TrimLeft(lines[0][j+1:], " \t")}, lines[1:]...)
	return out
}

// iniValue normalises an entry for comparison: the key and each line's text
// without the spacing around the delimiter or the indentation.
func iniValue(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if i == 0 {
			if j := strings.IndexAny(t, "=:"); j >= 0 {
				t = strings.ToLower(strings.TrimSpace(t[:j])) + t[j:j+1] + strings.TrimSpace(t[j+1:])
			}
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String()
}

// hasKeys reports whether a section sets any key.
func hasKeys(s *iniSection) bool {
	for _, e := range s.entries {
		if e.key != "" {
			return true
		}
	}
	return false
}

// renderINI writes the sections back, separating a new section from the
// text before it with one blank line.
func renderINI(secs []*iniSection, newline bool) []byte {
	var lines []string
	for i, s := range secs {
		if i > 0 {
			if n := len(lines); s.added && n > 0 && strings.TrimSpace(lines[n-1]) != "" {
				lines = append(lines, "")
			}
			lines = append(lines, s.header)
		}
		for _, e := range s.entries {
			lines = append(lines, e.lines...)
		}
	}
	out := strings.Join(lines, "\n")
	if newline && out != "" {
		out += "\n"
	}
	return []byte(out)
}
