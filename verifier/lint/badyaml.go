package lint

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"gopkg.in/yaml.v3"
)

// yamlLine finds the line number yaml.v3 puts in its messages.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// checkBadYAML reports YAML content blocks that do not parse. Fragments are
// fine as long as they parse on their own (a list item, a mapping);
// placeholders inside quotes are plain strings to YAML.
func checkBadYAML(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	for _, b := range c.blocks {
		if b.format != "yaml" || strings.TrimSpace(b.content) == "" || hasElision(b.content) {
			continue
		}
		err := parseYAMLStream(b.content)
		if err == nil {
			continue
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = n - 1
			msg = strings.TrimPrefix(err.Error(), m[0])
		}
		out = append(out, warn(b.at(line), "bad-yaml", fmt.Sprintf("YAML does not parse: %s.", msg)))
	}
	return out
}

// parseYAMLStream parses every document of a YAML stream, so that an error
// after a `---` is found too.
func parseYAMLStream(content string) error {
	dec := yaml.NewDecoder(strings.NewReader(content))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
