package merge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonValue is a JSON value that remembers the order of object members and
// the literal text of numbers, so rendering it changes nothing it did not merge.
type jsonValue struct {
	kind byte         // '{' object, '[' array, '"' string, '0' number, true, false or null
	text string       // the string (decoded) or the literal
	keys []string     // object member names, in order
	vals []*jsonValue // object member values (parallel to keys) or array items
	raw  []byte       // the value's source text in the base; nil once the merge changes it
	flat bool         // render on one line, as the value it replaced was written
}

// JSON merges a JSON fragment into base, keeping member order and the base's
// indentation (two spaces when the base is missing). Objects merge member by
// member; arrays and other values are replaced; a key path works as for YAML.
func JSON(base, fragment []byte, key []string) ([]byte, Summary, error) {
	frag, err := parseJSON(fragment, false)
	if err != nil {
		return nil, Summary{}, fmt.Errorf("the block is not valid JSON: %w", err)
	}
	if isBlank(base) {
		root := frag
		for i := len(key) - 1; i >= 0; i-- {
			root = &jsonValue{kind: '{', keys: []string{key[i]}, vals: []*jsonValue{root}}
		}
		return renderJSON(root, "  ", true, false), Summary{Added: jsonEntries(frag)}, nil
	}
	root, err := parseJSON(base, true)
	if err != nil {
		return nil, Summary{}, fmt.Errorf("the existing file is not valid JSON: %w", err)
	}
	var sum Summary
	if err := mergeJSONAt(root, key, frag, &sum); err != nil {
		return nil, Summary{}, err
	}
	if sum.Keys() == 0 {
		return base, sum, nil
	}
	newline := bytes.HasSuffix(bytes.TrimRight(base, " \t"), []byte("\n"))
	return renderJSON(root, jsonIndent(base), newline, spacedJSON(base)), sum, nil
}

// parseJSON validates b (for an error with line and column) and reads it in
// order, keeping each value's source text when keepRaw is set.
func parseJSON(b []byte, keepRaw bool) (*jsonValue, error) {
	var probe any
	if err := json.Unmarshal(b, &probe); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			line, col := lineCol(b, syn.Offset)
			return nil, fmt.Errorf("line %d, column %d: %v", line, col, syn)
		}
		return nil, err
	}
	r := &jsonReader{dec: json.NewDecoder(bytes.NewReader(b)), src: b, keepRaw: keepRaw}
	r.dec.UseNumber()
	return r.value()
}

// jsonReader reads values in order from a token stream over src.
type jsonReader struct {
	dec     *json.Decoder
	src     []byte
	keepRaw bool
}

// value reads one value and, when asked, records its source text.
func (r *jsonReader) value() (*jsonValue, error) {
	start := r.dec.InputOffset()
	for start < int64(len(r.src)) && strings.IndexByte(" \t\r\n,:", r.src[start]) >= 0 {
		start++
	}
	v, err := r.read()
	if err == nil && r.keepRaw {
		v.raw = r.src[start:r.dec.InputOffset()]
	}
	return v, err
}

// read reads one value from the token stream.
func (r *jsonReader) read() (*jsonValue, error) {
	dec := r.dec
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		v := &jsonValue{kind: byte(t)}
		for dec.More() {
			if v.kind == '{' {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, fmt.Sprint(k))
			}
			item, err := r.value()
			if err != nil {
				return nil, err
			}
			v.vals = append(v.vals, item)
		}
		_, err := dec.Token() // the closing delimiter
		return v, err
	case string:
		return &jsonValue{kind: '"', text: t}, nil
	case json.Number:
		return &jsonValue{kind: '0', text: t.String()}, nil
	case nil:
		return &jsonValue{kind: '0', text: "null"}, nil
	default:
		return &jsonValue{kind: '0', text: fmt.Sprint(t)}, nil
	}
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	before := b[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	return line, int(off) - bytes.LastIndexByte(before, '\n') - 1
}

// mergeJSONAt walks the key path (creating objects) and merges frag there.
func mergeJSONAt(root *jsonValue, key []string, frag *jsonValue, sum *Summary) error {
	cur, path := root, []*jsonValue{root}
	defer func() {
		if sum.Keys() > 0 {
			for _, v := range path {
				v.touch()
			}
		}
	}()
	for i, k := range key {
		if cur.kind != '{' {
			return fmt.Errorf("key %s: %s is not an object", keyPath(key), keyPath(key[:i]))
		}
		next := cur.member(k)
		if next == nil {
			next = &jsonValue{kind: '{'}
			if i == len(key)-1 && frag.kind == '[' {
				next = &jsonValue{kind: '['}
			}
			cur.keys, cur.vals = append(cur.keys, k), append(cur.vals, next)
		}
		cur = next
		path = append(path, cur)
	}
	switch {
	case cur.kind == '{' && frag.kind == '{':
		mergeJSONObject(cur, frag, sum)
	case cur.kind == '[' && len(key) > 0:
		items := []*jsonValue{frag}
		if frag.kind == '[' {
			items = frag.vals
		}
		for _, item := range items {
			mergeJSONItem(cur, item, sum)
		}
	case cur.kind == '[' && frag.kind == '[':
		if !cur.equal(frag) {
			*cur = *frag
			sum.Changed++
		}
	case len(key) == 0 && frag.kind == '[':
		return errors.New("the block is a list item; name the key it belongs under (an override key=...)")
	default:
		return errors.New("the block and the existing file do not have the same shape; only objects merge")
	}
	return nil
}

