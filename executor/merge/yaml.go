package merge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// YAML merges a YAML fragment into base using yaml.v3's node API, which keeps
// comments. An empty key merges a mapping fragment at the top level; a key
// path names the mapping to merge into, or the sequence a list-item fragment
// belongs to (created when absent). Blank lines between entries are restored
// from the base's source, since yaml.v3 drops them.
func YAML(base, fragment []byte, key []string) ([]byte, Summary, error) {
	frag, err := parseYAMLFragment(fragment)
	if err != nil {
		return nil, Summary{}, err
	}
	doc, err := parseYAMLBase(base)
	if err != nil {
		return nil, Summary{}, err
	}
	var keep []byte // a base with no content keeps its comments at the top
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		keep = commentLines(base)
	}
	m := &yamlMerger{}
	if err := m.mergeDoc(doc, key, frag); err != nil {
		return nil, Summary{}, err
	}
	if err := checkAliases(doc); err != nil {
		return nil, Summary{}, err
	}
	indent := yamlIndent(base)
	if isBlank(base) {
		indent = yamlIndent(dedent(fragment))
	}
	out, err := encodeYAML(doc, indent)
	if err != nil {
		return nil, Summary{}, err
	}
	if m.sum.Keys() == 0 && !isBlank(base) {
		return base, m.sum, nil // nothing changed: keep the bytes exactly
	}
	return append(keep, out...), m.sum, nil
}

// commentLines returns the lines of b that are comments, each with its newline.
func commentLines(b []byte) []byte {
	var out []byte
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, strings.TrimSpace(l)+"\n"...)
		}
	}
	return out
}

// parseYAMLFragment parses the block, dedented first because guides indent
// blocks to show where they belong in the file.
func parseYAMLFragment(fragment []byte) (*yaml.Node, error) {
	docs, err := decodeYAML(dedent(fragment))
	if err != nil {
		return nil, fmt.Errorf("the block is not valid YAML: %w", err)
	}
	if len(docs) == 0 || len(docs[0].Content) == 0 {
		return nil, errors.New("the block holds no YAML value")
	}
	if len(docs) > 1 {
		return nil, fmt.Errorf("the block holds %d YAML documents; a merge takes one", len(docs))
	}
	return docs[0].Content[0], nil
}

// parseYAMLBase parses the existing file; an empty one yields an empty document.
func parseYAMLBase(base []byte) (*yaml.Node, error) {
	docs, err := decodeYAML(base)
	if err != nil {
		return nil, fmt.Errorf("the existing file is not valid YAML: %w", err)
	}
	switch len(docs) {
	case 0:
		return &yaml.Node{Kind: yaml.DocumentNode}, nil
	case 1:
		restoreBlankLines(docs[0], strings.Split(string(base), "\n"))
		return docs[0], nil
	}
	return nil, fmt.Errorf("the existing file holds %d YAML documents; merging into more than one is not supported", len(docs))
}

// decodeYAML reads every document of a stream.
func decodeYAML(b []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, &n)
	}
}

// encodeYAML renders the document with the base file's indentation.
func encodeYAML(doc *yaml.Node, indent int) ([]byte, error) {
	if len(doc.Content) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(indent)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("cannot render the merged YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("cannot render the merged YAML: %w", err)
	}
	return buf.Bytes(), nil
}

// yamlMerger merges nodes and counts what it changed.
type yamlMerger struct{ sum Summary }

// mergeDoc merges frag into the document, at the key path when one is given.
func (m *yamlMerger) mergeDoc(doc *yaml.Node, key []string, frag *yaml.Node) error {
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		if len(key) == 0 && frag.Kind != yaml.MappingNode && frag.Kind != yaml.SequenceNode {
			return errors.New("the block is a single value, not keys to merge")
		}
		doc.Kind = yaml.DocumentNode
		doc.Content = []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}
		if len(key) == 0 {
			doc.Content[0] = frag
			m.sum.Added += countEntries(frag)
			return nil
		}
	}
	if len(key) == 0 {
		return m.mergeTop(doc.Content[0], frag)
	}
	return m.mergeAt(doc.Content[0], key, frag)
}

// mergeTop merges a fragment with no key path into the root node.
func (m *yamlMerger) mergeTop(root, frag *yaml.Node) error {
	switch {
	case root.Kind == yaml.MappingNode && frag.Kind == yaml.MappingNode:
		m.mergeMapping(root, frag)
		return nil
	case root.Kind == yaml.SequenceNode && frag.Kind == yaml.SequenceNode:
		if !equalNode(root, frag) {
			*root = *frag
			m.sum.Changed++
		}
		return nil
	case frag.Kind == yaml.SequenceNode:
		return errors.New("the block is a list item; name the key it belongs under (an override key=...)")
	case frag.Kind != yaml.MappingNode:
		return errors.New("the block is a single value, not keys to merge")
	}
	return fmt.Errorf("the existing file's top level is a %s, not a mapping", kindName(root))
}

// mergeAt walks the key path from root, creating missing mappings, and merges
// frag into the node it names.
func (m *yamlMerger) mergeAt(root *yaml.Node, key []string, frag *yaml.Node) error {
	cur := root
	for i, k := range key {
		if cur.Kind != yaml.MappingNode {
			return fmt.Errorf("key %s: %s is a %s, not a mapping", keyPath(key), keyPath(key[:i]), kindName(cur))
		}
		next := lookup(cur, k)
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			if i == len(key)-1 && frag.Kind == yaml.SequenceNode {
				next = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			}
			cur.Content = append(cur.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, next)
		}
		cur = next
	}
	return m.mergeTarget(cur, keyPath(key), frag)
}

