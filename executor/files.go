package executor

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor/merge"
)

// Files applies File steps to disk: atomic writes, one backup per file, structural merges.
//
// Paths are expanded as the shell would: a leading ~ or ~USER, $HOME, ${HOME},
// $USER and ${USER}; any other variable is an error. A relative path is
// relative to Home. Every write goes to a temporary file in the target's
// directory, is synced, then renamed over the target, so a run killed at any
// moment leaves the old file or the new one, never a mix. Before its first
// change an existing file is copied to its backup, which later runs never
// overwrite, so the original survives repeated runs.
//
// File contents may hold secret values. They never appear in Outcome.Notes or
// Outcome.Err; in a dry run Outcome.Output holds a diff of the change, which
// can show them, so the caller must redact it (runbook.Replacer.Redact).
type Files struct {
	Home      string // expands a leading ~ and $HOME
	User      string // expands $USER
	BackupDir string // where originals are saved before their first change; empty means PATH.runbook-orig beside the file
	DryRun    bool   // compute the change and return it as a diff in Outcome.Output, write nothing
	Dir       string // resolves relative paths, as the shell's working directory would; empty means Home
	// Root, when set, is the sandbox the paths are inside of: each path is
	// resolved as the shell inside would see it and written to the host
	// folder that backs it; a path nothing writable backs is refused.
	Root Root
	// Redact masks the secret values the caller knows in each line of a dry
	// run's diff, before the values of secret-named keys are masked: done
	// the other way round, masking part of a secret could leave the rest.
	Redact func(string) string

	// beforeRename, when set, runs after the temporary file is written and
	// synced and before it replaces the target; tests use it to crash there.
	beforeRename func(tmp string)
	// beforeWrite, when set, runs after the target was inspected and before
	// anything is written; tests use it to race the write from outside.
	beforeWrite func()
	// planned holds, in a dry run, what the earlier file steps would leave
	// in each file (by resolved path), so that a later step's diff starts
	// from there and not from the file on disk, or from nothing.
	planned map[string]plannedFile
}

// plannedFile is a dry run's idea of a file after one of its steps.
type plannedFile struct {
	data []byte
	step int // the step that left it so
}

// Root maps the paths file steps name, as a sandboxed shell sees them, to the
// host paths that back them.
type Root interface {
	// Resolve follows symlinks as the shell inside would and returns the host
	// path of a file that may be written, or an error that says why not.
	Resolve(path string) (string, error)
	// Shown rewrites the host paths in a message as the shell inside names them.
	Shown(msg string) string
	// Base is the writable folder on this host that holds a path Resolve
	// returned: the step's reads and writes stay beneath it.
	Base(host string) string
}

// tempMarker is part of every temporary file's name, so that files left by a
// killed run can be recognised and removed by the next one.
const tempMarker = ".runbook-tmp-"

// backupSuffix names the backup beside the file when no BackupDir is set.
const backupSuffix = ".runbook-orig"

// fileChange is a planned file step: the target, what it holds now, what it will hold.
type fileChange struct {
	path    string      // expanded, symlinks resolved: where the bytes go on this host
	shown   string      // the path as the shell names it (differs from path in a sandbox)
	old     []byte      // current content; nil when the file does not exist
	info    fs.FileInfo // the current file's metadata; nil when it does not exist
	data    []byte      // the new content
	note    string      // what the step does, e.g. "created" or "merged 3 keys (1 changed, 2 added)"
	changed bool        // data differs from old (or the file is new)
	earlier int         // in a dry run: the earlier step whose content old is, 0 for the file on disk
	pl      place       // where path is read and written: this host, or a sandbox folder
}

// exists reports whether the target exists before the step: on disk, or
// in a dry run after an earlier step.
func (c *fileChange) exists() bool { return c.info != nil || c.earlier > 0 }

// Apply writes, merges or appends one File step and reports what happened.
func (f *Files) Apply(step *runbook.File) *runbook.Outcome {
	start := time.Now()
	out := &runbook.Outcome{}
	if err := f.apply(step, out); err != nil {
		out.Exit = 1
		out.Err = err
		if f.Root != nil {
			out.Err = errors.New(f.Root.Shown(err.Error()))
		}
	}
	out.Duration = time.Since(start)
	return out
}