// mergeJSONObject merges frag's members into base: objects recursively,
// everything else replaced, new members appended.
func mergeJSONObject(base, frag *jsonValue, sum *Summary) {
	before := sum.Keys()
	defer func() {
		if sum.Keys() > before {
			base.touch()
		}
	}()
	for i, k := range frag.keys {
		v := frag.vals[i]
		old := base.member(k)
		switch {
		case old == nil:
			base.keys, base.vals = append(base.keys, k), append(base.vals, v)
			sum.Added++
		case old.kind == '{' && v.kind == '{':
			mergeJSONObject(old, v, sum)
		case !old.equal(v):
			replaceJSON(old, v)
			sum.Changed++
		}
	}
}

// mergeJSONItem replaces the array item that shares item's first member's
// value, or appends item.
func mergeJSONItem(arr, item *jsonValue, sum *Summary) {
	for _, old := range arr.vals {
		same := old.equal(item)
		if item.kind == '{' && len(item.keys) > 0 && old.kind == '{' {
			v := old.member(item.keys[0])
			same = v != nil && v.equal(item.vals[0])
		}
		if !same {
			continue
		}
		if !old.equal(item) {
			replaceJSON(old, item)
			sum.Changed++
		}
		return
	}
	arr.vals = append(arr.vals, item)
	sum.Added++
}

// touch marks a value that contains a change, so it is rendered anew, on
// one line if it was written on one line.
func (v *jsonValue) touch() {
	if v.raw != nil {
		v.flat = !bytes.ContainsRune(v.raw, '\n')
	}
	v.raw = nil
}

// replaceJSON puts v in old's place, on one line when old was on one line.
func replaceJSON(old, v *jsonValue) {
	flat := old.raw != nil && !bytes.ContainsRune(old.raw, '\n')
	*old = *v
	old.flat = flat
}

// member returns the value of the object's first member named k, or nil.
func (v *jsonValue) member(k string) *jsonValue {
	for i, name := range v.keys {
		if name == k {
			return v.vals[i]
		}
	}
	return nil
}

// equal compares two values, members in order.
func (v *jsonValue) equal(o *jsonValue) bool {
	if v.kind != o.kind || v.text != o.text || len(v.vals) != len(o.vals) || len(v.keys) != len(o.keys) {
		return false
	}
	for i := range v.vals {
		if (v.kind == '{' && v.keys[i] != o.keys[i]) || !v.vals[i].equal(o.vals[i]) {
			return false
		}
	}
	return true
}

// jsonEntries counts the members or items a new file gets.
func jsonEntries(v *jsonValue) int {
	if v.kind == '{' || v.kind == '[' {
		return len(v.vals)
	}
	return 1
}

// jsonIndent returns the base's indentation unit: the leading white space of
// its first indented line, or "" when the file is on one line.
func jsonIndent(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 2 {
		return ""
	}
	for _, l := range lines[1:] {
		if ws := l[:len(l)-len(strings.TrimLeft(l, " \t"))]; ws != "" {
			return ws
		}
	}
	return "  "
}

// spacedJSON reports whether a file written on one line puts a space after
// its commas and colons, so a merge keeps that style.
func spacedJSON(b []byte) bool {
	return bytes.Contains(b, []byte(": ")) || bytes.Contains(b, []byte(", "))
}

// renderJSON writes v with the given indent unit ("" means one line, with a
// space after , and : when spaced).
func renderJSON(v *jsonValue, indent string, newline, spaced bool) []byte {
	var buf bytes.Buffer
	writeJSON(&buf, v, indent, 0, spaced)
	if newline {
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// writeJSON writes one value at the given depth; with no indent it writes
// one line, with a space after , and : when spaced.
func writeJSON(w io.Writer, v *jsonValue, indent string, depth int, spaced bool) {
	if v.raw != nil {
		w.Write(v.raw)
		return
	}
	switch v.kind {
	case '"':
		w.Write(jsonString(v.text))
		return
	case '0':
		io.WriteString(w, v.text)
		return
	}
	open, closing := "{", "}"
	if v.kind == '[' {
		open, closing = "[", "]"
	}
	io.WriteString(w, open)
	if v.flat && indent != "" {
		indent, spaced = "", true
	}
	sep, comma, colon := "", ",", ": "
	switch {
	case indent == "" && spaced:
		comma = ", "
	case indent == "":
		colon = ":"
	}
	for i, item := range v.vals {
		io.WriteString(w, sep)
		sep = comma
		if indent != "" {
			io.WriteString(w, "\n"+strings.Repeat(indent, depth+1))
		}
		if v.kind == '{' {
			w.Write(jsonString(v.keys[i]))
			io.WriteString(w, colon)
		}
		writeJSON(w, item, indent, depth+1, spaced)
	}
	if indent != "" && len(v.vals) > 0 {
		io.WriteString(w, "\n"+strings.Repeat(indent, depth))
	}
	io.WriteString(w, closing)
}

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
