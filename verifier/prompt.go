package verifier

import (
	"fmt"
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/udiff"
)

// checkPrompt compares the documented prompt directory with the shell's
// $PWD and returns a sentence when they disagree.
func checkPrompt(cmd *runbook.Command, out *runbook.Outcome, opts Options) string {
	doc := cmd.Prompt.Dir
	pwd := opts.Before
	if pwd == "" {
		if changesDir(cmd.Text) {
			return ""
		}
		pwd = out.Dir
	}
	if doc == "" || pwd == "" {
		return ""
	}
	if DirMatches(doc, pwd, opts.Home) {
		return ""
	}
	return fmt.Sprintf("prompt shows %s but the shell is in %s", doc, tildePath(pwd, opts.Home))
}

// DirMatches reports whether a prompt's DIR fits the working directory pwd:
// "~" is home, a bare name is the last element (bash's \W), and a longer
// path must be pwd itself or its tail.
func DirMatches(doc, pwd, home string) bool {
	pwd = path.Clean(pwd)
	if home != "" {
		home = path.Clean(home)
	}
	switch {
	case doc == "~":
		return home == "" || pwd == home
	case strings.HasPrefix(doc, "~/"):
		if home == "" {
			return strings.HasSuffix(pwd, doc[1:])
		}
		return pwd == path.Join(home, doc[2:])
	case strings.HasPrefix(doc, "/"):
		return pwd == path.Clean(doc)
	case strings.Contains(doc, "/"):
		return strings.HasSuffix(pwd, "/"+strings.TrimSuffix(doc, "/"))
	}
	return path.Base(pwd) == doc || (pwd == home && doc == path.Base(home))
}

// ShownDir is a directory as the guides' prompt shows it, like bash's \W:
// "~" for home, else the last element.
func ShownDir(dir, home string) string {
	dir, home = path.Clean(dir), path.Clean(home)
	if dir == home {
		return "~"
	}
	return path.Base(dir)
}

// tildePath shows pwd the way a prompt would, with home as ~.
func tildePath(pwd, home string) string {
	pwd = path.Clean(pwd)
	if home == "" {
		return pwd
	}
	home = path.Clean(home)
	if pwd == home {
		return "~"
	}
	if rest, ok := strings.CutPrefix(pwd, home+"/"); ok {
		return "~/" + rest
	}
	return pwd
}

// changesDir reports a command that may change the shell's directory, so
// that $PWD after it says nothing about the prompt before it.
func changesDir(text string) bool {
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ';' || r == '&' || r == '|' || r == '\n' || r == '(' || r == ')'
	}) {
		w := strings.Fields(f)
		if len(w) > 0 && (w[0] == "cd" || w[0] == "pushd" || w[0] == "popd" || w[0] == "source" || w[0] == ".") {
			return true
		}
	}
	return false
}

// checkClosing compares the directory of the block's closing bare prompt
// with where the shell is after the block's last command. A mismatch is
// drift: the guide tells the reader the shell is somewhere it is not. It
// returns the sentence and a one-line diff headed at the prompt's line.
func checkClosing(cmd *runbook.Command, out *runbook.Outcome, opts Options) (string, string) {
	cl := cmd.Closing
	if cl == nil || cl.Dir == "" || out.Dir == "" || !sameShell(cl.Prompt, cmd.Prompt) {
		return "", ""
	}
	if DirMatches(cl.Dir, out.Dir, opts.Home) {
		return "", ""
	}
	actual := cl.Prompt
	actual.Dir = shownLike(cl.Dir, out.Dir, opts.Home)
	msg := fmt.Sprintf("the closing prompt at %s shows %s but the shell is in %s", cl.Pos, cl.Dir, tildePath(out.Dir, opts.Home))
	diff := udiff.Unified([]udiff.Line{
		{Op: udiff.Delete, Text: PromptText(cl.Prompt), Old: cl.Pos.Line},
		{Op: udiff.Insert, Text: PromptText(actual), New: 1},
	}, udiff.Options{Title: cl.Pos.String() + ": documented=-, actual=+", Context: diffContext, FullRanges: true})
	return msg, diff
}

// promptNotes tell where the shell was when a prompt shows no directory
// (`[isabell@stardust]$`): the reader cannot tell, so the report does.
// That is a note, not drift: nothing the guide says is wrong, and `run`,
// which stops at the first drift, must not stop an admin for it; `lint`
// reports the prompt to the maintainer.
func promptNotes(cmd *runbook.Command, out *runbook.Outcome, opts Options) []string {
	var notes []string
	if p := cmd.Prompt; p.User != "" && p.Host != "" && p.Dir == "" {
		where := opts.Before
		if where == "" && !changesDir(cmd.Text) {
			where = out.Dir
		}
		if where != "" {
			notes = append(notes, fmt.Sprintf("the prompt shows no directory; the command ran in %s", tildePath(where, opts.Home)))
		}
	}
	if cl := cmd.Closing; cl != nil && cl.User != "" && cl.Host != "" && cl.Dir == "" && out.Dir != "" && sameShell(cl.Prompt, cmd.Prompt) {
		notes = append(notes, fmt.Sprintf("the closing prompt at %s shows no directory; the shell is in %s", cl.Pos, tildePath(out.Dir, opts.Home)))
	}
	return notes
}

// sameShell reports whether two prompts are of the same user on the same
// host; after `su` or `ssh` the directory of the other is no measure.
func sameShell(a, b runbook.Prompt) bool {
	return a.User == b.User && a.Host == b.Host
}

// shownLike shows dir the way the documented prompt shows its directory:
// a path when it shows one, else like bash's \W.
func shownLike(doc, dir, home string) string {
	if strings.Contains(doc, "/") {
		return tildePath(dir, home)
	}
	if home == "" {
		return path.Base(path.Clean(dir))
	}
	return ShownDir(dir, home)
}

// PromptText renders a prompt as the guides write it: `[isabell@stardust ~]$`,
// with its virtualenv and `#` for root; `[isabell@stardust]$` with no directory.
func PromptText(p runbook.Prompt) string {
	sigil := "$"
	if p.Root {
		sigil = "#"
	}
	var b strings.Builder
	if p.Venv != "" {
		b.WriteString("(" + p.Venv + ") ")
	}
	b.WriteString("[" + p.User + "@" + p.Host)
	if p.Dir != "" {
		b.WriteString(" " + p.Dir)
	}
	b.WriteString("]" + sigil)
	return b.String()
}
