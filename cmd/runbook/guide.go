package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"
	"golang.org/x/term"
	"gopkg.in/yaml.v3"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
)

// This file holds what several subcommands share: reading a guide, the
// --set/--params flags, and hiding secrets in everything printed.

// guideFlags is --root, which every command that reads a guide takes, and
// the loading of a guide inside its source root. paramFlags holds one, so a
// command with --set has --root too and loads with pf.load or
// pf.loadForRun; a command without (lint, or learn) registers its own:
//
//	var gf guideFlags
//	gf.register(cmd.Flags())
//	g, err := gf.loadForRun(path, e.stderr)
type guideFlags struct {
	root string
}

func (gf *guideFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&gf.root, "root", "",
		"the guide's source root `DIR`, inside which includes are read (default: the nearest folder above the guide with a conf.py, else the guide's folder)")
}

// loadGuide reads and parses the guide at path with the source root found
// from the guide's folder (see guideFlags.load).
func loadGuide(path string) (*runbook.Guide, error) {
	return (&guideFlags{}).load(path)
}

// loadForRun is guideFlags.loadForRun with the source root found from the
// guide's folder.
func loadForRun(path string, stderr io.Writer) (*runbook.Guide, error) {
	return (&guideFlags{}).loadForRun(path, stderr)
}

// load reads and parses the guide at path (as the user typed it). A guide
// that cannot be read, is not text or has no steps is an invocation error
// (exit 2); a guide that parses with errors comes back together with an
// exitError of code 2, so callers that can still show something (steps,
// lint) do so.
func (gf *guideFlags) load(path string) (*runbook.Guide, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, usageErrorf("%s: cannot read guide: %v", path, err)
	}
	source, err := gf.source(path, src)
	if err != nil {
		return nil, err
	}
	g, err := parser.ParseSource(source)
	if g == nil {
		if err == nil {
			err = errors.New("parser returned nothing")
		}
		return nil, usageErrorf("%s: %v", path, err)
	}
	if g.Name == "" {
		g.Name = path
	}
	if len(g.Params) == 0 {
		g.Params = params.Detect(g)
	}
	if len(g.Steps) == 0 {
		// Nothing to show, run or check: the errors that left the guide
		// empty (a binary file, an include outside the root) say why.
		if errs := errorMessages(g); errs != "" {
			return nil, usageErrorf("%s", errs)
		}
		return nil, usageErrorf("%s: no steps: %s", path, noStepsReason(src))
	}
	if err != nil || g.HasErrors() {
		return g, &exitError{code: exitUsage}
	}
	return g, nil
}

// noStepsReason says why a guide with no errors gave no steps, for
// "guide.rst: no steps: …".
func noStepsReason(src []byte) string {
	switch {
	case len(bytes.TrimSpace(src)) == 0:
		return "the file is empty"
	case !utf8.Valid(src):
		return "no console session or file block was found (and the file is not UTF-8 text; is it a guide?)"
	}
	return "no console session or file block was found, so there is nothing to show, run or check"
}

// errorMessages joins the guide's errors as the CLI prints them, one
// "runbook: file:line: message" line each (the first without the prefix,
// which runMain adds).
func errorMessages(g *runbook.Guide) string {
	var msgs []string
	for _, d := range g.Diagnostics {
		if d.Severity == runbook.Error {
			msgs = append(msgs, d.Error())
		}
	}
	return strings.Join(msgs, "\n"+programName+": ")
}

// source finds the guide's source root and builds the file system the
// parser reads includes from: --root when given (the guide must be inside
// it), else the nearest folder above the guide that holds a conf.py, as
// Sphinx's source root does, else the guide's own folder.
func (gf *guideFlags) source(path string, src []byte) (parser.Source, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return parser.Source{}, usageErrorf("%s: %v", path, err)
	}
	root := dir
	if gf.root != "" {
		if root, err = filepath.Abs(gf.root); err != nil {
			return parser.Source{}, usageErrorf("--root %s: %v", gf.root, err)
		}
		if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
			return parser.Source{}, usageErrorf("--root %s: not a directory", gf.root)
		}
	} else if r, ok := sphinxRoot(dir); ok {
		root = r
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return parser.Source{}, usageErrorf("%s: the guide is not inside --root %s", path, gf.root)
	}
	return parser.Source{Name: path, Src: src, Root: os.DirFS(root), Dir: filepath.ToSlash(rel)}, nil
}

