package parser

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// formatOf names a content block's format: from its language, else from the
// file's extension, else sniffed from the content (sniffed is sniff's result,
// computed once per block).
func formatOf(lang, file, sniffed string) string {
	lf, ef := langFormat(lang), extFormat(file)
	if lf != "" && ef != "" && lf != ef && sniffed == ef {
		return ef // a yaml file shown in an "ini" block is still yaml
	}
	if lf != "" {
		return lf
	}
	if ef != "" {
		return ef
	}
	if sniffed != "" {
		return sniffed
	}
	if path.Ext(file) == ".conf" {
		return "conf"
	}
	return "text"
}

// langFormat maps a block language to a file format; console and plain
// text say nothing about the file.
func langFormat(lang string) string {
	switch l := strings.ToLower(lang); l {
	case "", "console", "shell-session", "sh-session", "none", "text", "guess", "default", "rst", "output", "plain", "txt":
		return ""
	case "yml", "yaml":
		return "yaml"
	case "json", "json5", "javascript+json":
		return "json"
	case "ini", "dosini", "cfg", "supervisord":
		return "ini"
	case "bash", "sh", "shell", "zsh":
		return "bash"
	case "apacheconf", "apache", "htaccess":
		return "apache"
	case "js":
		return "javascript"
	case "py", "python3":
		return "python"
	default:
		return l
	}
}

// extFormat maps a file name to a format; "" when the name does not say.
func extFormat(file string) string {
	base := path.Base(file)
	if base == ".htaccess" {
		return "apache"
	}
	switch path.Ext(base) {
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".ini", ".cfg":
		return "ini"
	case ".php":
		return "php"
	case ".toml":
		return "toml"
	case ".xml":
		return "xml"
	case ".sh":
		return "bash"
	case ".py":
		return "python"
	case ".js":
		return "javascript"
	case ".env":
		return "env"
	case ".service":
		return "systemd"
	}
	return ""
}

var (
	reINISection = regexp.MustCompile(`^\[[^\]\s][^\]]*\]$`)
	reYAMLKey    = regexp.MustCompile(`^\s*(- )?[\w."'-]+:(\s|$)`)
)

// sniff guesses the format of content: JSON that parses, INI with a
// [section] first, or YAML that parses to a mapping or list.
func sniff(lines []string) string {
	text := strings.Join(lines, "\n")
	t := strings.TrimSpace(text)
	if (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && json.Valid([]byte(t)) {
		return "json"
	}
	first := ""
	keys := 0
	for _, l := range lines {
		lt := strings.TrimSpace(l)
		if lt == "" || strings.HasPrefix(lt, "#") || strings.HasPrefix(lt, ";") {
			continue
		}
		if first == "" {
			first = lt
		}
		if reYAMLKey.MatchString(l) {
			keys++
		}
	}
	if reINISection.MatchString(first) {
		return "ini"
	}
	if keys > 0 && parsesAsYAMLCollection(text) {
		return "yaml"
	}
	return ""
}

// parsesAsYAMLCollection reports whether text is a yaml mapping or list.
// yaml.v3 has panicked on hostile input before; a sniff must not take the
// parser down, so a panic counts as "not yaml".
func parsesAsYAMLCollection(text string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	var v any
	if yaml.Unmarshal([]byte(text), &v) != nil {
		return false
	}
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}
