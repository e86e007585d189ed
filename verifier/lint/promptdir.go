package lint

import (
	"fmt"
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// dirTracker follows the working directory through one console block from
// the prompt of its first command and the cd commands typed since.
type dirTracker struct {
	home   string // "/home/USER"; "~" in a prompt
	dir    string // an absolute path, "?/NAME" when only the last element is known, "" when unknown
	user   string
	host   string
	cdLine int    // line of the last cd that set dir; 0 when dir comes from a prompt
	cdText string // that cd, as typed
	// told is set once a prompt after that cd was reported, so a block
	// that keeps the wrong prompt after one cd yields one finding.
	told bool
}

// checkPromptDir reports prompts whose directory does not follow from the
// prompt and the cd commands before it in the same console block, closing
// prompts that contradict the last cd, and prompts that show no directory
// at all. Each block starts fresh at the directory its first prompt shows,
// because authors restart blocks at `~`.
func checkPromptDir(c *context) []runbook.Diagnostic {
	var out []runbook.Diagnostic
	cmds := c.commands()
	var t *dirTracker
	var blind noDir
	for i, cmd := range cmds {
		if cmd.First || t == nil || cmd.Prompt.User != t.user || cmd.Prompt.Host != t.host {
			out = append(out, blind.finding()...)
			t, blind = newDirTracker(cmd.Prompt), noDir{}
			if cmd.First && c.unheardOf(cmd) {
				out = append(out, warn(cmd.Pos, "prompt-dir", fmt.Sprintf(
					"Prompt shows directory %q, which nothing before it in the guide names, creates or enters.", cmd.Prompt.Dir)))
				t.dir = "" // the next prompt is taken as it is, not reported again
			}
		} else if msg := t.check(cmd.Prompt.Dir); msg != "" {
			out = append(out, warn(cmd.Pos, "prompt-dir", msg))
		}
		blind.see(cmd.Prompt, cmd.Pos, "`"+firstLine(cmd.Text)+"` runs")
		t.run(cmd)
		if cl := cmd.Closing; cl != nil && (i+1 == len(cmds) || cmds[i+1].First) {
			if d := closingFinding(t, cl); d != nil {
				out = append(out, *d)
			}
			where := "the shell is after the block"
			if t.dir != "" && t.cdLine > 0 {
				where += fmt.Sprintf(" (%q, after `%s` on line %d)", t.shown(), t.cdText, t.cdLine)
			}
			blind.see(cl.Prompt, cl.Pos, where)
		}
	}
	return append(out, blind.finding()...)
}

// closingFinding reports a block's closing prompt whose directory
// contradicts the last cd in the block (synapse.rst:164 shows `~` after
// `cd ~/synapse`). A closing prompt of another user is no measure.
func closingFinding(t *dirTracker, cl *runbook.Closing) *runbook.Diagnostic {
	if cl.User != t.user || cl.Host != t.host || t.cdLine == 0 {
		return nil // without a cd since the last prompt, check would only adopt the closing one
	}
	msg := t.check(cl.Dir)
	if msg == "" {
		return nil
	}
	d := warn(cl.Pos, "prompt-dir", "Closing prompt s"+msg[len("Prompt s"):])
	return &d
}

// noDir gathers the prompts of one block that show no directory
// (`[isabell@stardust]$`), so that a block gets one finding, not one per line.
type noDir struct {
	first runbook.Pos
	shown string // the first such prompt as written
	what  string // what the reader cannot locate, e.g. "`cd ~/x` runs"
	more  int
}

// see notes a prompt of the block if it has a user and host but no directory.
func (n *noDir) see(p runbook.Prompt, pos runbook.Pos, what string) {
	if p.User == "" || p.Host == "" || p.Dir != "" {
		return
	}
	if n.shown != "" {
		n.more++
		return
	}
	n.first, n.shown, n.what = pos, "["+p.User+"@"+p.Host+"]$", what
}

// finding is the block's one prompt-no-dir finding, if it had such prompts.
func (n *noDir) finding() []runbook.Diagnostic {
	if n.shown == "" {
		return nil
	}
	msg := fmt.Sprintf("Prompt %q shows no directory, so a reader cannot tell where %s; write [%s DIR]$.",
		n.shown, n.what, strings.TrimSuffix(strings.TrimPrefix(n.shown, "["), "]$"))
	if n.more > 0 {
		msg += fmt.Sprintf(" The block has %d more such prompts.", n.more)
	}
	return []runbook.Diagnostic{warn(n.first, "prompt-no-dir", msg)}
}

func newDirTracker(p runbook.Prompt) *dirTracker {
	user := p.User
	if user == "" {
		user = "isabell"
	}
	t := &dirTracker{home: "/home/" + user, user: p.User, host: p.Host}
	t.adopt(p.Dir)
	return t
}

// adopt takes the directory a prompt shows as the truth from here on.
func (t *dirTracker) adopt(d string) {
	t.cdLine, t.cdText, t.told = 0, "", false
	switch {
	case d == "":
		t.dir = ""
	case d == "~":
		t.dir = t.home
	case strings.HasPrefix(d, "~/"):
		t.dir = path.Join(t.home, d[2:])
	case strings.HasPrefix(d, "/"):
		t.dir = path.Clean(d)
	default:
		t.dir = "?/" + d
	}
}

// shown is the directory as a prompt shows it: `~` for home, else the last element.
func (t *dirTracker) shown() string {
	switch {
	case t.dir == t.home:
		return "~"
	case t.dir == "/":
		return "/"
	}
	return path.Base(t.dir)
}

// check compares a documented prompt directory with the tracked one and
// returns a sentence when they disagree; afterwards the prompt is adopted so
// that one mistake is reported once.
func (t *dirTracker) check(d string) string {
	if d == "" || t.dir == "" {
		if d != "" {
			t.adopt(d)
		}
		return ""
	}
	want := t.shown()
	ok := d == want || path.Base(strings.TrimSuffix(d, "/")) == want || path.Clean(d) == t.dir ||
		(d == "~" && t.dir == t.home) || strings.HasSuffix(t.dir, "/"+strings.TrimPrefix(d, "~/"))
	if ok || t.told {
		return ""
	}
	var msg string
	if t.cdLine > 0 {
		msg = fmt.Sprintf("Prompt shows directory %q but `%s` on line %d leads to %q.", d, t.cdText, t.cdLine, want)
	} else {
		msg = fmt.Sprintf("Prompt shows directory %q but the prompt before it shows %q and no cd came between.", d, want)
	}
	if t.cdLine == 0 {
		t.adopt(d) // one wrong prompt is reported once, not again at the next
	} else {
		t.told = true
	}
	return msg
}

// run follows the cd commands in a command line; anything it cannot follow
// makes the directory unknown rather than guessed.
func (t *dirTracker) run(cmd *runbook.Command) {
	first, _, _ := strings.Cut(cmd.Text, "\n")
	first = strings.TrimSpace(strings.TrimSuffix(first, "\\"))
	if strings.HasPrefix(first, "(") {
		return // a subshell: its cd does not outlive it
	}
	for _, seg := range splitShell(first) {
		f := strings.Fields(seg)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "cd", "pushd":
			args := f[1:]
			for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
				args = args[1:]
			}
			arg := ""
			if len(args) > 0 {
				arg = args[0]
			}
			t.dir = t.resolve(arg)
			t.cdLine, t.cdText, t.told = cmd.Pos.Line, strings.TrimSpace(seg), false
		case "popd", "source", ".", "exec", "exit", "logout", "su", "sudo", "ssh", "bash", "sh", "newgrp":
			t.dir, t.cdLine = "", 0
		}
	}
}

