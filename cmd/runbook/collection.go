package main

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
)

// collectionGuide is one guide of a check: its path as the user will see
// it, and the name --shard hashes, which is the path relative to the
// collection root (the directory given) so that the split of a collection
// does not depend on where it is checked out or on guides added elsewhere.
type collectionGuide struct {
	path string
	name string
}

// shard is --shard K/N: the K-th of N stable parts of a collection (1-based).
type shard struct {
	k, n int
}

// parseShard reads K/N; the zero shard means the whole collection.
func parseShard(s string) (shard, error) {
	if s == "" {
		return shard{}, nil
	}
	ks, ns, ok := strings.Cut(s, "/")
	k, kerr := strconv.Atoi(ks)
	n, nerr := strconv.Atoi(ns)
	if !ok || kerr != nil || nerr != nil || n < 1 || k < 1 || k > n {
		return shard{}, usageErrorf("--shard %q: want K/N with 1 <= K <= N, e.g. --shard 2/4 for the second of four parts", s)
	}
	return shard{k, n}, nil
}

// holds says whether the guide named name (relative to its collection) is in this shard.
func (s shard) holds(name string) bool {
	if s.n <= 1 {
		return true
	}
	h := fnv.New64a()
	io.WriteString(h, filepath.ToSlash(name))
	return int(h.Sum64()%uint64(s.n)) == s.k-1
}

// expandGuides turns the arguments into guides: a file is itself, a
// directory is every *.rst and *.md guide under it (sorted by path, hidden
// and _build-style folders left out) that has steps and is not an include:
// a file another one there includes, or one in an includes/ folder (a
// collection's snippets, even those no guide of a sample includes). What
// was left out is said on w.
func expandGuides(args []string, gf *guideFlags, w io.Writer) ([]collectionGuide, error) {
	var out []collectionGuide
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil || !fi.IsDir() {
			out = append(out, collectionGuide{path: a, name: filepath.Base(a)})
			continue
		}
		gs, err := guidesIn(a, gf, w)
		if err != nil {
			return nil, err
		}
		if len(gs) == 0 {
			return nil, usageErrorf("%s: no guides (*.rst or *.md files with steps) in this directory", a)
		}
		out = append(out, gs...)
	}
	return out, nil
}

// guidesIn lists the guides of one directory.
func guidesIn(dir string, gf *guideFlags, w io.Writer) ([]collectionGuide, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".rst" || ext == ".md" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %v", pe.Path, pe.Err)
		}
		return nil, usageErrorf("%v", err)
	}
	slices.Sort(files)
	included := map[string]bool{}
	stepless := map[string]bool{}
	for _, f := range files {
		g := parseQuietly(f, gf) // its errors are reported when it is checked
		if g == nil {
			continue
		}
		for _, inc := range g.Inclusions {
			if abs, err := filepath.Abs(inc.File); err == nil {
				included[abs] = true
			}
		}
		stepless[f] = len(g.Steps) == 0
	}
	var out []collectionGuide
	var left []string
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		if included[abs] || stepless[f] || inIncludes(dir, f) {
			left = append(left, f)
			continue
		}
		rel, err := filepath.Rel(dir, f)
		if err != nil {
			rel = f
		}
		out = append(out, collectionGuide{path: f, name: rel})
	}
	if len(left) > 0 {
		fmt.Fprintf(w, "%s: %s: %d files are not guides of their own (includes, or no steps): %s\n",
			programName, dir, len(left), strings.Join(left, ", "))
	}
	return out, nil
}

// parseQuietly parses a file of a collection to see what it includes and
// whether it has steps; nil when it cannot be read or parsed at all.
func parseQuietly(path string, gf *guideFlags) *runbook.Guide {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	source, err := gf.source(path, src)
	if err != nil {
		return nil
	}
	g, _ := parser.ParseSource(source)
	return g
}

// inIncludes says whether f lies in a folder named includes or include below dir.
func inIncludes(dir, f string) bool {
	rel, err := filepath.Rel(dir, filepath.Dir(f))
	if err != nil || rel == "." {
		return false
	}
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if part == "includes" || part == "include" {
			return true
		}
	}
	return false
}

// pickShard keeps the guides of one shard.
func pickShard(gs []collectionGuide, s shard) []collectionGuide {
	var out []collectionGuide
	for _, g := range gs {
		if s.holds(g.name) {
			out = append(out, g)
		}
	}
	return out
}
