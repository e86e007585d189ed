package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor/sandbox"
	"github.com/runbookdev/runbook/fixtures/stardust"
	"github.com/runbookdev/runbook/runner"
)

// sandboxNew is --sandbox given without a folder: a new one under $TMPDIR.
const sandboxNew = "new"

// defaultProfile is the host profile a sandbox uses unless --profile names another.
const defaultProfile = "stardust"

// builtinProfiles are the profiles built into the binary, by name.
var builtinProfiles = map[string]func() fs.FS{"stardust": stardust.FS}

// sandboxFlags are the flags every command that can use a sandbox shares.
type sandboxFlags struct {
	profile string
	keep    bool
}

func (f *sandboxFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.profile, "profile", defaultProfile,
		"the host the sandbox imitates: a built-in profile's `NAME` (stardust, Uberspace) or a profile folder")
	fl.BoolVar(&f.keep, "keep", false, "leave the sandbox's folder when done, and say where it is (its logs have secrets masked)")
}

// guideSandbox is what a sandbox needs to know about one guide: the values
// of its user, host and domains, and the secrets to mask in the logs it keeps.
type guideSandbox struct {
	params []runbook.Param
	dir    string // the sandbox's folder; empty means a new one under $TMPDIR
	keep   bool
	redact func(string) string
	log    io.Writer // where a long profile setup says it is starting
}

// startSandbox makes a fresh sandbox for one guide: its user, host and
// domains from the guide's parameters (after --set), the host from --profile.
// Several may be made at once (one per guide of a check).
func startSandbox(ctx context.Context, f sandboxFlags, g guideSandbox) (*sandbox.Sandbox, error) {
	prof, err := profileDir(f.profile)
	if err != nil {
		return nil, err
	}
	user, host, domains := sandboxNames(g.params)
	return sandbox.New(ctx, sandbox.Options{Dir: g.dir, Profile: prof, User: user, Host: host,
		Domains: domains, Keep: f.keep || g.keep, Redact: g.redact, Log: g.log})
}

// sandboxNames picks the user, host and domains out of a guide's parameters,
// with their values as set.
func sandboxNames(ps []runbook.Param) (user, host string, domains []string) {
	for _, p := range ps {
		switch {
		case p.Kind == runbook.ParamUser && p.Name == "user":
			user = p.Value
		case p.Kind == runbook.ParamHost && host == "":
			host = p.Value
		case p.Kind == runbook.ParamDomain && p.Value != "":
			domains = append(domains, p.Value)
		}
	}
	return user, host, domains
}

// sandboxHome is the home the guide's user has inside a sandbox.
func sandboxHome(ps []runbook.Param) string {
	user, _, _ := sandboxNames(ps)
	if user == "" {
		user = "isabell"
	}
	return "/home/" + user
}

// profileDir finds the profile folder for --profile: a folder on disk, or a
// built-in profile extracted to the cache.
func profileDir(name string) (string, error) {
	if strings.ContainsRune(name, os.PathSeparator) || name == "." || name == ".." {
		if _, err := os.Stat(filepath.Join(name, "profile.yaml")); err != nil {
			return "", usageErrorf("--profile %s: not a host profile (no profile.yaml in it)", name)
		}
		return name, nil
	}
	fsys, ok := builtinProfiles[name]
	if !ok {
		if _, err := os.Stat(filepath.Join(name, "profile.yaml")); err == nil {
			return name, nil
		}
		return "", usageErrorf("--profile %s: no such built-in profile (there is %s) and no profile folder of that name", name, defaultProfile)
	}
	cache, err := sandbox.DefaultCacheDir()
	if err != nil {
		return "", usageErrorf("%v", err)
	}
	return sandbox.Extract(fsys(), cache)
}

// sandboxReady checks, before anything runs, that a sandbox can be made: a
// missing bwrap is one clear error (exit 2), not a failure per guide.
func sandboxReady() error {
	if err := sandbox.Check(); err != nil {
		var me *sandbox.MissingError
		if errors.As(err, &me) {
			return usageErrorf("%v", err)
		}
		return err
	}
	return nil
}

// useSandbox points the runner's options at the sandbox.
func useSandbox(opts *runner.Options, sb *sandbox.Sandbox) {
	opts.Sandbox = sb
	opts.Dir = sb.Home()
	opts.BackupDir = sb.BackupDir()
	opts.Login = false
}

// sayKept tells where a kept sandbox is.
func sayKept(w io.Writer, path string, sb *sandbox.Sandbox) {
	fmt.Fprintf(w, "%s: %s: kept the sandbox in %s (home/ is %s; logs in run/logs)\n", programName, path, sb.Dir(), sb.Home())
}

// lockedWriter serialises writes from several guides' goroutines.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