// mergeTarget merges frag into the node a key path names.
func (m *yamlMerger) mergeTarget(target *yaml.Node, path string, frag *yaml.Node) error {
	switch {
	case target.Kind == yaml.SequenceNode && frag.Kind == yaml.SequenceNode:
		for _, item := range frag.Content {
			m.mergeItem(target, item)
		}
	case target.Kind == yaml.SequenceNode:
		m.mergeItem(target, frag)
	case target.Kind == yaml.MappingNode && frag.Kind == yaml.MappingNode:
		m.mergeMapping(target, frag)
	case target.Kind == yaml.MappingNode && len(target.Content) == 0:
		*target = *frag // a mapping we just created for a list or scalar
		m.sum.Added += countEntries(frag)
	case isNull(target):
		keepComments(target, frag)
		*target = *frag
		m.sum.Changed++
	default:
		return fmt.Errorf("key %s is a %s; the block (a %s) cannot merge into it", path, kindName(target), kindName(frag))
	}
	return nil
}

// mergeMapping merges frag's keys into base: nested mappings recursively,
// everything else replaced, new keys appended.
func (m *yamlMerger) mergeMapping(base, frag *yaml.Node) {
	for i := 0; i+1 < len(frag.Content); i += 2 {
		k, v := frag.Content[i], frag.Content[i+1]
		idx := indexOf(base, k.Value)
		if idx < 0 {
			base.Content = append(base.Content, k, v)
			m.sum.Added++
			continue
		}
		adoptComments(base.Content[idx], k)
		old := base.Content[idx+1]
		switch {
		case old.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode:
			m.mergeMapping(old, v)
		case equalNode(old, v):
		default:
			keepComments(old, v)
			base.Content[idx+1] = v
			m.sum.Changed++
		}
	}
}

// mergeItem replaces the sequence item whose value for item's first key is
// the same (port: 8008), or appends item when none matches.
func (m *yamlMerger) mergeItem(seq, item *yaml.Node) {
	for i, old := range seq.Content {
		if !sameItem(old, item) {
			continue
		}
		if !equalNode(old, item) {
			keepComments(old, item)
			seq.Content[i] = item
			m.sum.Changed++
		}
		return
	}
	seq.Content = append(seq.Content, item)
	m.sum.Added++
}

// sameItem reports whether old is the item that item updates: for mappings,
// old has item's first key with an equal value; otherwise both are equal.
func sameItem(old, item *yaml.Node) bool {
	if item.Kind != yaml.MappingNode || len(item.Content) < 2 {
		return equalNode(old, item)
	}
	if old.Kind != yaml.MappingNode {
		return false
	}
	v := lookup(old, item.Content[0].Value)
	return v != nil && equalNode(v, item.Content[1])
}

// keepComments carries the base node's comments over to its replacement when
// the replacement has none, since they document the file, not the value.
func keepComments(old, repl *yaml.Node) {
	if repl.HeadComment == "" {
		repl.HeadComment = old.HeadComment
	}
	if repl.LineComment == "" && old.Kind == yaml.ScalarNode && repl.Kind == yaml.ScalarNode {
		repl.LineComment = old.LineComment
	}
	if repl.FootComment == "" {
		repl.FootComment = old.FootComment
	}
}

// adoptComments gives a base key the block's comments for it when the file
// has none there, so the guide's explanation of a key lands in the file.
func adoptComments(baseKey, fragKey *yaml.Node) {
	if baseKey.HeadComment == "" {
		baseKey.HeadComment = fragKey.HeadComment
	}
	if baseKey.LineComment == "" {
		baseKey.LineComment = fragKey.LineComment
	}
}

// lookup returns the value of key k in mapping n, or nil.
func lookup(n *yaml.Node, k string) *yaml.Node {
	if i := indexOf(n, k); i >= 0 {
		return n.Content[i+1]
	}
	return nil
}

// indexOf returns the index of key k's node in mapping n, or -1.
func indexOf(n *yaml.Node, k string) int {
	if n.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == k {
			return i
		}
	}
	return -1
}

// equalNode compares two nodes by value (kind, resolved tag, scalar text,
// children in order), ignoring style, position and comments.
func equalNode(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || len(a.Content) != len(b.Content) {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.Value == b.Value && a.ShortTag() == b.ShortTag()
	case yaml.AliasNode:
		return a.Value == b.Value
	}
	for i := range a.Content {
		if !equalNode(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// isNull reports whether n is an empty value (`key:` or `~`).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// countEntries counts the keys of a mapping or the items of a sequence.
func countEntries(n *yaml.Node) int {
	switch n.Kind {
	case yaml.MappingNode:
		return len(n.Content) / 2
	case yaml.SequenceNode:
		return len(n.Content)
	}
	return 1
}

// kindName names a node kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	case yaml.DocumentNode:
		return "document"
	}
	if isNull(n) {
		return "empty value"
	}
	return "single value"
}

// checkAliases makes sure every alias still follows its anchor in document
// order, since replacing a value can remove an anchor that the file uses.
func checkAliases(doc *yaml.Node) error {
	seen := map[string]bool{}
	var walk func(n *yaml.Node) error
	walk = func(n *yaml.Node) error {
		if n.Anchor != "" {
			seen[n.Anchor] = true
		}
		if n.Kind == yaml.AliasNode && !seen[n.Value] {
			return fmt.Errorf("the merge would leave *%s without its anchor &%s; merge by hand", n.Value, n.Value)
		}
		for _, c := range n.Content {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(doc)
}
