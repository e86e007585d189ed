// Package parser reads reStructuredText and Markdown guides into a runbook.Guide.
// It does no I/O of its own: includes and the sidecar come through an fs.FS.
//
// Two front ends (rst.go, markdown.go) turn the source into a flat stream of
// titles, prose, blocks and override comments; build.go and infer.go turn
// that stream into steps with the same rules for both syntaxes.
package parser

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser/flow"
	"github.com/runbookdev/runbook/parser/params"
)

// Parse reads the guide named name (the path as the user gave it) from src.
// fsys is rooted at the guide's directory, which is then also the source
// root; includes and the sidecar NAME.runbook.yaml are read through it.
// Every problem found is in Guide.Diagnostics; the error joins those of
// Error severity. Values from the sidecar's params: are already set in
// Guide.Params.
func Parse(name string, src []byte, fsys fs.FS) (*runbook.Guide, error) {
	return ParseSource(Source{Name: name, Src: src, Root: fsys, Dir: "."})
}

// Source is a guide and the source tree it belongs to. Sphinx resolves an
// include inside its source root (the folder of conf.py), so an include
// may reach beside the guide's own folder ("../includes/x.rst") as long as
// it stays inside Root.
type Source struct {
	Name string // the guide's path as the user gave it; positions use it
	Src  []byte
	Root fs.FS  // the source root; nil when there is none (includes are then errors)
	Dir  string // the guide's folder inside Root, slash-separated ("." at the root)
}

// ParseSource reads a guide inside its source root; see Parse.
func ParseSource(s Source) (*runbook.Guide, error) {
	name, src := s.Name, s.Src
	dir := path.Clean(s.Dir)
	if dir == "" || !fs.ValidPath(dir) {
		dir = "."
	}
	g := &runbook.Guide{Name: name}
	if d, ok := binaryData(name, src); ok {
		g.Diagnostics = append(g.Diagnostics, d)
		return g, joinErrors(g.Diagnostics)
	}
	sc, scDiags := ReadSidecar(name, subFS(s.Root, dir))
	var items []item
	var diags []runbook.Diagnostic
	if IsMarkdown(name) {
		items, diags = parseMarkdown(name, src)
	} else {
		items, diags = parseRST(name, src, s.Root, dir)
	}
	g.Diagnostics = append(g.Diagnostics, scDiags...)
	g.Diagnostics = append(g.Diagnostics, diags...)
	b := newBuilder(g, sc)
	b.run(items)
	g.Params = params.DetectWith(g, b.notes)
	g.Flows = flow.Detect(g)
	applySidecarParams(g, sc)
	return g, joinErrors(g.Diagnostics)
}

// subFS is fsys below dir, or nil when there is no fsys.
func subFS(fsys fs.FS, dir string) fs.FS {
	if fsys == nil || dir == "." {
		return fsys
	}
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil
	}
	return sub
}

// binaryData reports a guide that holds a NUL byte: an image, an archive or
// a compiled file given by mistake, which no reader reads as text (git and
// grep use the same test). Its text would only give nonsense steps.
func binaryData(name string, src []byte) (runbook.Diagnostic, bool) {
	i := bytes.IndexByte(src, 0)
	if i < 0 {
		return runbook.Diagnostic{}, false
	}
	line := bytes.Count(src[:i], []byte("\n")) + 1
	return runbook.Diagnostic{Pos: runbook.Pos{File: name, Line: line}, Severity: runbook.Error, ID: "binary-guide",
		Message: "not a text file: it holds binary data (a NUL byte), not reStructuredText or Markdown"}, true
}

// IsMarkdown reports whether a guide's name says it is Markdown.
func IsMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdown", ".mkd":
		return true
	}
	return false
}

// parseRST runs the reST front end over the guide, which is in folder dir
// of the source root fsys.
func parseRST(name string, src []byte, fsys fs.FS, dir string) ([]item, []runbook.Diagnostic) {
	self := path.Join(dir, path.Base(name))
	p := &rstParser{fsys: fsys, guideDir: path.Dir(name), rootDir: dir, stack: []string{self}}
	f := &srcFile{fsPath: self, display: name, lines: splitLines(src)}
	p.items = make([]item, 0, len(f.lines)/4)
	p.walk(f, 0, len(f.lines), false)
	return p.items, p.diags
}

// applySidecarParams sets the values the sidecar gives; a key that names
// no parameter is a warning at the sidecar's line.
func applySidecarParams(g *runbook.Guide, sc *Sidecar) {
	if sc == nil {
		return
	}
	for _, s := range sc.Params {
		if err := params.Set(g.Params, s.Key, s.Value); err != nil {
			g.Diagnostics = append(g.Diagnostics, runbook.Diagnostic{Pos: s.Pos, Severity: runbook.Warning,
				ID: "unknown-param", Message: err.Error()})
		}
	}
}

// joinErrors joins the Error-severity diagnostics; nil when there are none.
func joinErrors(ds []runbook.Diagnostic) error {
	var errs []error
	for _, d := range ds {
		if d.Severity == runbook.Error {
			errs = append(errs, d)
		}
	}
	return errors.Join(errs...)
}
