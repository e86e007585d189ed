// Package update rewrites a guide's documented output from a real run: the
// output of each drifted command is replaced by what the command printed,
// with the real values turned back into the guide's examples, secrets
// redacted, and the documented elisions and volatile values kept wherever
// they still match. Everything else in the file stays byte for byte.
package update

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser/transcript"
	"github.com/runbookdev/runbook/verifier"
)

// Options say how actual output is put back into the guide's terms.
type Options struct {
	// Replacer turns real values back into the guide's examples and redacts
	// secrets; nil leaves the output as it is.
	Replacer *runbook.Replacer
	// Home is the shell's $HOME. When set, the directory in the prompt of a
	// drifted command is rewritten, by the verifier's DirMatches rule, to
	// where the shell was when the command was typed (the previous result's
	// Outcome.Dir), shown as `~` for home and by its last element elsewhere.
	// A block's first prompt at `~` stays: the runner changes to ~ for it.
	Home string
}

// edit replaces lines [start, start+count) (1-based) of the source.
type edit struct {
	start, count int
	lines        []string // without line ends
}

// Rewrite returns src with the documented output (and prompt directory) of
// every drifted command whose step is in file replaced by what really
// happened. A step a stand-in ran (Outcome.Simulated) keeps its documented
// output; only its prompt directories are rewritten. Results for other files (includes) are ignored. A step whose
// documented output is not where the parser said is left alone and named in
// the returned error; the returned source is complete and usable either way.
func Rewrite(src []byte, file string, results []runbook.Result, opts Options) ([]byte, error) {
	lines, eol := splitLines(src)
	var edits []edit
	var errs []error
	prevDir := ""
	for _, res := range results {
		cmd, ok := res.Step.(*runbook.Command)
		before := prevDir
		if res.Outcome != nil && res.Outcome.Dir != "" {
			prevDir = res.Outcome.Dir
		}
		if !ok || cmd.Pos.File != file || res.Verdict != runbook.Drift || res.Outcome == nil {
			continue
		}
		if e, ok := promptEdit(lines, cmd, before, opts); ok {
			edits = append(edits, e)
		}
		if e, ok := closingEdit(lines, cmd, res.Outcome.Dir, opts); ok {
			edits = append(edits, e)
		}
		if res.Outcome.Simulated {
			continue // a stand-in's output is not the real program's: only the prompts are facts
		}
		e, err := outputEdit(lines, cmd, res.Outcome, opts.Replacer)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		edits = append(edits, e)
	}
	return apply(lines, eol, edits), errors.Join(errs...)
}

// outputEdit computes the new documented output of one command.
func outputEdit(lines []string, cmd *runbook.Command, out *runbook.Outcome, r *runbook.Replacer) (edit, error) {
	start, n := cmd.ExpectLine, len(cmd.Expect)
	if out.Omitted > 0 {
		// The executor kept only the head and the tail; where the middle
		// went is unknown, so no faithful rewrite is possible.
		return edit{}, fmt.Errorf("%s: the output was too long to keep (%d lines omitted); not rewritten", cmd.Pos, out.Omitted)
	}
	if start < 1 || start-1+n > len(lines) {
		return edit{}, fmt.Errorf("%s: documented output at line %d is outside the file; not rewritten", cmd.Pos, start)
	}
	doc := make([]docLine, n)
	pinned := verifier.PinCommand(nil, cmd)
	for i := range n {
		l := strings.TrimRight(lines[start-1+i], "\r\n")
		if !sameText(l, cmd.Expect[i]) {
			return edit{}, fmt.Errorf("%s: line %d does not hold the documented output %q; not rewritten", cmd.Pos, start+i, cmd.Expect[i])
		}
		doc[i] = docLine{src: l, m: newMatcher(cmd.Expect[i], i, cmd.Answers, pinned)}
	}
	indent := cmd.Indent + extraIndent(doc, cmd.Indent)
	fresh := func(a string) string {
		if strings.TrimSpace(a) == "" {
			return ""
		}
		return indent + a
	}
	actual := actualLines(cmd, out, r)
	for _, a := range actual {
		if transcript.IsPromptLine(strings.TrimSpace(a)) {
			// Written into the guide, the line would start a new command.
			return edit{}, fmt.Errorf("%s: the output has a line that reads as a shell prompt (%q); not rewritten", cmd.Pos, a)
		}
	}
	return edit{start: start, count: n, lines: align(doc, actual, fresh)}, nil
}

// sameText reports whether a source line holds a documented line, whatever
// the indentation and the tabs (which expand differently once dedented).
func sameText(src, doc string) bool {
	return strings.Join(strings.Fields(src), " ") == strings.Join(strings.Fields(doc), " ")
}