// sphinxRoot returns the nearest folder from dir upward that holds a
// conf.py.
func sphinxRoot(dir string) (string, bool) {
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "conf.py")); err == nil && !fi.IsDir() {
			return d, true
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

// printDiagnostics writes the parser's diagnostics to w: errors as
// "runbook: file:line: message", warnings as "file:line: warning: message".
func printDiagnostics(w io.Writer, g *runbook.Guide) {
	for _, d := range g.Diagnostics {
		if d.Severity == runbook.Error {
			fmt.Fprintf(w, "%s: %s\n", programName, d.Error())
		} else {
			fmt.Fprintf(w, "%s: warning: %s\n", d.Pos, d.Message)
		}
	}
}

// loadForRun reads a guide for a command that executes it: any parse error
// stops the command (exit 2) after all diagnostics are printed.
func (gf *guideFlags) loadForRun(path string, stderr io.Writer) (*runbook.Guide, error) {
	g, err := gf.load(path)
	if g != nil {
		printDiagnostics(stderr, g)
	}
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) && ee.err == nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: the guide has errors; fix them before running it", path)}
		}
		return nil, err
	}
	return g, nil
}

// paramFlags are --set and --params, shared by every command that applies
// values, with --root (guideFlags) for reading the guide they apply to.
type paramFlags struct {
	guideFlags
	sets []string
	file string
	// lenient skips keys a guide does not have, recording those it does in
	// matched; `check` of several guides uses it, and only a key that no
	// guide has is an error.
	lenient bool
	matched map[string]bool
}

// unmatched returns the --set and --params keys that no guide had.
func (p *paramFlags) unmatched() []string {
	var keys []string
	for _, s := range p.sets {
		if k, _, _ := strings.Cut(s, "="); !p.matched[k] && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if p.file != "" {
		pairs, _ := readParamsFile(p.file)
		for _, kv := range pairs {
			if !p.matched[kv[0]] && !slices.Contains(keys, kv[0]) {
				keys = append(keys, kv[0])
			}
		}
	}
	return keys
}

func (p *paramFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&p.sets, "set", nil,
		"set a parameter: `OLD=NEW`, where OLD is the documented text (isabell) or the parameter's name (user); repeatable")
	fl.StringVar(&p.file, "params", "",
		"read parameter values from a YAML `FILE` mapping names or documented texts to values")
	p.guideFlags.register(fl)
}

// apply binds the values from --params and --set (in that order, so --set
// wins) to a copy of the guide's params and returns them with the guide
// those values are applied to. The parser has already set the values of the
// sidecar GUIDE.runbook.yaml, so the flags override it.
func (p *paramFlags) apply(g *runbook.Guide) (*runbook.Guide, []runbook.Param, error) {
	ps := append([]runbook.Param(nil), g.Params...)
	if p.file != "" {
		pairs, err := readParamsFile(p.file)
		if err != nil {
			return nil, nil, err
		}
		for _, kv := range pairs {
			if err := p.set(ps, kv[0], kv[1], "in "+p.file); err != nil {
				return nil, nil, err
			}
		}
	}
	for _, s := range p.sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return nil, nil, usageErrorf("--set wants OLD=NEW, got %q", s)
		}
		if err := p.set(ps, k, v, "in --set"); err != nil {
			return nil, nil, err
		}
	}
	return applyValues(g, ps), ps, nil
}

// applyValues returns a copy of g with the values of ps substituted and ps as its params.
func applyValues(g *runbook.Guide, ps []runbook.Param) *runbook.Guide {
	applied := params.Apply(g, ps)
	if applied == nil || applied == g {
		cp := *g
		applied = &cp
	}
	applied.Params = ps
	return applied
}

// set binds one value from the flags, or skips a key the guide lacks when lenient.
func (p *paramFlags) set(ps []runbook.Param, key, value, where string) error {
	if p.lenient {
		if !knownParam(ps, key) {
			return nil
		}
		if p.matched == nil {
			p.matched = map[string]bool{}
		}
		p.matched[key] = true
	}
	return setParam(ps, key, value, where)
}

