package console

import (
	"encoding/base64"
	"os"
	"path/filepath"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/learn"
)

// key handles a key typed alone on the prompt line (then Enter) and
// returns the reply for the shell: base64 of a command line to run in the
// key's place, or "" for none. Bash has cleared the prompt line, so what
// runbook prints starts at its left edge.
func (s *session) key(k string) string {
	s.atBOL = true
	switch k {
	case "?":
		s.print(learn.Help(s.look))
	case "h":
		s.print(s.l.Hint(s.look))
	case "s":
		s.print(s.documented())
	case "n":
		s.respond(s.l.Skip())
	case "d":
		f := s.l.DoneByHand()
		if f.Kind == learn.Unrelated {
			f = note(learn.Differs, "d marks a step you do by hand as done; this one runbook can check: do it, or type r.")
		}
		s.respond(f)
	case "q":
		s.stop(Quit)
	case "r":
		return s.runStep()
	case "e":
		return s.editFile()
	}
	return ""
}

// documented shows the current step's documented output or content.
func (s *session) documented() string {
	lines := s.l.Documented()
	if lines == nil {
		return ""
	}
	return "The guide shows:\n" + learn.Lines(lines, s.look)
}

// runStep lets runbook do the current step: it types a command into the
// shell, where it runs as if the trainee had typed it (and runbook answers
// its prompts), or writes a file.
func (s *session) runStep() string {
	switch st := s.l.Step().(type) {
	case *runbook.Command:
		s.by.command = true
		s.answer = newAnswerer(st.Answers)
		return encode(st.Text)
	case *runbook.File:
		s.writeFile(st)
	case *runbook.Manual:
		s.respond(note(learn.Differs, "runbook cannot do this one: do it by hand, then type d, or n to skip it."))
	}
	return ""
}

// editFile opens a file step's file in the trainee's editor, in the shell,
// as they would on the host; its parent directory is made first.
func (s *session) editFile() string {
	f, ok := s.l.Step().(*runbook.File)
	if !ok {
		s.respond(note(learn.Differs, "e edits the file of a file step; this step is not one."))
		return ""
	}
	if s.file.err != nil {
		s.respond(note(learn.Failed, "runbook cannot find the file: "+s.file.err.Error()))
		return ""
	}
	s.by.editor = true
	line := s.c.Editor + " " + shellPath(f.Path)
	if _, err := os.Stat(filepath.Dir(s.file.host)); err != nil {
		line = "mkdir -p " + shellPath(shellDir(f.Path)) + " && " + line
	}
	return encode(line)
}

// shellDir is the directory of a path as the guide writes it.
func shellDir(p string) string {
	d := filepath.Dir(p)
	if d == "." {
		return p
	}
	return d
}

func encode(line string) string { return base64.StdEncoding.EncodeToString([]byte(line)) }
