// Package parser reads reStructuredText and Markdown guides into a runbook.Guide.
// It does no I/O of its own: includes and the sidecar come through an fs.FS.
//
// Two front ends (rst.go, markdown.go) turn the source into a flat stream of
// titles, prose, blocks and override comments; build.go and infer.go turn
// that stream into steps with the same rules for both syntaxes.
package parser

import (
	"errors"
	"io/fs"
	"path"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser/flow"
	"github.com/runbookdev/runbook/parser/params"
)

// Parse reads the guide named name (the path as the user gave it) from src.
// fsys is rooted at the guide's directory; includes and the sidecar
// NAME.runbook.yaml are read through it. Every problem found is in
// Guide.Diagnostics; the error joins those of Error severity. Values from
// the sidecar's params: are already set in Guide.Params.
func Parse(name string, src []byte, fsys fs.FS) (*runbook.Guide, error) {
	g := &runbook.Guide{Name: name}
	sc, scDiags := ReadSidecar(name, fsys)
	var items []item
	var diags []runbook.Diagnostic
	if IsMarkdown(name) {
		items, diags = parseMarkdown(name, src)
	} else {
		items, diags = parseRST(name, src, fsys)
	}
	g.Diagnostics = append(g.Diagnostics, scDiags...)
	g.Diagnostics = append(g.Diagnostics, diags...)
	b := newBuilder(g, sc)
	b.run(items)
	g.Params = params.Detect(g)
	g.Flows = flow.Detect(g)
	applySidecarParams(g, sc)
	return g, joinErrors(g.Diagnostics)
}

// IsMarkdown reports whether a guide's name says it is Markdown.
func IsMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdown", ".mkd":
		return true
	}
	return false
}

// parseRST runs the reST front end over the guide.
func parseRST(name string, src []byte, fsys fs.FS) ([]item, []runbook.Diagnostic) {
	base := path.Base(name)
	p := &rstParser{fsys: fsys, guideDir: path.Dir(name), stack: []string{base}}
	f := &srcFile{fsPath: base, display: name, lines: splitLines(src)}
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
