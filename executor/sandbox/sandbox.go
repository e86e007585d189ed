package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/runbookdev/runbook/executor"
)

// InitTimeout bounds the profile's init program; StartTimeout is how long a
// shell in the sandbox may take to show its first prompt (init included).
const (
	InitTimeout  = 90 * time.Second
	StartTimeout = InitTimeout + 30*time.Second
)

// Options configures a sandbox.
type Options struct {
	Dir      string   // the sandbox's folder on this host; empty means a new one under $TMPDIR
	Profile  string   // the host profile's folder on this host (required)
	CacheDir string   // where a profile's setup output is kept; empty means $XDG_CACHE_HOME/runbook
	User     string   // the user inside; empty means the profile's
	Host     string   // the hostname inside; empty means the profile's
	Domains  []string // the guide's domains: they resolve to 127.0.0.1 and have a certificate
	Env      []string // extra environment inside, KEY=VALUE
	// Keep leaves the folder in place on Close (its logs redacted).
	Keep bool
	// Redact masks secret values; Close applies it to the logs it keeps.
	Redact func(string) string
	// Log receives one line when a profile's setup starts (it can take minutes); may be nil.
	Log io.Writer
}

// Sandbox is one throwaway host: a folder on this machine and the bwrap
// command that starts a shell in it. Shells started with its ShellOptions
// share its files; each has its own processes.
type Sandbox struct {
	opts    Options
	prof    *Profile
	dir     string   // the sandbox's folder on this host
	made    bool     // New created dir (else it was given and existed)
	lock    *os.File // held while the sandbox lives (see sweepStale)
	user    string
	host    string
	home    string
	domains []string // every name that resolves to 127.0.0.1 and has a certificate
	// guideDomains are the guide's own, which the reader has set up
	// (RUNBOOK_DOMAINS); domains adds the profile's.
	guideDomains []string
	cache        string // setup's output on this host; empty when the profile has no setup
	bwrap        string
	mounts       []mount
	env          []string // the environment inside, KEY=VALUE
	marks        marks
	closed       bool
}

var (
	userName = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	hostName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)
)

// New makes the sandbox's folder and everything the shell needs inside it: the
// user's files in /etc, the TLS files, the profile's folders and links, and
// the profile's setup (run once per profile version, then cached).
func New(ctx context.Context, opts Options) (*Sandbox, error) {
	bwrap, err := lookTools()
	if err != nil {
		return nil, err
	}
	if opts.Profile == "" {
		return nil, errors.New("no host profile given")
	}
	prof, err := LoadProfile(opts.Profile)
	if err != nil {
		return nil, err
	}
	s := &Sandbox{opts: opts, prof: prof, bwrap: bwrap,
		user: firstOf(opts.User, prof.User, "isabell"), host: firstOf(opts.Host, prof.Host, "stardust")}
	s.home = "/home/" + s.user
	if err := s.checkNames(); err != nil {
		return nil, err
	}
	if s.cache, err = s.setup(ctx); err != nil {
		return nil, err
	}
	if err := s.makeDir(); err != nil {
		return nil, err
	}
	if err := s.populate(); err != nil {
		s.removeDir()
		return nil, err
	}
	return s, nil
}

// Check says whether a sandbox can be made here: a *MissingError names the
// package to install.
func Check() error {
	_, err := lookTools()
	return err
}

// lookTools finds bwrap and the util-linux programs the shell's start uses.
func lookTools() (string, error) {
	bwrap, err := exec.LookPath("bwrap")
	if err != nil {
		return "", &MissingError{Program: "bwrap", Package: "bubblewrap"}
	}
	for _, prog := range []string{"unshare", "setpriv", "timeout"} {
		if _, err := exec.LookPath(prog); err != nil {
			pkg := "util-linux"
			if prog == "timeout" {
				pkg = "coreutils"
			}
			return "", &MissingError{Program: prog, Package: pkg}
		}
	}
	return bwrap, nil
}

// firstOf returns the first non-empty string.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// checkNames refuses a user, host or domain that could not be one: each ends
// up in /etc/passwd, /etc/hosts and a certificate.
func (s *Sandbox) checkNames() error {
	if !userName.MatchString(s.user) {
		return fmt.Errorf("%q cannot be the sandbox's user name: use lower-case letters, digits, _ and -", s.user)
	}
	if !hostName.MatchString(s.host) {
		return fmt.Errorf("%q cannot be the sandbox's host name", s.host)
	}
	r := s.placeholders()
	for i, d := range append(slices.Clone(s.opts.Domains), s.prof.Domains...) {
		d = strings.ToLower(strings.TrimSuffix(r.Replace(d), "."))
		if !hostName.MatchString(d) || !strings.Contains(d, ".") {
			return fmt.Errorf("%q cannot be a domain in the sandbox", d)
		}
		if slices.Contains(s.domains, d) {
			continue
		}
		s.domains = append(s.domains, d)
		if i < len(s.opts.Domains) {
			s.guideDomains = append(s.guideDomains, d)
		}
	}
	return nil
}