// setParam binds one value, and names the known params when key matches none.
func setParam(ps []runbook.Param, key, value, where string) error {
	if !knownParam(ps, key) {
		return usageErrorf("unknown parameter %q %s; %s", key, where, knownList(ps))
	}
	if err := params.Set(ps, key, value); err != nil {
		return usageErrorf("%s: %v", where, err)
	}
	return nil
}

func knownParam(ps []runbook.Param, key string) bool {
	for _, p := range ps {
		if p.Name == key || p.Example == key {
			return true
		}
	}
	return false
}

// knownList names the guide's params for error messages.
func knownList(ps []runbook.Param) string {
	if len(ps) == 0 {
		return "this guide has no parameters"
	}
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Example == "" || p.Example == p.Name {
			names = append(names, p.Name)
		} else {
			names = append(names, fmt.Sprintf("%s (%s)", p.Name, p.Example))
		}
	}
	return "known parameters: " + strings.Join(names, ", ")
}

// readParamsFile reads a YAML mapping of names (or documented texts) to
// values, keeping the file's order.
func readParamsFile(path string) ([][2]string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, usageErrorf("%s: cannot read parameters: %v", path, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, usageErrorf("%s: %v", path, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, usageErrorf("%s:%d: want a mapping of NAME: value", path, m.Line)
	}
	var pairs [][2]string
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return nil, usageErrorf("%s:%d: the value of %q must be a plain value", path, v.Line, k.Value)
		}
		pairs = append(pairs, [2]string{k.Value, v.Value})
	}
	return pairs, nil
}

// secrets hides secret values in everything the CLI prints or writes.
// It trusts the Replacer first and then masks each secret value itself, also
// in the escaped forms JSON and XML reports would carry.
type secrets struct {
	r      *runbook.Replacer
	values []string
}

// mask is what a secret value looks like in any output.
const mask = "********"

func newSecrets(r *runbook.Replacer, ps ...[]runbook.Param) *secrets {
	s := &secrets{r: r}
	seen := map[string]bool{}
	add := func(v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			s.values = append(s.values, v)
		}
	}
	for _, list := range ps {
		for _, p := range list {
			if p.Secret {
				add(p.Value)
				for _, j := range jsonForms(p.Value) {
					add(j)
				}
				add(xmlEscape(p.Value))
			}
		}
	}
	sort.Slice(s.values, func(i, j int) bool { return len(s.values[i]) > len(s.values[j]) })
	return s
}

func (s *secrets) redact(str string) string {
	if s == nil {
		return str
	}
	if s.r != nil {
		str = s.r.Redact(str)
	}
	for _, v := range s.values {
		str = strings.ReplaceAll(str, v, mask)
	}
	return str
}

// writer returns a writer that redacts what passes through it; Close
// flushes what it still holds.
func (s *secrets) writer(w io.Writer) *redactingWriter {
	return &redactingWriter{s: s, w: w}
}

// redactingWriter masks secrets in a stream. It passes text on as soon as it
// arrives, holding back only a tail that could be the start of a secret, so
// a secret split across two writes is still masked and a prompt with no
// newline still shows at once.
type redactingWriter struct {
	s   *secrets
	w   io.Writer
	buf []byte
}

