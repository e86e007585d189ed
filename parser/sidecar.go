package parser

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	runbook "github.com/runbookdev/runbook"
)

// Sidecar is the content of GUIDE.runbook.yaml, a file beside the guide that
// says what the prose cannot, without touching the guide itself:
//
//	# synapse.runbook.yaml, beside synapse.rst
//	params:                # values for parameters, by name or example text
//	  user: alice          #   same as --set user=alice
//	  example.org: alice.example
//	blocks:                # per-block overrides, by the line the block starts on
//	  - line: 142          #   the `.. code-block::` / `::` line or the first content line
//	    file: ~/synapse/homeserver.yaml
//	    mode: merge        #   create | merge | append
//	    format: yaml       #   yaml | json | ini | any other name
//	    key: listeners     #   parent key of a yaml list item; "a.b" or [a, b]
//	  - line: 200
//	    manual: needs a DNS record   # show the block, do not run it
//	  - line: 230
//	    skip: true         # not a step at all
//
// Block lines refer to the guide itself, not to its includes.
type Sidecar struct {
	Name   string    // path of the sidecar as positions show it
	Params []Setting // in file order
	Blocks []BlockOverride
}

// Setting is one `params:` entry: a parameter name or example text and its value.
type Setting struct {
	Key   string
	Value string
	Pos   runbook.Pos
}

// BlockOverride says what the block starting at Line is.
type BlockOverride struct {
	Line   int // line of the block's directive or first content line in the guide
	File   string
	Mode   runbook.FileMode
	Format string
	Key    []string
	Manual string
	Skip   bool
	Pos    runbook.Pos // where the entry is written in the sidecar
}

// SidecarName returns the sidecar's name for a guide: "guides/synapse.rst" →
// "guides/synapse.runbook.yaml".
func SidecarName(guide string) string {
	return strings.TrimSuffix(guide, path.Ext(guide)) + ".runbook.yaml"
}

// ReadSidecar reads the sidecar of the guide named name from fsys (rooted at
// the guide's directory). It returns nil without diagnostics when there is no
// sidecar; problems in it are Error diagnostics at the sidecar's file:line.
func ReadSidecar(name string, fsys fs.FS) (*Sidecar, []runbook.Diagnostic) {
	if fsys == nil {
		return nil, nil
	}
	data, err := fs.ReadFile(fsys, SidecarName(path.Base(name)))
	if err != nil {
		return nil, nil
	}
	return ParseSidecar(SidecarName(name), data)
}

// reYAMLLine finds the line number in a yaml.v3 error message.
var reYAMLLine = regexp.MustCompile(`line (\d+)`)

// ParseSidecar reads a sidecar's bytes; name is used in positions. What can
// be read is returned even when some entries are wrong.
func ParseSidecar(name string, data []byte) (*Sidecar, []runbook.Diagnostic) {
	sc := &Sidecar{Name: name}
	var diags []runbook.Diagnostic
	bad := func(line int, format string, args ...any) {
		diags = append(diags, runbook.Diagnostic{Pos: runbook.Pos{File: name, Line: line},
			Severity: runbook.Error, ID: "bad-sidecar", Message: fmt.Sprintf(format, args...)})
	}
	var root yaml.Node
	if err := unmarshalNode(data, &root); err != nil {
		line := 0
		if m := reYAMLLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		bad(line, "sidecar is not valid yaml: %v", err)
		return sc, diags
	}
	if len(root.Content) == 0 {
		return sc, diags
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		bad(top.Line, "sidecar must be a mapping with params: and blocks:")
		return sc, diags
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "params":
			sc.readParams(v, bad)
		case "blocks":
			sc.readBlocks(v, bad)
		default:
			bad(k.Line, "unknown sidecar key %q (want params or blocks)", k.Value)
		}
	}
	return sc, diags
}

type badFunc func(line int, format string, args ...any)

func (sc *Sidecar) readParams(v *yaml.Node, bad badFunc) {
	if v.Kind != yaml.MappingNode {
		bad(v.Line, "params must be a mapping of NAME: value")
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if val.Kind != yaml.ScalarNode {
			bad(val.Line, "param %s must have a plain value", k.Value)
			continue
		}
		sc.Params = append(sc.Params, Setting{Key: k.Value, Value: val.Value,
			Pos: runbook.Pos{File: sc.Name, Line: k.Line}})
	}
}

func (sc *Sidecar) readBlocks(v *yaml.Node, bad badFunc) {
	if v.Kind != yaml.SequenceNode {
		bad(v.Line, "blocks must be a list of {line: N, ...}")
		return
	}
	for _, n := range v.Content {
		if b, ok := readBlock(n, sc.Name, bad); ok {
			sc.Blocks = append(sc.Blocks, b)
		}
	}
}

// sidecarBlock is a blocks: entry as written.
type sidecarBlock struct {
	Line   int       `yaml:"line"`
	File   string    `yaml:"file"`
	Mode   string    `yaml:"mode"`
	Format string    `yaml:"format"`
	Key    yaml.Node `yaml:"key"`
	Manual string    `yaml:"manual"`
	Skip   bool      `yaml:"skip"`
}

func readBlock(n *yaml.Node, name string, bad badFunc) (BlockOverride, bool) {
	var sb sidecarBlock
	if err := n.Decode(&sb); err != nil {
		bad(n.Line, "block entry: %v", err)
		return BlockOverride{}, false
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			switch n.Content[i].Value {
			case "line", "file", "mode", "format", "key", "manual", "skip":
			default:
				bad(n.Content[i].Line, "unknown block key %q", n.Content[i].Value)
			}
		}
	}
	if sb.Line <= 0 {
		bad(n.Line, "block entry needs line: N (the line the block starts on)")
		return BlockOverride{}, false
	}
	b := BlockOverride{Line: sb.Line, File: sb.File, Format: strings.ToLower(sb.Format),
		Manual: sb.Manual, Skip: sb.Skip, Pos: runbook.Pos{File: name, Line: n.Line}}
	if sb.Mode != "" {
		m := runbook.FileMode(strings.ToLower(sb.Mode))
		if m != runbook.Create && m != runbook.Merge && m != runbook.Append {
			bad(n.Line, "mode %q is not create, merge or append", sb.Mode)
			return BlockOverride{}, false
		}
		b.Mode = m
	}
	switch sb.Key.Kind {
	case yaml.ScalarNode:
		b.Key = splitKey(sb.Key.Value)
	case yaml.SequenceNode:
		if err := sb.Key.Decode(&b.Key); err != nil {
			bad(sb.Key.Line, "key: %v", err)
		}
	case 0:
	default:
		bad(sb.Key.Line, "key must be a string or a list of strings")
	}
	return b, true
}

// toOverride turns a sidecar entry into the override the builder applies.
func (b BlockOverride) toOverride() *override {
	return &override{file: b.File, mode: b.Mode, format: b.Format, key: b.Key, skip: b.Skip, manual: b.Manual, at: b.Pos}
}

// unmarshalNode is yaml.Unmarshal with a panic in yaml.v3 turned into an
// error, so a hostile sidecar cannot take the parser down.
func unmarshalNode(data []byte, root *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(data, root)
}