// makeDir creates the sandbox's folder (or reuses a given one) and the
// folders that back the writable places inside.
func (s *Sandbox) makeDir() error {
	s.dir = s.opts.Dir
	if s.dir == "" {
		sweepStale(os.TempDir())
		d, err := os.MkdirTemp("", tempPrefix)
		if err != nil {
			return fmt.Errorf("cannot make the sandbox's folder: %v", err)
		}
		s.dir, s.made = d, true
		// The lock first: a sweep takes a folder for a sandbox only once
		// its marker is there, and by then the lock is held.
		if err := s.lockDir(); err != nil {
			return fmt.Errorf("cannot lock the sandbox's folder: %v", err)
		}
	} else {
		abs, err := filepath.Abs(s.dir)
		if err != nil {
			return err
		}
		s.dir = abs
		made, err := claimDir(abs)
		if err != nil {
			return err
		}
		s.made = made
	}
	for _, sub := range []string{"home", "www", "tmp", "run/logs", "run/tls", "etc", "backups"} {
		if err := os.MkdirAll(filepath.Join(s.dir, sub), 0o755); err != nil {
			return fmt.Errorf("cannot make the sandbox's folder: %v", err)
		}
	}
	if err := os.WriteFile(filepath.Join(s.dir, markerFile), []byte(markerText), 0o644); err != nil {
		return err
	}

	// /tmp is everyone's, as on any host; the folder itself is ours alone.
	if err := os.Chmod(filepath.Join(s.dir, "tmp"), os.ModeSticky|0o777); err != nil {
		return err
	}
	return os.Chmod(s.dir, 0o700)
}

// markerFile marks a folder as a sandbox, so that a given folder that holds
// anything else is refused rather than filled (or, later, removed).
const (
	markerFile = "RUNBOOK-SANDBOX"
	markerText = "This folder is a runbook sandbox: home/ is the user's home, www/ is /var/www/virtual/USER,\n" +
		"tmp/ is /tmp, run/ is /run/runbook (logs in run/logs), backups/ holds originals of changed files.\n"
)

// claimDir accepts a folder for a sandbox: new, empty, or a sandbox already;
// it reports whether the folder is new.
func claimDir(dir string) (bool, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("cannot use %s for the sandbox: %v", dir, err)
	}
	if len(ents) == 0 {
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(dir, markerFile)); err != nil {
		return false, fmt.Errorf("cannot use %s for the sandbox: it is not empty and not a sandbox (no %s in it)", dir, markerFile)
	}
	return false, nil
}

// populate writes the generated files and the profile's folders and links.
func (s *Sandbox) populate() error {
	s.mounts = s.layout()
	if err := s.writeEtc(); err != nil {
		return err
	}
	if err := s.writeTLS(); err != nil {
		return err
	}
	if err := s.makeProfileDirs(); err != nil {
		return err
	}
	s.env = s.environment()
	return s.marks.start(s.dir)
}

// Dir is the sandbox's folder on this host.
func (s *Sandbox) Dir() string { return s.dir }

// Home is the user's home inside (/home/isabell).
func (s *Sandbox) Home() string { return s.home }

// User is the user's name inside.
func (s *Sandbox) User() string { return s.user }

// Host is the hostname inside.
func (s *Sandbox) Host() string { return s.host }

// Domains are the names that resolve to 127.0.0.1 inside and have a certificate.
func (s *Sandbox) Domains() []string { return slices.Clone(s.domains) }

// BackupDir is where file steps keep originals: in the sandbox's folder, not
// visible inside.
func (s *Sandbox) BackupDir() string { return filepath.Join(s.dir, "backups") }

// StateFile is where a run in this sandbox keeps its progress (--resume).
func (s *Sandbox) StateFile() string { return filepath.Join(s.dir, StateFileName) }

// StateFileName is the state file's name in the sandbox's folder.
const StateFileName = "state.json"

// HostPath is the folder on this host that backs a writable path inside, or "".
func (s *Sandbox) HostPath(inside string) string {
	m, rel, ok := s.writableMount(filepath.Clean(inside))
	if !ok {
		return ""
	}
	return filepath.Join(m.host, rel)
}

// ShellOptions returns o changed to start its shell inside the sandbox: the
// bwrap command, and time for the profile's init.
func (s *Sandbox) ShellOptions(o executor.ShellOptions) executor.ShellOptions {
	o.Argv = s.Argv()
	o.StartTimeout = max(o.StartTimeout, StartTimeout)
	if o.Dir == "" {
		o.Dir = s.home
	}
	o.Login = false // the environment is the sandbox's; a login profile would change it
	return o
}

// Close removes the sandbox's folder, or with Keep leaves it and masks the
// secrets in its logs. Shells started in it must be closed first.
func (s *Sandbox) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.unlockDir(s.opts.Keep)
	if s.opts.Keep {
		return s.redactLogs()
	}
	return s.removeDir()
}

// removeDir deletes the sandbox's folder, if this sandbox made it.
func (s *Sandbox) removeDir() error {
	if s.dir == "" || !s.made && s.opts.Dir != "" {
		return nil
	}
	if err := removeAll(s.dir); err != nil {
		return fmt.Errorf("cannot remove the sandbox %s: %v", s.dir, err)
	}
	return nil
}

// removeAll deletes a folder, making read-only folders in it (a Go module
// cache, a chmod 000 in a guide) writable first when that is what stops it.
func removeAll(dir string) error {
	if err := os.RemoveAll(dir); err == nil {
		return nil
	}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(path, 0o700)
		}
		return nil
	})
	return os.RemoveAll(dir)
}
