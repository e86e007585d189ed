package parser

import (
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	runbook "github.com/runbookdev/runbook"
)

// createProblem says why a block cannot be written as the whole of path, or
// returns "" when it can: a block with a bracketed elision line ("[...]")
// shows only part of the file. Bare "..." lines are left alone, since YAML
// and Python use them.
func createProblem(path string, lines []string) string {
	for _, l := range lines {
		switch strings.TrimSpace(l) {
		case "[...]", "[…]", "(...)", "(…)":
			return fmt.Sprintf("write %s by hand: the block leaves out part of the file (%q), so writing it would lose the rest", path, strings.TrimSpace(l))
		}
	}
	return ""
}

// mergeProblem says why a block cannot be merged into path by structure, or
// returns "" when it can: a block that elides part of the file ("[...]"), or
// one that is not whole JSON or YAML (`"bcrypt": "5.1.0",` cut from a
// package.json), only shows a person what to change.
func mergeProblem(path, format string, lines []string) string {
	for _, l := range lines {
		if runbook.IsElisionLine(l) {
			return fmt.Sprintf("edit %s by hand: the block leaves out part of the file (%q), so it cannot be merged", path, strings.TrimSpace(l))
		}
	}
	text := strings.Join(lines, "\n")
	switch format {
	case "json":
		var v any
		if json.Unmarshal([]byte(text), &v) != nil {
			return fmt.Sprintf("edit %s by hand: the block is not whole JSON, so it cannot be merged", path)
		}
		if _, ok := v.(map[string]any); !ok {
			return fmt.Sprintf("edit %s by hand: the block is not a JSON object, so it cannot be merged", path)
		}
	case "yaml":
		var n yaml.Node
		if yaml.Unmarshal([]byte(text), &n) != nil {
			return fmt.Sprintf("edit %s by hand: the block is not whole YAML, so it cannot be merged", path)
		}
	}
	return ""
}
