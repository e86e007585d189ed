package transcript

import (
	"regexp"
	"strings"
)

// IsSession reports whether a block (its dedented lines) is a console
// session rather than file content. The rule, checked against the lab guides:
//   - a bracket, login or PowerShell prompt anywhere makes a session;
//   - a bare "$ cmd" makes a session only as the block's first non-blank line;
//   - a bare "# cmd" makes a session only as the first non-blank line, when
//     the command reads like one (not "#!", not a sentence such as
//     "# update synapse and restart the service", not a "key:" line) and the
//     block either ends with a bare "#" prompt or starts with a well-known
//     command. Scripts and ini/yaml files full of "# comments" stay content.
func IsSession(lines []string) bool {
	return sessionStyle(lines) != noSession
}

// style is what kind of session a block is, which decides which prompt shapes count.
type style int

const (
	noSession   style = iota
	normalStyle       // bracket/login/PS prompts; "$ " lines count too
	hashStyle         // a root session of bare "# " prompts
)

// sessionStyle applies the IsSession rule.
func sessionStyle(lines []string) style {
	return styleOf(lines, nil, nil, nil)
}

// styleOf applies the IsSession rule, with the lines' prompts when the
// caller has parsed them already (parsed nil: parse as needed, through memo
// when it is not nil).
func styleOf(lines []string, prompts []prompt, parsed []bool, memo map[string]*promptLine) style {
	at := func(i int) (prompt, bool) {
		if parsed != nil {
			return prompts[i], parsed[i]
		}
		return parsePromptMemo(lines[i], memo)
	}
	first, last := -1, -1
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return noSession
	}
	if k := afterComments(lines, first); k > first && k < len(lines) {
		// "# install the binaries" above "$ tar …": a comment for the
		// reader, then the session (Markdown docs often open so).
		if p, ok := at(k); ok && p.kind == dollarPrompt && p.command != "" {
			return normalStyle
		}
	}
	if p, ok := at(first); ok {
		switch p.kind {
		case dollarPrompt:
			if p.command != "" {
				return normalStyle
			}
		case hashPrompt:
			if lp, lok := at(last); rootSession(p.command, lp, lok) {
				return hashStyle
			}
		default:
			return normalStyle
		}
	}
	for i := first; i < len(lines); i++ {
		if p, ok := at(i); ok && p.kind != dollarPrompt && p.kind != hashPrompt {
			return normalStyle
		}
	}
	return noSession
}

// afterComments returns the index of the first line from i on that is
// neither blank nor a "#" comment.
func afterComments(lines []string, i int) int {
	for i < len(lines) && (isComment(lines[i]) || strings.TrimSpace(lines[i]) == "") {
		i++
	}
	return i
}

// isComment reports whether a line is a "# text" comment (or a bare "#"),
// not a "#!" line.
func isComment(line string) bool {
	t := strings.TrimSpace(line)
	return t == "#" || strings.HasPrefix(t, "# ") || strings.HasPrefix(t, "#\t")
}

// commandWord is how a shell command starts: a program name or a path.
var commandWord = regexp.MustCompile(`^(?:[a-z][a-z0-9_.+-]*|\.{0,2}/[\w./-]+|~/[\w./-]+)$`)

// rootCommands are programs that are run as root in the wild; a "# cmd" line
// starting with one of these opens a root session even without a closing prompt.
var rootCommands = map[string]bool{
	"apt": true, "apt-get": true, "dnf": true, "yum": true, "systemctl": true, "service": true,
	"useradd": true, "adduser": true, "usermod": true, "chown": true, "chmod": true, "cd": true,
	"ls": true, "cat": true, "mkdir": true, "echo": true, "su": true, "sudo": true, "cp": true,
	"mv": true, "rm": true, "ln": true, "curl": true, "wget": true, "pip": true, "pip3": true,
	"make": true, "git": true, "tar": true, "journalctl": true, "docker": true, "nginx": true,
}

// proseWords mark a "# " line as an English comment rather than a command.
var proseWords = map[string]bool{
	"the": true, "a": true, "an": true, "and": true, "or": true, "to": true, "your": true,
	"if": true, "is": true, "of": true, "for": true, "this": true, "with": true, "it": true,
	"be": true, "are": true, "not": true, "you": true, "we": true, "in": true, "on": true,
}

// rootSession decides whether a first line "# cmd" opens a root session;
// last is the block's last line as a prompt.
func rootSession(cmd string, last prompt, lastOK bool) bool {
	fields := strings.Fields(cmd)
	if len(fields) == 0 || !commandWord.MatchString(fields[0]) {
		return false
	}
	prose := 0
	for _, f := range fields {
		if proseWords[strings.ToLower(f)] {
			prose++
		}
	}
	if prose > 0 && !strings.ContainsAny(cmd, "-/=|<>$\"'") {
		return false
	}
	if lastOK && last.kind == hashPrompt && last.command == "" {
		return true
	}
	return rootCommands[fields[0]]
}

// promptLike matches a line that starts with something a terminal shows
// before what a person types: "me@box:~/src (main) $ make", a REPL's
// ">>> " or "sqlite> ", "C:\> dir". It is looser than the prompt grammar:
// it only says that a block is a session of some kind, never its commands.
var promptLike = regexp.MustCompile(`^((?:\S*@[^\s$#%>]*(?:[ \t]+[^\s$#%>]+){0,3}[ \t]*[$#%>]|>>>|sqlite>|mysql>|[A-Za-z_][\w.-]*[=-][>#]|irb\([^)]*\)[\d:]*>|iex\(\d+\)>|redis[\w.:-]*>|[A-Za-z]:\\[^>]*>))[ \t]+\S`)

// LooksInteractive reports whether a block that is not a session of known
// prompts still reads as a terminal session of unknown ones: its first line
// and at least a third of its lines look like prompts with something typed
// after them. Such a block is never file content. It returns the first
// line's prompt, for messages.
func LooksInteractive(lines []string) (string, bool) {
	first, n, like := "", 0, 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		n++
		m := promptLike.FindStringSubmatch(t)
		if m != nil {
			like++
		}
		if n == 1 {
			if m == nil {
				return "", false
			}
			first = m[1]
		}
	}
	if n == 0 || like*3 < n {
		return "", false
	}
	return first, true
}
