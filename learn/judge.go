package learn

import (
	"bytes"
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/udiff"
	"github.com/runbookdev/runbook/verifier"
)

// FeedbackKind says what a command or key did to the current step.
type FeedbackKind int

// The kinds of feedback.
const (
	Unrelated     FeedbackKind = iota // not the step's command: it ran, and the step stays open
	Done                              // the step is done; the lesson moved on
	Passed                            // the step was skipped or run by runbook; the lesson moved on
	Differs                           // the step's program with other words
	OutputDiffers                     // the step's command, but its output is not the documented one
	Failed                            // the step's command failed
	WrongDir                          // the step's command, typed in another directory than the guide's prompt shows
)

// Feedback is what runbook says after a command or a key.
type Feedback struct {
	Kind    FeedbackKind
	Message Text     // one paragraph; empty for Unrelated
	Detail  []string // lines shown under it as they are (a diff), secrets masked
}

// Moved reports whether the lesson went on to another step.
func (f Feedback) Moved() bool { return f.Kind == Done || f.Kind == Passed }

// Attempt is one command line that ran in the trainee's shell, as the shell reported it.
type Attempt struct {
	Line      string // the command line as typed (several lines for a heredoc)
	Output    string // what it printed on the terminal
	Omitted   int    // lines left out of the middle of Output
	Exit      int
	Before    string // $PWD when it was typed
	After     string // $PWD after it
	ByRunbook bool   // runbook typed it (r)
}

// Judge decides what a command the trainee ran means for the current step:
// another program is looking around; the step's program with other words
// is shown the first difference (which counts as a hint); the step's
// command is judged by the verifier's rules on its output, exit status and
// directory.
func (l *Lesson) Judge(a Attempt) Feedback {
	ps := l.current()
	if ps == nil {
		return Feedback{Kind: Unrelated}
	}
	c, ok := ps.step.(*runbook.Command)
	if !ok {
		return Feedback{Kind: Unrelated}
	}
	if !a.ByRunbook {
		m, d := compareCommands(c.Text, a.Line, l.home)
		switch m {
		case unrelated:
			return Feedback{Kind: Unrelated}
		case differentArgs:
			ps.corrected = true
			return Feedback{Kind: Differs, Message: l.differs(d)}
		}
	}
	pub := ps.public.(*runbook.Command)
	if f, wrong := l.wrongDir(pub, a); wrong {
		return f
	}
	out := &runbook.Outcome{Output: l.clean(a.Output), Omitted: a.Omitted, Exit: a.Exit, Dir: l.clean(a.After)}
	res := verifier.Verify(pub, out, verifier.Options{Home: l.clean(l.home), Before: l.clean(a.Before)})
	switch {
	case res.Verdict == runbook.OK || a.ByRunbook && res.Verdict == runbook.Drift:
		return l.done(a.ByRunbook, res)
	case res.Verdict == runbook.Failed:
		// The reason may go on with the command's last lines: those go under the message.
		first, rest, _ := strings.Cut(l.r.Redact(res.Reason), "\n")
		f := Feedback{Kind: Failed, Message: say("The command failed: %s. Fix what it says and type it again, "+
			"or type h for a hint, n to skip it.", strings.TrimSuffix(first, ":"))}
		if rest != "" {
			f.Detail = strings.Split(rest, "\n")
		}
		return f
	case res.Diff != "":
		ps.ranRight = true
		return l.outputDiffers(res.Diff)
	}
	ps.ranRight = true
	return Feedback{Kind: OutputDiffers, Message: say("Not as the guide shows: %s.", l.show(res.Reason))}
}

// done closes the step after its command ran as documented (or ran by runbook at all).
func (l *Lesson) done(byRunbook bool, res runbook.Result) Feedback {
	l.finish(byRunbook)
	if !byRunbook {
		return Feedback{Kind: Done, Message: styled(say("Done."), Good)}
	}
	f := Feedback{Kind: Passed, Message: say("runbook ran it.")}
	if res.Verdict == runbook.Drift {
		f.Message = say("runbook ran it, but not quite as the guide shows: %s.", l.show(res.Reason))
		f.Detail = l.diffLines(res.Diff)
	}
	return f
}

// wrongDir reports a command typed in another directory than the one the
// guide's prompt shows; the command ran, so it may need undoing.
func (l *Lesson) wrongDir(pub *runbook.Command, a Attempt) (Feedback, bool) {
	if a.ByRunbook || pub.Prompt.Dir == "" || a.Before == "" ||
		verifier.DirMatches(pub.Prompt.Dir, l.clean(a.Before), l.clean(l.home)) {
		return Feedback{}, false
	}
	return Feedback{Kind: WrongDir, Message: say("The guide types this in %s, but your shell was in %s. "+
		"Change there with %s and type it again.", lit(l.show(pub.Prompt.Dir)), lit(l.r.Redact(l.tilde(a.Before))), lit("cd"))}, true
}