// apply does the work of Apply and fills in out's notes, output and backup.
func (f *Files) apply(step *runbook.File, out *runbook.Outcome) error {
	if step == nil {
		return errors.New("no file step given")
	}
	c, err := f.plan(step)
	if err != nil {
		return err
	}
	if rp, ok := c.pl.(*rootPlace); ok {
		defer rp.Close()
	}
	if f.DryRun {
		out.Notes = append(out.Notes, "dry run", c.note)
		if c.changed {
			out.Output = unifiedDiff(c.shown, c.old, c.data, fromLabel(c), f.Redact)
		}
		if f.planned == nil {
			f.planned = map[string]plannedFile{}
		}
		f.planned[c.path] = plannedFile{data: c.data, step: step.ID}
		return nil
	}
	out.Notes = append(out.Notes, c.note)
	if !c.changed {
		return nil
	}
	if c.info != nil {
		backup, made, err := f.backup(c)
		if err != nil {
			return err
		}
		if made {
			out.Backup = backup
			out.Notes = append(out.Notes, "backed up to "+backup)
		} else {
			out.Notes = append(out.Notes, "original kept in "+backup)
		}
	}
	return f.write(c)
}

// plan expands the path, reads the current file and computes the new content.
func (f *Files) plan(step *runbook.File) (_ *fileChange, err error) {
	path, err := f.Expand(step.Path)
	if err != nil {
		return nil, err
	}
	c, err := f.target(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if rp, ok := c.pl.(*rootPlace); ok && err != nil {
			rp.Close()
		}
	}()
	if p, ok := f.planned[c.path]; ok && f.DryRun {
		c.old, c.earlier = p.data, p.step
	}
	content := []byte(step.Content)
	switch step.Mode {
	case runbook.Create:
		c.data, c.note = content, "created"
		if c.exists() {
			c.note = "replaced"
		}
	case runbook.Append:
		c.data, c.note = appendBlock(c.old, content)
	case runbook.Merge:
		data, sum, err := merge.Merge(step.Format, c.old, content, step.Key)
		if err != nil {
			return nil, fmt.Errorf("merge %s: %w", path, err)
		}
		c.data, c.note = data, sum.String()
		if !c.exists() {
			c.note = "created by merge"
		}
	default:
		return nil, fmt.Errorf("%s: unknown file mode %q (want create, merge or append)", path, step.Mode)
	}
	c.changed = !c.exists() || !bytes.Equal(c.old, c.data)
	if !c.changed {
		c.note = "unchanged"
	}
	return c, nil
}

// target inspects the file a step names, inside the Root when there is one.
func (f *Files) target(path string) (*fileChange, error) {
	if f.Root == nil {
		c, err := inspectTarget(hostPlace{}, path, true)
		if c != nil {
			c.shown = c.path
		}
		return c, err
	}
	host, err := f.Root.Resolve(path)
	if err != nil {
		return nil, err
	}
	pl, err := openPlace(f.Root.Base(host))
	if err != nil {
		return nil, err
	}
	// Resolve followed every symlink; one found now was planted since, and
	// following it on this host could lead anywhere.
	c, err := inspectTarget(pl, host, false)
	if err != nil {
		pl.Close()
		return nil, err
	}
	c.shown = f.Root.Shown(c.path)
	return c, nil
}

// inspectTarget finds what is at path now: nothing, a regular file (read), or
// something a file step must not replace.
func inspectTarget(pl place, path string, follow bool) (*fileChange, error) {
	c := &fileChange{path: path, pl: pl}
	info, err := pl.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if errors.Is(err, syscall.ENOTDIR) {
		if file := fileInPath(filepath.Dir(path)); file != "" {
			return nil, fmt.Errorf("cannot write %s: %s is a file, not a directory", path, file)
		}
	}
	if err != nil {
		return nil, fileErr("cannot inspect", path, err)
	}
	if info.Mode()&fs.ModeSymlink != 0 && !follow {
		return nil, fmt.Errorf("%s became a symlink while it was being written; not followed", path)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, fileErr("cannot follow the symlink", path, err)
		}
		c.path = real
		if info, err = os.Stat(real); err != nil {
			return nil, fileErr("cannot inspect", real, err)
		}
	}
	switch {
	case info.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a file", c.path)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file (%s)", c.path, info.Mode().Type())
	}
	old, err := pl.ReadFile(c.path)
	if err != nil {
		return nil, fileErr("cannot read", c.path, err)
	}
	c.old, c.info = old, info
	return c, nil
}

