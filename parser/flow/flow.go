// Package flow finds the values that flow between the steps of a guide: a
// long generated value (a hash, key, token or id) that one step's
// documented output shows and a later step types, writes or runs
// literally. hash_password prints a bcrypt hash that synapse's UPDATE
// stores; a real run prints another hash, and the runner puts that one
// into the UPDATE (runbook.Flow).
package flow

import (
	"regexp"
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

var (
	// reCrypt is a crypt(3)-style hash: $2b$12$…, $6$salt$…, $argon2id$….
	reCrypt = regexp.MustCompile(`^\$(?:2[abxy]?|1|5|6|y|7|argon2(?:id|i|d)|pbkdf2[-\w]*|scrypt|sha\d*)\$[A-Za-z0-9./$=+,_-]{16,}$`)
	// reHex is a hex digest or id of 16 digits or more, or a UUID.
	reHex = regexp.MustCompile(`^(?:[0-9a-f]{16,}|[0-9A-F]{16,}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`)
	// reToken is a random token in base64, base64url or base62.
	reToken = regexp.MustCompile(`^[A-Za-z0-9+/_-]{20,}={0,2}$`)
	// reWord finds the candidate words of a line: runs of the characters
	// these values are made of, = and , included for crypt's parameters
	// ($6$rounds=5000$…); a run that is no value is split at them
	// (key=value).
	reWord = regexp.MustCompile(`[A-Za-z0-9$./+_=,-]+`)
)

// Value reports whether s looks like a value a program generated (a hash,
// key, token or id) rather than a word, a name, a number or a path: only
// such a value is worth capturing, and only it is safe to look for in
// later steps literally.
func Value(s string) bool {
	if reCrypt.MatchString(s) {
		return true
	}
	if reHex.MatchString(s) {
		return strings.ContainsAny(s, "0123456789") && strings.ContainsAny(strings.ToLower(s), "abcdef")
	}
	if !reToken.MatchString(s) {
		return false
	}
	return strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") &&
		strings.ContainsAny(s, "0123456789")
}

// words returns the candidate values in a line, trimmed of the punctuation
// that ends a sentence or a quoted path. A run that is no value itself is
// split at commas, and a part at its first = (key=value, keeping a
// base64 value's padding).
func words(line string) []string {
	var out []string
	add := func(w string) bool {
		w = strings.TrimRight(w, ".,-")
		if Value(w) {
			out = append(out, w)
			return true
		}
		return false
	}
	for _, run := range reWord.FindAllString(line, -1) {
		if add(run) {
			continue
		}
		for _, part := range strings.Split(run, ",") {
			if !add(part) {
				if _, v, ok := strings.Cut(part, "="); ok {
					add(v)
				}
			}
		}
	}
	return out
}

// Contains reports whether text holds v as a whole value, not as part of a
// longer run of the characters values are made of.
func Contains(text, v string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], v)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(v)
		if (start == 0 || !valueByte(text[start-1])) && (end == len(text) || !valueByte(text[end]) || text[end] == '.') {
			return true
		}
		i = start + 1
	}
}

// valueByte reports whether b can be part of a value Value accepts.
func valueByte(b byte) bool {
	return runbook.IsWordByte(b) || strings.IndexByte("$./+=,-", b) >= 0
}

// Detect finds the flows of g: for each value a command's documented output
// shows first (not one the guide typed or wrote before, which the output
// only echoes, and not a parameter's example, which has a value of its
// own), the later steps that type it (a command, a visible answer, a line
// into a REPL) or write it (a file's path or content). A value no later
// step repeats is no flow. A value from a step that reads a hidden answer
// is Secret: a hash of a password is not the password, but it lets anyone
// who has it try passwords offline, so it is kept out of output like one.
func Detect(g *runbook.Guide) []runbook.Flow {
	if g == nil {
		return nil
	}
	var flows []runbook.Flow
	seen := map[string]bool{} // values typed, written or shown so far
	for _, st := range g.Steps {
		typed := inputs(st)
		for i := range flows {
			if f := &flows[i]; slices.ContainsFunc(typed, func(t string) bool { return Contains(t, f.Example) }) {
				f.To = append(f.To, st.Head().ID)
			}
		}
		for _, t := range typed {
			for _, w := range words(t) {
				seen[w] = true
			}
		}
		if c, ok := st.(*runbook.Command); ok {
			flows = append(flows, outputs(c, seen, g.Params)...)
		}
	}
	var out []runbook.Flow
	for _, f := range flows {
		if len(f.To) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// inputs are the texts a step types or writes.
func inputs(st runbook.Step) []string {
	switch s := st.(type) {
	case *runbook.Command:
		texts := []string{s.Text}
		for _, a := range s.Answers {
			if !a.Secret() && a.Text != "" {
				texts = append(texts, a.Text)
			}
		}
		return texts
	case *runbook.File:
		return []string{s.Path, s.Content}
	}
	return nil
}

// outputs are the new values c's documented output shows, as flows with no
// steps to go to yet; each value is noted in seen.
func outputs(c *runbook.Command, seen map[string]bool, ps []runbook.Param) []runbook.Flow {
	answered := map[int]bool{}
	hidden := false
	for _, a := range c.Answers {
		answered[a.Line] = true
		hidden = hidden || a.Secret()
	}
	var flows []runbook.Flow
	for i, line := range c.Expect {
		if answered[i] {
			continue // what was typed at a prompt, not what the program printed
		}
		for _, w := range words(line) {
			if seen[w] || ofParam(w, ps) {
				continue
			}
			seen[w] = true
			flows = append(flows, runbook.Flow{Example: w, From: c.ID, Line: i, Secret: hidden})
		}
	}
	return flows
}

// ofParam reports whether w holds a parameter's example, which is
// substituted as a parameter already.
func ofParam(w string, ps []runbook.Param) bool {
	for _, p := range ps {
		if p.Example != "" && strings.Contains(w, p.Example) {
			return true
		}
	}
	return false
}
