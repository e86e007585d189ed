package executor

import (
	"fmt"
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/udiff"
)

// unifiedDiff renders the change from old to new as a unified diff headed by
// the path (from names the old side: /dev/null for a file that does not
// exist yet). Each line goes through redact (when not nil) and then has the
// values of keys that name a password, secret, token or key masked (see
// MaskKeyedSecrets), on both sides.
func unifiedDiff(path string, old, new []byte, from string, redact func(string) string) string {
	lines := udiff.Texts(string(old), string(new))
	for i := range lines {
		if redact != nil {
			lines[i].Text = redact(lines[i].Text)
		}
		lines[i].Text = MaskKeyedSecrets(lines[i].Text)
	}
	return udiff.Unified(lines, udiff.Options{From: from, To: path, Context: udiff.DefaultContext})
}

// keyedValue finds a value given to a key whose name says it is secret, in
// the forms config files use: `password: "x"`, `SECRET_KEY = x`,
// `"api_token": "x"`, `SYNCV3_SECRET=x,` and `password=x` inside a
// connection string, and PHP's define('DB_PASSWORD', 'x'). The word must end the key or a part of it
// (macaroon_secret_key, not tokenizer or passenger_enabled).
var keyedValue = regexp.MustCompile(`(?i)((?:^|[\s"'(,{;=])[\w.-]*(?:pass(?:word|wd|phrase)?|secrets?|tokens?|api[_-]?keys?|private[_-]?keys?|signing[_-]?keys?|salt)(?:[_.-][\w.-]*)?["']?\s*(?:[:=]|,)\s*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s,;"'#]+)`)

// MaskKeyedSecrets masks the values of secret-named keys in one line of a
// file: the secrets runbook does not know, such as those Synapse generates
// into homeserver.yaml before a dry run shows a merge into it. Quotes are
// kept; an empty value, a reference ($VAR, ${VAR}, %(ENV_X)s, <x>, {{x}}),
// a path and a boolean are not secrets and stay.
func MaskKeyedSecrets(line string) string {
	if !keyedValue.MatchString(line) {
		return line
	}
	return keyedValue.ReplaceAllStringFunc(line, func(m string) string {
		sub := keyedValue.FindStringSubmatch(m)
		key, value := sub[1], sub[2]
		inner, q := value, ""
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') {
			inner, q = value[1:len(value)-1], value[:1]
		}
		if !secretValue(inner) {
			return m
		}
		return key + q + runbook.Mask + q
	})
}

// secretValue reports whether a value given to a secret-named key may be
// the secret itself rather than a reference to it or a setting.
func secretValue(v string) bool {
	switch strings.ToLower(v) {
	case "", "true", "false", "yes", "no", "null", "none", "~":
		return false
	}
	if v == runbook.Mask || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "~/") || strings.HasPrefix(v, "./") {
		return false
	}
	return !strings.HasPrefix(v, "$") && !strings.HasPrefix(v, "%(") && !strings.HasPrefix(v, "<") && !strings.HasPrefix(v, "{{")
}

// fromLabel names the old side of a dry run's diff.
func fromLabel(c *fileChange) string {
	switch {
	case c.earlier > 0:
		return fmt.Sprintf("%s (as step %d of this dry run leaves it)", c.shown, c.earlier)
	case c.info == nil:
		return "/dev/null"
	}
	return c.shown
}