// Write passes on p with the secrets masked, holding back a tail that may be
// the start of a secret until the next write shows whether it is.
func (rw *redactingWriter) Write(p []byte) (int, error) {
	rw.buf = append(rw.buf, p...)
	out := rw.s.redact(string(rw.buf))
	keep := rw.s.pendingPrefix(out)
	rw.buf = append(rw.buf[:0], out[len(out)-keep:]...)
	if _, err := io.WriteString(rw.w, out[:len(out)-keep]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close writes what is left in the buffer.
func (rw *redactingWriter) Close() error {
	if len(rw.buf) == 0 {
		return nil
	}
	_, err := io.WriteString(rw.w, rw.s.redact(string(rw.buf)))
	rw.buf = nil
	return err
}

// pendingPrefix is the length of the longest tail of s that begins some
// secret value without completing it.
func (s *secrets) pendingPrefix(str string) int {
	keep := 0
	for _, v := range s.values {
		for k := min(len(v)-1, len(str)); k > keep; k-- {
			if strings.HasSuffix(str, v[:k]) {
				keep = k
				break
			}
		}
	}
	return keep
}

// jsonForms returns v as it appears inside a JSON string, with and without
// HTML escaping.
func jsonForms(v string) []string {
	var forms []string
	for _, html := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if err := enc.Encode(v); err == nil {
			out := strings.TrimSpace(b.String())
			forms = append(forms, out[1:len(out)-1])
		}
	}
	return forms
}

func xmlEscape(v string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(v)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}

// useColor reports whether output to w may carry ANSI colour.
func useColor(w io.Writer) bool {
	_, noColor := os.LookupEnv("NO_COLOR")
	return !noColor && isTerminal(w)
}

// withHome adds to ps the guide's example home directory (/home/isabell, from
// each user param's example) with the real home as its value. The guide's
// /home/isabell then means the real home in commands, paths and contents,
// and the real home in actual output reads /home/isabell again before it is
// compared or written back: a guide checked as root (HOME=/root) does not
// drift on every absolute path. The substitution is by whole token and the
// longest example wins, so /home/isabell goes before isabell alone. The
// shell's /home/$USER is taken to mean the home too.
func withHome(ps []runbook.Param, home string) []runbook.Param {
	home = filepath.Clean(home)
	if home == "" || home == "." || home == "/" || !filepath.IsAbs(home) {
		return ps
	}
	out := ps
	add := func(name, example string) {
		if example != home && !knownParam(out, example) {
			out = append(slices.Clip(out), runbook.Param{Name: name, Example: example, Value: home, Kind: runbook.ParamUser})
		}
	}
	for _, p := range ps {
		if p.Kind == runbook.ParamUser && p.Example != "" && !strings.ContainsAny(p.Example, "/ \t\n") {
			add(homeParam+p.Name, "/home/"+p.Example)
		}
	}
	if len(out) == len(ps) {
		return ps
	}
	// Uberspace guides also write the home as /home/$USER, which is the
	// home only where homes live in /home. (Added after /home/isabell, so
	// the real home in output still reads /home/isabell.)
	add(homeParam+"$USER", "/home/$USER")
	add(homeParam+"${USER}", "/home/${USER}")
	return out
}

// homeParam prefixes the names of the params withHome adds.
const homeParam = "home:"

// messages is the Replacer for what a person reads in a reason: the
// user's values turned back into the guide's, but not this host's home,
// which withHome maps to the guide's only so that output compares.
func messages(ps []runbook.Param) *runbook.Replacer {
	var own []runbook.Param
	for _, p := range ps {
		if !strings.HasPrefix(p.Name, homeParam) {
			own = append(own, p)
		}
	}
	return runbook.NewReplacer(own)
}

// homeDir is the directory a run starts in, and what ~ means: $HOME. It must
// exist, or every step would fail for the same reason; that is one error
// about the invocation (exit 2), not a verdict on the guide.
func homeDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", usageErrorf("cannot find your home directory (%v); the guide's steps start there: set HOME", err)
	}
	fi, err := os.Stat(home)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", usageErrorf("the home directory %s does not exist; the guide's steps start there, in ~. "+
			"Create it, or set HOME to a directory that exists", home)
	case err != nil:
		return "", usageErrorf("the home directory %s: %v", home, errors.Unwrap(err))
	case !fi.IsDir():
		return "", usageErrorf("the home directory %s is not a directory; set HOME to a directory", home)
	}
	return home, nil
}

// warnNoSteps says so when a guide has nothing to run: a wrong file, or a
// guide whose blocks runbook did not recognise, would otherwise pass unseen.
func warnNoSteps(w io.Writer, path string, g *runbook.Guide) {
	if len(g.Steps) == 0 {
		fmt.Fprintf(w, "%s: warning: %s has no steps (no console session or file block was found), so nothing was run\n",
			programName, path)
	}
}

// warnUser says so once when the guide's user is left as documented but the
// shell runs as someone else: every whoami, ls -l and /var/www/virtual/USER
// would then differ from the guide for a reason the guide is not to blame for.
func warnUser(w io.Writer, ps []runbook.Param) {
	me := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		me = u.Username
	}
	for _, p := range ps {
		if p.Kind == runbook.ParamUser && p.Name == "user" && p.Value == p.Example && me != "" && me != p.Example {
			fmt.Fprintf(w, "%s: warning: the guide's user is %s but the commands run as %s; "+
				"to use your own name, add --set %s=%s\n", programName, p.Example, me, p.Example, me)
			return
		}
	}
}
