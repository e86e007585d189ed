package parser

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// include reads the file named by `.. include:: arg` on line i of f and
// parses it in place. A relative path is resolved against the including
// file; a leading "/" means the root of fsys (the source root, as Sphinx
// does). Problems are Error diagnostics at the include line; the rest of the
// guide is parsed regardless.
func (p *rstParser) include(f *srcFile, i int, arg string) {
	at := p.pos(f, i)
	arg = strings.TrimSpace(arg)
	if arg == "" {
		p.diag(at, runbook.Error, "missing-include", "include without a file name")
		return
	}
	if strings.HasPrefix(arg, "<") {
		p.diag(at, runbook.Warning, "standard-include", "standard include %s is not read", arg)
		return
	}
	var target string
	if strings.HasPrefix(arg, "/") {
		target = path.Clean(strings.TrimLeft(arg, "/"))
	} else {
		target = path.Join(path.Dir(f.fsPath), arg)
	}
	if !fs.ValidPath(target) {
		p.diag(at, runbook.Error, "missing-include", "include %s is outside the source root %s/ (the nearest folder above the guide with a conf.py, or --root)",
			arg, p.display("."))
		return
	}
	display := p.display(target)
	if slices.Contains(p.stack, target) {
		p.diag(at, runbook.Error, "include-cycle", "include %s includes itself (%s)", arg, strings.Join(append(slices.Clone(p.stack), target), " -> "))
		return
	}
	if len(p.stack) > maxIncludeDepth {
		p.diag(at, runbook.Error, "include-depth", "include %s is nested deeper than %d levels", arg, maxIncludeDepth)
		return
	}
	if p.includes >= maxIncludes {
		p.diag(at, runbook.Error, "include-depth", "include %s is one more than the %d includes a guide may read", arg, maxIncludes)
		return
	}
	p.includes++
	if p.fsys == nil {
		p.diag(at, runbook.Error, "missing-include", "include %s cannot be read: no file system given", arg)
		return
	}
	data, err := fs.ReadFile(p.fsys, target)
	if err != nil {
		p.diag(at, runbook.Error, "missing-include", "include %s not found (%s)", arg, display)
		return
	}
	inc := &srcFile{fsPath: target, display: display, lines: splitLines(data)}
	p.emit(item{kind: itemInclude, pos: at, text: p.proseBefore(f), caption: display})
	outer := p.incl
	p.instances++
	p.incl = p.instances
	p.stack = append(p.stack, target)
	p.walk(inc, 0, len(inc.lines), false)
	p.stack = p.stack[:len(p.stack)-1]
	p.incl = outer
}

// proseBefore returns the paragraph right before an include directive in f
// ("point the web backend … to the listener on port 8008."), which often
// names the value the included text leaves as a placeholder; "" when the
// item before the directive is not a paragraph of the same file.
func (p *rstParser) proseBefore(f *srcFile) string {
	if n := len(p.items); n > 0 {
		if last := p.items[n-1]; last.kind == itemProse && last.pos.File == f.display && last.incl == p.incl {
			return last.text
		}
	}
	return ""
}

// display names a file of the source root as positions show it: relative
// to the guide's name as the user gave it ("guides/includes/x.rst").
func (p *rstParser) display(target string) string {
	return path.Join(p.guideDir, relPath(p.rootDir, target))
}

// relPath is the slash path from folder dir to target, both relative to the
// same root and clean ("guides", "includes/x.rst" → "../includes/x.rst").
func relPath(dir, target string) string {
	if dir == "." {
		return target
	}
	ds := strings.Split(dir, "/")
	ts := strings.Split(target, "/")
	if target == "." {
		ts = nil
	}
	n := 0
	for n < len(ds) && n < len(ts) && ds[n] == ts[n] {
		n++
	}
	up := strings.Repeat("../", len(ds)-n)
	return path.Clean(up + strings.Join(ts[n:], "/"))
}
