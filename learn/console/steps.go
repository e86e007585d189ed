package console

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
	"github.com/runbookdev/runbook/learn"
)

// byRunbook is what runbook typed into the shell for the trainee and is
// waiting to see end: the step's command (r) or the editor (e).
type byRunbook struct {
	command bool
	editor  bool
}

// fileState is a file step's target as it was when the step began: what
// the guide's version is computed from, however the trainee changes it.
type fileState struct {
	path    string // as the shell names it, expanded
	host    string // on this host (the same outside a sandbox)
	before  []byte
	existed bool
	err     error // the path cannot be expanded or read
}

// stepStarts shows the new current step and notes its file, if it has one.
func (s *session) stepStarts() {
	s.print(s.l.Screen(s.look))
	s.file = fileState{}
	if f, ok := s.l.Step().(*runbook.File); ok {
		s.file = s.snapshot(f)
	}
}

// next goes on after a step closed: the next step's screen, or the end.
func (s *session) next() {
	if s.l.Finished() {
		s.finish()
		return
	}
	s.stepStarts()
}

// afterCommand judges a command line that ran and says what it means;
// notes (what stood in for the internet) are shown with it.
func (s *session) afterCommand(a learn.Attempt, notes []string) {
	by := s.by
	s.by = byRunbook{}
	var f learn.Feedback
	switch _, file := s.l.Step().(*runbook.File); {
	case by.editor:
		f = s.judgeFile(true)
	case file:
		// The trainee may have written the file another way.
		f = s.judgeFile(false)
	default:
		f = s.l.Judge(a)
	}
	f.Detail = append(f.Detail, notes...)
	s.respond(f)
}

// respond prints feedback, moves on when the step closed, and saves.
func (s *session) respond(f learn.Feedback) {
	s.print(f.Say(s.look))
	if f.Moved() {
		s.next()
	} else if f.Kind != learn.Unrelated {
		s.print(s.l.Footer(s.look) + "\n")
	}
	if s.end == nil {
		if err := s.save(); err != nil {
			s.print("runbook: " + err.Error() + "\n")
		}
	}
}

// note is feedback runbook itself gives, outside the lesson's judging.
func note(kind learn.FeedbackKind, text string) learn.Feedback {
	return learn.Feedback{Kind: kind, Message: learn.Text{{Text: text}}}
}

// snapshot reads a file step's target as it is now.
func (s *session) snapshot(f *runbook.File) fileState {
	files := *s.c.Files
	files.Dir = s.dir
	path, err := files.Expand(f.Path)
	if err != nil {
		return fileState{err: err}
	}
	st := fileState{path: path, host: path}
	if files.Root != nil {
		if st.host, err = files.Root.Resolve(path); err != nil {
			return fileState{err: errors.New(files.Root.Shown(err.Error()))}
		}
	}
	st.before, err = os.ReadFile(st.host)
	switch {
	case err == nil:
		st.existed = true
	case !errors.Is(err, fs.ErrNotExist):
		st.err = err
	}
	return st
}

// judgeFile compares the file with the guide's version of it.
func (s *session) judgeFile(edited bool) learn.Feedback {
	f, ok := s.l.Step().(*runbook.File)
	if !ok {
		return learn.Feedback{Kind: learn.Unrelated}
	}
	if s.file.err != nil {
		return note(learn.Failed, "runbook cannot read the file: "+s.file.err.Error())
	}
	want, err := s.expected(f)
	if err != nil {
		return note(learn.Failed, "runbook cannot tell what the file should hold: "+err.Error())
	}
	got, err := os.ReadFile(s.file.host)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return note(learn.Failed, "runbook cannot read the file: "+err.Error())
	}
	return s.l.JudgeFile(want, got, edited)
}

// expected is what the step makes of the file as it was when the step
// began: the step applied to a copy, in a private temporary directory.
func (s *session) expected(f *runbook.File) ([]byte, error) {
	dir, err := os.MkdirTemp("", "runbook-learn-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	target := filepath.Join(dir, filepath.Base(s.file.host))
	if s.file.existed {
		if err := os.WriteFile(target, s.file.before, 0o600); err != nil {
			return nil, err
		}
	}
	cp := *f
	cp.Path = target
	files := &executor.Files{Home: dir, User: s.c.Files.User, BackupDir: filepath.Join(dir, "backup")}
	if out := files.Apply(&cp); out.Err != nil {
		return nil, out.Err
	}
	return os.ReadFile(target)
}

// writeFile writes the current file step for the trainee (r).
func (s *session) writeFile(f *runbook.File) {
	files := *s.c.Files
	files.Dir = s.dir
	out := files.Apply(f)
	s.respond(s.l.Wrote(out.Err))
}
