package lint

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// checkBadJSON reports JSON content blocks that do not parse. Blocks that
// elide part of the document (`...`) are excerpts, not documents, and are
// left alone.
func checkBadJSON(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	for _, b := range c.blocks {
		t := strings.TrimSpace(b.content)
		if b.format != "json" || t == "" || elidesJSON(b.content) || !strings.ContainsAny(t[:1], "{[") {
			continue // an excerpt of members ("key": value) is not a document
		}
		var v any
		err := json.Unmarshal([]byte(b.content), &v)
		if err == nil {
			continue
		}
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = strings.Count(b.content[:min(int(se.Offset), len(b.content))], "\n")
			// The decoder reports the offset after the offending byte; a
			// newline there belongs to the line before.
			if se.Offset > 0 && b.content[se.Offset-1] == '\n' {
				line--
			}
		}
		out = append(out, warn(b.at(line), "bad-json", fmt.Sprintf("JSON does not parse: %s.", jsonReason(err))))
	}
	return out
}

// elidesJSON reports whether a JSON block leaves things out with an elision
// outside a string, such as a line "..." or `{ ... }`.
func elidesJSON(content string) bool {
	for _, l := range strings.Split(content, "\n") {
		if runbook.IsElisionLine(l) {
			return true
		}
		t := stripJSONStrings(l)
		if strings.Contains(t, "...") || strings.Contains(t, "…") {
			return true
		}
	}
	return false
}

// stripJSONStrings blanks out double-quoted strings so that what remains is
// the structure of the line.
func stripJSONStrings(l string) string {
	var sb strings.Builder
	in, esc := false, false
	for _, r := range l {
		switch {
		case esc:
			esc = false
		case in && r == '\\':
			esc = true
		case r == '"':
			in = !in
		case !in:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// jsonReason words a decoder error for a person.
func jsonReason(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return strings.TrimSuffix(msg, ".")
}