// tilde shows a directory as a prompt would, with the home as ~.
func (l *Lesson) tilde(dir string) string {
	dir, home := path.Clean(dir), path.Clean(l.home)
	if dir == home {
		return "~"
	}
	if rest, ok := strings.CutPrefix(dir, home+"/"); ok {
		return "~/" + rest
	}
	return dir
}

// differs says where a typed command first differs from the step's.
func (l *Lesson) differs(d difference) Text {
	g, t, after := l.r.Redact(d.guide), l.r.Redact(d.typed), l.r.Redact(d.after)
	var msg Text
	switch {
	case g != "" && t != "":
		msg = say("Not quite: where the guide has %s, you typed %s.", lit(g), lit(t))
	case g != "" && after != "":
		msg = say("Not quite: the guide's command has %s after %s.", lit(g), lit(after))
	case g != "":
		msg = say("Not quite: the guide's command starts with %s.", lit(g))
	default:
		msg = say("Not quite: you typed %s, which the guide's command does not have.", lit(t))
	}
	return append(msg, say(" Type it again, or type h for a hint.")...)
}

// outputDiffers says which output line first differs from the guide's.
func (l *Lesson) outputDiffers(diff string) Feedback {
	want, got := firstChange(diff)
	msg := say("The command ran, but its output differs from the guide's: ")
	switch {
	case want != "" && got != "":
		msg = append(msg, say("the guide shows %s where yours shows %s.", lit(l.show(want)), lit(l.show(got)))...)
	case want != "":
		msg = append(msg, say("the guide shows %s, which your output does not have.", lit(l.show(want)))...)
	default:
		msg = append(msg, say("yours shows %s, which the guide does not.", lit(l.show(got)))...)
	}
	msg = append(msg, say(" Type s for the documented output, or n to count it done and go on.")...)
	return Feedback{Kind: OutputDiffers, Message: msg}
}

// firstChange reads the first documented (-) and actual (+) lines of a
// verifier diff, after its title and hunk headers.
func firstChange(diff string) (want, got string) {
	for i, line := range strings.Split(diff, "\n") {
		if i == 0 || strings.HasPrefix(line, "@@") || line == "" {
			continue
		}
		switch line[0] {
		case '-':
			if want == "" && got == "" {
				want = strings.TrimSpace(line[1:])
			}
		case '+':
			if got == "" {
				got = strings.TrimSpace(line[1:])
			}
			return want, got
		case ' ':
			if want != "" {
				return want, got
			}
		}
	}
	return want, got
}

// diffLines is a diff for the screen, in the trainee's values, bounded.
func (l *Lesson) diffLines(diff string) []string {
	const most = 12
	lines := strings.Split(strings.TrimRight(l.show(diff), "\n"), "\n")
	if len(lines) > most {
		lines = append(lines[:most], "...")
	}
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines
}

// JudgeFile compares a file step's target as it is now (got) with what the
// step makes of it (want), after the trainee edited it (edited) or
// whenever a command ran while the step was open. A match closes the
// step; after an edit, a mismatch shows the diff, the guide's version
// against the trainee's.
func (l *Lesson) JudgeFile(want, got []byte, edited bool) Feedback {
	ps := l.current()
	if ps == nil || ps.step.Kind() != runbook.KindFile {
		return Feedback{Kind: Unrelated}
	}
	if sameContent(want, got) {
		l.finish(false)
		return Feedback{Kind: Done, Message: styled(say("Done: the file is as the guide has it."), Good)}
	}
	if !edited {
		return Feedback{Kind: Unrelated}
	}
	f := ps.step.(*runbook.File)
	diff := udiff.Unified(udiff.Texts(string(want), string(got)), udiff.Options{
		From: "the guide's " + f.Path, To: "yours", Context: udiff.DefaultContext, MaxLines: 40,
	})
	return Feedback{Kind: OutputDiffers,
		Message: say("The file differs from the guide's version (- the guide's, + yours). " +
			"Type e to edit it again, r to let runbook write it, or n to go on."),
		Detail: strings.Split(strings.TrimRight(l.r.Redact(diff), "\n"), "\n")}
}

// sameContent compares two files as a reader would: trailing spaces and
// blank lines at the end do not count.
func sameContent(a, b []byte) bool {
	return bytes.Equal(normalizeFile(a), normalizeFile(b))
}

func normalizeFile(b []byte) []byte {
	lines := bytes.Split(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " \t")
	}
	return bytes.TrimRight(bytes.Join(lines, []byte("\n")), "\n")
}

// Wrote closes a file step that runbook wrote for the trainee (r).
func (l *Lesson) Wrote(err error) Feedback {
	ps := l.current()
	if ps == nil || ps.step.Kind() != runbook.KindFile {
		return Feedback{Kind: Unrelated}
	}
	if err != nil {
		return Feedback{Kind: Failed, Message: say("runbook could not write it: %s.", l.r.Redact(err.Error()))}
	}
	l.finish(true)
	return Feedback{Kind: Passed, Message: say("runbook wrote it.")}
}
