package parser

import (
	"regexp"
	"strings"
)

// The prose can say what to type at a hidden prompt: "Use
// “MySuperSecretPassword“ as the password:", "enter the password
// “hunter22“", "“s3cret“ for the admin password". That literal is the
// prompt's example value; params makes it the secret the prompt types.

// reAsSecret follows a literal that is the secret: "as the password", "as your new passphrase".
var reAsSecret = regexp.MustCompile(`(?i)^\s*(?:as|for)\s+(?:a\s+|an\s+|the\s+|your\s+|our\s+)?(?:new\s+)?(?:[\w-]+\s+)?(?:password|passphrase|passwort|kennwort|pass phrase)\b`)

// reSecretBefore precedes a literal that is the secret: "the password", "password:", "password is".
var reSecretBefore = regexp.MustCompile(`(?i)\b(?:password|passphrase|passwort|kennwort|pass phrase)\s*(?::|=|is|of)?\s*$`)

// proseSecret returns the literal a paragraph says to type as a password,
// or "". A path, a URL, a placeholder or a command is never one.
func proseSecret(text string) string {
	if !strings.Contains(text, "`") {
		return ""
	}
	lower := asciiLower(text)
	if !strings.Contains(lower, "pass") && !strings.Contains(lower, "kennwort") {
		return ""
	}
	found := ""
	for _, sp := range codeSpans(text) {
		t := strings.TrimSpace(sp.text)
		if !secretLiteral(t) {
			continue
		}
		a, e := sentenceAround(text, sp.start)
		if reAsSecret.MatchString(text[sp.end:e]) || reSecretBefore.MatchString(text[a:sp.start]) {
			found = t // the last one the prose names wins, as for files
		}
	}
	return found
}

// secretLiteral reports whether code-span text can be a typed secret.
func secretLiteral(t string) bool {
	if t == "" || len(t) > 64 || strings.ContainsAny(t, " \t") || strings.Contains(t, "://") ||
		looksLikePath(t) || strings.HasPrefix(t, "<") || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "$") {
		return false
	}
	return true
}
