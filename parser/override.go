package parser

import (
	"fmt"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// override is what a `.. runbook:` comment, a `<!-- runbook: -->` comment
// or a sidecar entry says about the next block, where the prose is not enough.
type override struct {
	file   string           // target path
	mode   runbook.FileMode // create, merge or append; "" to infer
	format string           // yaml, json, ini, ...; "" to infer
	key    []string         // parent key path for a yaml list item
	skip   bool             // the block is not a step at all
	manual string           // the block is a manual step, for this reason
	at     runbook.Pos      // where the override is written, for File.Why
}

// parseOverride reads `file=~/x.yaml mode=merge format=yaml key=a.b skip
// manual="reason"`. Values may be double-quoted to hold spaces.
func parseOverride(s string) (*override, error) {
	words, err := splitWords(s)
	if err != nil {
		return nil, err
	}
	o := &override{}
	for _, w := range words {
		k, v, hasValue := strings.Cut(w, "=")
		k = strings.ToLower(k)
		if err := o.set(k, v, hasValue); err != nil {
			return nil, err
		}
	}
	if o.skip && (o.file != "" || o.manual != "") {
		return nil, fmt.Errorf("skip cannot be combined with file or manual")
	}
	return o, nil
}

// set applies one key of an override.
func (o *override) set(k, v string, hasValue bool) error {
	if !hasValue && k != "skip" && k != "manual" {
		return fmt.Errorf("%s needs a value (%s=...)", k, k)
	}
	switch k {
	case "file", "path":
		o.file = v
	case "mode":
		m := runbook.FileMode(strings.ToLower(v))
		if m != runbook.Create && m != runbook.Merge && m != runbook.Append {
			return fmt.Errorf("mode %q is not create, merge or append", v)
		}
		o.mode = m
	case "format":
		o.format = strings.ToLower(v)
	case "key":
		o.key = splitKey(v)
	case "skip":
		o.skip = true
	case "manual":
		o.manual = v
		if o.manual == "" {
			o.manual = "marked manual by the guide's author"
		}
	default:
		return fmt.Errorf("unknown key %q (want file, mode, format, key, skip or manual)", k)
	}
	return nil
}

// splitKey splits a dotted key path ("a.b") into its parts.
func splitKey(v string) []string {
	var key []string
	for _, part := range strings.Split(v, ".") {
		if part = strings.TrimSpace(part); part != "" {
			key = append(key, part)
		}
	}
	return key
}

// splitWords splits on spaces, keeping double-quoted runs (with \" escapes) together.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case c == '"':
			quoted = !quoted
			inWord = true
		case !quoted && (c == ' ' || c == '\t'):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