// appendBlock adds the block after the existing content, on a line of its
// own. A file that already ends with the block is left alone, so that a run
// resumed after a crash does not append twice.
func appendBlock(old, block []byte) ([]byte, string) {
	if len(block) > 0 && bytes.HasSuffix(old, block) {
		return old, "already appended"
	}
	data := make([]byte, 0, len(old)+len(block)+1)
	data = append(data, old...)
	if len(old) > 0 && old[len(old)-1] != '\n' {
		data = append(data, '\n')
	}
	data = append(data, block...)
	n := bytes.Count(block, []byte("\n"))
	if len(block) > 0 && block[len(block)-1] != '\n' {
		n++
	}
	if n == 1 {
		return data, "appended 1 line"
	}
	return data, fmt.Sprintf("appended %d lines", n)
}

// fileErr turns an error from the os package into a message that names the
// path once and says what failed, without any file content.
func fileErr(what, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return fmt.Errorf("%s %s: %w", what, path, err)
}

// Expand turns a path as the guide writes it into an absolute path, expanding
// ~, ~USER, $HOME, ${HOME}, $USER and ${USER} as the shell would; a relative
// path is taken relative to Home. Any other variable is an error, since its
// value in the guide's shell is unknown here.
func (f *Files) Expand(path string) (string, error) {
	if strings.TrimSpace(path) == "" {
		return "", errors.New("the file step has no path")
	}
	if strings.ContainsRune(path, 0) {
		return "", fmt.Errorf("path %q contains a NUL byte", path)
	}
	s, err := f.expandTilde(path)
	if err != nil {
		return "", err
	}
	if s, err = f.expandVars(path, s); err != nil {
		return "", err
	}
	if !filepath.IsAbs(s) {
		base := f.Dir
		if base == "" {
			base = f.Home
		}
		if base == "" {
			return "", fmt.Errorf("path %q is relative and no home directory is set", path)
		}
		s = filepath.Join(base, s)
	}
	return filepath.Clean(s), nil
}

// expandTilde expands a leading ~ or ~USER (the run's own user only).
func (f *Files) expandTilde(path string) (string, error) {
	if !strings.HasPrefix(path, "~") {
		return path, nil
	}
	name, rest, _ := strings.Cut(path[1:], "/")
	if name != "" && name != f.User {
		return "", fmt.Errorf("path %q: cannot expand ~%s; only ~ and ~%s are known", path, name, f.User)
	}
	if f.Home == "" {
		return "", fmt.Errorf("path %q: cannot expand ~ because no home directory is set", path)
	}
	return filepath.Join(f.Home, rest), nil
}

// expandVars expands $HOME, ${HOME}, $USER and ${USER} in s; a $ not
// followed by a name stays as it is, as in the shell.
func (f *Files) expandVars(path, s string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '$')
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		name, n, err := varName(s[i+1:])
		if err != nil {
			return "", fmt.Errorf("path %q: %w", path, err)
		}
		s = s[i+1+n:]
		if name == "" {
			b.WriteByte('$')
			continue
		}
		value, err := f.varValue(name)
		if err != nil {
			return "", fmt.Errorf("path %q: %w", path, err)
		}
		b.WriteString(value)
	}
}

// varName reads the variable name after a $ and how many bytes it spans:
// {NAME}, NAME, or a single digit or special character.
func varName(s string) (string, int, error) {
	if strings.HasPrefix(s, "{") {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", 0, errors.New("unterminated ${")
		}
		return s[1:end], end + 1, nil
	}
	n := 0
	for n < len(s) && (s[n] == '_' || isVarLetter(s[n]) || (n > 0 && isVarDigit(s[n]))) {
		n++
	}
	if n == 0 && len(s) > 0 && (isVarDigit(s[0]) || strings.IndexByte("@*#?-!$", s[0]) >= 0) {
		n = 1
	}
	return s[:n], n, nil
}

// varValue returns the value of one of the two variables a path may use.
func (f *Files) varValue(name string) (string, error) {
	var value string
	switch name {
	case "HOME":
		value = f.Home
	case "USER":
		value = f.User
	default:
		return "", fmt.Errorf("uses $%s; only $HOME and $USER are expanded in file paths", name)
	}
	if value == "" {
		return "", fmt.Errorf("$%s is not set for this run", name)
	}
	return value, nil
}

// isVarLetter and isVarDigit classify the bytes of a shell variable name.
func isVarLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isVarDigit(c byte) bool  { return c >= '0' && c <= '9' }
