package lint

import (
	"io/fs"
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// ReadSource gathers the source of a parsed guide: src for the guide itself
// and, for every include its steps and diagnostics point into, the file read
// through fsys (rooted at the guide's directory, as given to parser.Parse).
// An include that cannot be read is left out; the parser has reported it.
func ReadSource(g *runbook.Guide, src []byte, fsys fs.FS) Source {
	s := Source{g.Name: src}
	add := func(file string) {
		if _, ok := s[file]; ok || file == "" || fsys == nil {
			return
		}
		rel := file
		if dir := path.Dir(g.Name); dir != "." {
			rel = strings.TrimPrefix(file, dir+"/")
		}
		if data, err := fs.ReadFile(fsys, path.Clean(rel)); err == nil {
			s[file] = data
		}
	}
	for _, st := range g.Steps {
		add(st.Head().Pos.File)
	}
	for _, d := range g.Diagnostics {
		add(d.Pos.File)
	}
	return s
}