// actualLines takes the output as the verifier sees it, puts the examples
// back, redacts secrets and drops trailing blank lines (the closing prompt
// follows).
func actualLines(cmd *runbook.Command, out *runbook.Outcome, r *runbook.Replacer) []string {
	ls := outputLines(cmd, out)
	for i, l := range ls {
		if r != nil {
			l = r.Redact(r.Reverse(l))
		}
		ls[i] = l
	}
	for len(ls) > 0 && strings.TrimSpace(ls[len(ls)-1]) == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// extraIndent is the indentation the documented output has beyond the
// block's own, common to all its non-blank lines (authors often indent
// output under the prompt).
func extraIndent(doc []docLine, blockIndent string) string {
	extra, seen := "", false
	for _, d := range doc {
		if d.m.blank || d.m.elision {
			continue // authors often write elisions at the block's indentation
		}
		rest := strings.TrimPrefix(d.src, blockIndent)
		lead := rest[:len(rest)-len(strings.TrimLeft(rest, " \t"))]
		if !seen || len(lead) < len(extra) {
			extra, seen = lead, true
		}
	}
	return extra
}

// promptEdit rewrites the directory of a command's prompt when the shell
// was somewhere else, by the verifier's rule. A block that starts at `~` is
// left alone: the runner changes to ~ before it, as its prompt tells the
// reader to.
func promptEdit(lines []string, cmd *runbook.Command, dirBefore string, opts Options) (edit, bool) {
	if opts.Home == "" || dirBefore == "" || cmd.Prompt.Dir == "" || (cmd.First && cmd.Prompt.Dir == "~") ||
		cmd.Pos.Line < 1 || cmd.Pos.Line > len(lines) {
		return edit{}, false
	}
	home := opts.Home
	if r := opts.Replacer; r != nil {
		// Dirs reach here reverse-substituted or not, depending on the
		// caller; reversing is idempotent, so both sides agree either way.
		home, dirBefore = r.Reverse(home), r.Reverse(dirBefore)
	}
	if verifier.DirMatches(cmd.Prompt.Dir, dirBefore, home) {
		return edit{}, false
	}
	return dirEdit(lines, cmd.Pos.Line, cmd.Prompt.Dir, verifier.ShownDir(dirBefore, home))
}

// closingEdit rewrites the directory of a block's closing prompt when the
// shell was somewhere else after the block's last command, as the verifier
// reports it (the closing prompt of synapse.rst:164 shows ~ after a cd).
func closingEdit(lines []string, cmd *runbook.Command, dirAfter string, opts Options) (edit, bool) {
	cl := cmd.Closing
	if opts.Home == "" || dirAfter == "" || cl == nil || cl.Dir == "" || cl.User != cmd.Prompt.User || cl.Host != cmd.Prompt.Host ||
		cl.Pos.File != cmd.Pos.File || cl.Pos.Line < 1 || cl.Pos.Line > len(lines) {
		return edit{}, false
	}
	home := opts.Home
	if r := opts.Replacer; r != nil {
		home, dirAfter = r.Reverse(home), r.Reverse(dirAfter)
	}
	if verifier.DirMatches(cl.Dir, dirAfter, home) {
		return edit{}, false
	}
	return dirEdit(lines, cl.Pos.Line, cl.Dir, verifier.ShownDir(dirAfter, home))
}

// dirEdit replaces the directory dir at the end of the bracket prompt on
// source line n with want, leaving the rest of the line as it is.
func dirEdit(lines []string, n int, dir, want string) (edit, bool) {
	l := strings.TrimRight(lines[n-1], "\r\n")
	open := strings.Index(l, "[")
	close := strings.Index(l, "]")
	if open < 0 || close < open {
		return edit{}, false
	}
	inner := l[open+1 : close]
	k := strings.LastIndex(inner, " "+dir)
	if k < 0 || k+1+len(dir) != len(strings.TrimRight(inner, " ")) {
		return edit{}, false
	}
	nl := l[:open+1] + inner[:k+1] + want + inner[k+1+len(dir):] + l[close:]
	return edit{start: n, count: 1, lines: []string{nl}}, true
}

// splitLines splits src into lines without their ends and reports the line
// end the file uses, so inserted lines match it.
func splitLines(src []byte) ([]string, string) {
	eol := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		eol = "\r\n"
	}
	s := string(src)
	if s == "" {
		return nil, eol
	}
	return strings.SplitAfter(s, "\n"), eol
}

// apply replaces the edited line ranges, last first, and joins the lines
// again; untouched lines keep their exact bytes and line ends.
func apply(lines []string, eol string, edits []edit) []byte {
	slices.SortFunc(edits, func(a, b edit) int { return cmp.Compare(b.start, a.start) })
	for _, e := range edits {
		repl := make([]string, len(e.lines))
		for i, l := range e.lines {
			repl[i] = strings.TrimRight(l, "\r\n") + eol
		}
		lines = slices.Replace(lines, e.start-1, e.start-1+e.count, repl...)
	}
	return []byte(strings.Join(lines, ""))
}