// shellSeparators marks the operators splitShell splits at.
var shellSeparators = strings.NewReplacer("&&", "\x00", "||", "\x00", ";", "\x00")

// splitShell splits a command line at the operators that run one command
// after another; a segment in a pipeline runs in a subshell and is dropped.
func splitShell(s string) []string {
	s = shellSeparators.Replace(s)
	var out []string
	for _, seg := range strings.Split(s, "\x00") {
		if !strings.Contains(seg, "|") {
			out = append(out, seg)
		}
	}
	return out
}

// resolve works out where `cd arg` leads from the tracked directory.
func (t *dirTracker) resolve(arg string) string {
	arg = strings.Trim(arg, `"'`)
	for _, h := range []string{"$HOME", "${HOME}"} {
		if arg == h || strings.HasPrefix(arg, h+"/") {
			arg = "~" + arg[len(h):]
		}
	}
	user := path.Base(t.home)
	arg = strings.NewReplacer("${USER}", user, "$USER", user).Replace(arg)
	switch {
	case arg == "" || arg == "~":
		return t.home
	case strings.ContainsAny(arg, "$`*?[") || arg == "-" || (strings.HasPrefix(arg, "~") && !strings.HasPrefix(arg, "~/")):
		return ""
	case strings.HasPrefix(arg, "~/"):
		return path.Join(t.home, arg[2:])
	case strings.HasPrefix(arg, "/"):
		return path.Clean(arg)
	case t.dir == "":
		return ""
	case strings.HasPrefix(t.dir, "?/"):
		if strings.Contains(arg, "..") {
			return ""
		}
		return "?/" + path.Base(arg)
	}
	return path.Join(t.dir, arg)
}

// unheardOf reports whether the directory a block starts in is named
// nowhere in the guide before the block (nor in any include): authors
// restart blocks in directories the reader has seen, so a name never seen
// is a typo ("pardtb" for "partdb"). It needs the source.
func (c *context) unheardOf(cmd *runbook.Command) bool {
	d := cmd.Prompt.Dir
	lines, ok := c.lines[cmd.Pos.File]
	if d == "" || d == "~" || !ok || cmd.Pos.File != c.g.Name {
		return false
	}
	name := path.Base(strings.TrimSuffix(d, "/"))
	for _, l := range lines[:min(cmd.Pos.Line-1, len(lines))] {
		if strings.Contains(l, name) {
			return false
		}
	}
	for file, ls := range c.lines {
		if file != cmd.Pos.File && strings.Contains(strings.Join(ls, "\n"), name) {
			return false
		}
	}
	return true
}
