package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/runbookdev/runbook/internal/quote"
)

// mountKind is what bwrap puts at a place inside.
type mountKind int

const (
	bindRO  mountKind = iota // a host folder or file, read-only
	bindRW                   // a folder of the sandbox's, writable
	tmpfs                    // an empty in-memory folder
	dir                      // an empty folder in the root's tmpfs
	symlink                  // a symlink (host holds its target)
)

// mount is one entry of the sandbox's file system, in the order bwrap makes them.
type mount struct {
	kind   mountKind
	inside string
	host   string // the source of a bind, the target of a symlink
	perms  uint32 // octal mode of a tmpfs or dir; 0 means bwrap's default
}

// systemDirs are the host's top-level folders (or links) the sandbox shows, read-only.
var systemDirs = []string{"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc"}

// varDirs are the folders of the host's /var the sandbox shows, read-only;
// /var/tmp is private and the rest (logs, mail, spool, www) empty.
var varDirs = map[string]bool{"cache": true, "lib": true, "local": true, "opt": true}

// layout lists the sandbox's file system: the system read-only, the real
// /home, /root, /run and the rest of the host absent, and the sandbox's own
// writable folders where the user expects them.
func (s *Sandbox) layout() []mount {
	var ms []mount
	for _, name := range systemDirs {
		ms = append(ms, hostEntry("/"+name)...)
	}
	ms = append(ms, s.varLayout()...)
	ms = append(ms,
		mount{kind: tmpfs, inside: "/home", perms: 0o755},
		mount{kind: bindRW, inside: s.home, host: filepath.Join(s.dir, "home")},
		mount{kind: dir, inside: "/root", perms: 0o700},
		mount{kind: bindRW, inside: "/tmp", host: filepath.Join(s.dir, "tmp")},
		mount{kind: tmpfs, inside: "/run", perms: 0o755},
		mount{kind: bindRW, inside: StatePath, host: filepath.Join(s.dir, "run")},
	)
	ms = append(ms, s.runDirs()...)
	ms = append(ms,
		mount{kind: dir, inside: "/opt", perms: 0o755},
		mount{kind: bindRO, inside: ProfilePath, host: s.prof.Dir},
	)
	if s.cache != "" {
		ms = append(ms, mount{kind: bindRO, inside: CachePath, host: s.cache})
	} else {
		ms = append(ms, mount{kind: dir, inside: CachePath, perms: 0o755})
	}
	return append(ms, s.etcLayout()...)
}

// runDirs are the profile's folders under /run (a supervisord socket's):
// each an in-memory folder of the user's, new with every shell, as a real
// /run is after a reboot.
func (s *Sandbox) runDirs() []mount {
	var ms []mount
	r := s.placeholders()
	for _, d := range s.prof.Dirs {
		if p := filepath.Clean(r.Replace(d)); isRunDir(p) {
			ms = append(ms, mount{kind: tmpfs, inside: p, perms: 0o755})
		}
	}
	return ms
}

// isRunDir says whether a profile folder is under /run but not in the state folder.
func isRunDir(p string) bool {
	_, inState := within(StatePath, p)
	return strings.HasPrefix(p, "/run/") && !inState
}

// hostEntry shows a host folder read-only, or recreates a host symlink (/bin → usr/bin).
func hostEntry(path string) []mount {
	fi, err := os.Lstat(path)
	switch {
	case err != nil:
		return nil
	case fi.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(path)
		if err != nil {
			return nil
		}
		return []mount{{kind: symlink, inside: path, host: target}}
	case fi.IsDir():
		return []mount{{kind: bindRO, inside: path, host: path}}
	}
	return nil
}

// varLayout is /var: a few host folders, a private /var/tmp, the web root.
func (s *Sandbox) varLayout() []mount {
	ms := []mount{{kind: dir, inside: "/var", perms: 0o755}}
	ents, _ := os.ReadDir("/var")
	for _, e := range ents {
		path := "/var/" + e.Name()
		switch {
		case e.Name() == "tmp":
			ms = append(ms, mount{kind: tmpfs, inside: path, perms: 0o1777})
		case e.Type()&os.ModeSymlink != 0 || varDirs[e.Name()]:
			ms = append(ms, hostEntry(path)...)
		case e.IsDir() && e.Name() != "www":
			ms = append(ms, mount{kind: dir, inside: path, perms: 0o755})
		}
	}
	return append(ms,
		mount{kind: dir, inside: "/var/www/virtual", perms: 0o755},
		mount{kind: bindRW, inside: "/var/www/virtual/" + s.user, host: filepath.Join(s.dir, "www")})
}

// etcLayout replaces the host's account, name and CA files with the
// sandbox's, and hides the host's private keys.
func (s *Sandbox) etcLayout() []mount {
	var ms []mount
	for _, name := range etcFiles {
		if _, err := os.Stat("/etc/" + name); err == nil || name == "hosts" || name == "hostname" {
			ms = append(ms, mount{kind: bindRO, inside: "/etc/" + name, host: filepath.Join(s.dir, "etc", name)})
		}
	}
	if s.caInEtc() {
		ms = append(ms, mount{kind: bindRO, inside: systemBundle, host: filepath.Join(s.dir, "run", "tls", "bundle.pem")})
	}
	if fi, err := os.Stat("/etc/ssl/private"); err == nil && fi.IsDir() {
		ms = append(ms, mount{kind: tmpfs, inside: "/etc/ssl/private", perms: 0o700})
	}
	keys, _ := filepath.Glob("/etc/ssh/ssh_host_*_key")
	for _, k := range keys {
		ms = append(ms, mount{kind: bindRO, inside: k, host: filepath.Join(s.dir, "etc", "empty")})
	}
	return ms
}

// writableMount finds the writable folder that holds path (cleaned and
// absolute), and path relative to it.
func (s *Sandbox) writableMount(path string) (mount, string, bool) {
	best, rel, found := mount{}, "", false
	for _, m := range s.mounts {
		if m.kind != bindRW || len(m.inside) < len(best.inside) {
			continue
		}
		if r, ok := within(m.inside, path); ok {
			best, rel, found = m, r, true
		}
	}
	return best, rel, found
}

// within reports whether path is base or below it, and path relative to base.
func within(base, path string) (string, bool) {
	if path == base {
		return ".", true
	}
	if base == "/" {
		return path[1:], true
	}
	if strings.HasPrefix(path, base+"/") {
		return path[len(base)+1:], true
	}
	return "", false
}

// Argv is the command that starts a shell in the sandbox; the executor
// appends bash's own flags, which reach bash unchanged.
func (s *Sandbox) Argv() []string {
	a := []string{s.bwrap, "--unshare-all", "--uid", "0", "--gid", "0", "--die-with-parent", "--hostname", s.host}
	for _, m := range s.mounts {
		a = append(a, m.args()...)
	}
	a = append(a, "--dev", "/dev", "--proc", "/proc",
		// uid 1000 inside may be root outside: the kernel's settings and sysrq stay out of reach.
		"--ro-bind", "/proc/sys", "/proc/sys", "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger",
		"--bind", unprivPorts, unprivPorts,
		"--remount-ro", "/", "--remount-ro", "/home", "--remount-ro", "/run",
		"--cap-add", "CAP_NET_ADMIN", "--cap-add", "CAP_SETFCAP", "--chdir", s.home)
	a = append(a, envArgs(s.env)...)
	return append(a, "--", "/bin/sh", "-c", outerScript, "sh", s.innerScript())
}

// unprivPorts is the sandbox network's lowest port a user may bind.
const unprivPorts = "/proc/sys/net/ipv4/ip_unprivileged_port_start"

// args renders one mount as bwrap options.
func (m mount) args() []string {
	var perms []string
	if m.perms != 0 {
		perms = []string{"--perms", fmt.Sprintf("%04o", m.perms)}
	}
	switch m.kind {
	case bindRO:
		return []string{"--ro-bind", m.host, m.inside}
	case bindRW:
		return []string{"--bind", m.host, m.inside}
	case tmpfs:
		return append(perms, "--tmpfs", m.inside)
	case dir:
		return append(perms, "--dir", m.inside)
	case symlink:
		return []string{"--symlink", m.host, m.inside}
	}
	return nil
}

// envArgs clears the host's environment, except what the executor sets for
// the terminal, and sets the sandbox's.
func envArgs(env []string) []string {
	keep := map[string]bool{"TERM": true, "LANG": true, "COLUMNS": true, "LINES": true}
	var a []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !keep[k] && k != "" {
			a = append(a, "--unsetenv", k)
		}
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		a = append(a, "--setenv", k, v)
	}
	return a
}

// outerScript runs as uid 0 of the sandbox's first user namespace: it lets
// the user bind low ports in the sandbox's network, then becomes the user
// (uid 1000 of a second user namespace) with every capability dropped.
const outerScript = `echo 0 >` + unprivPorts + ` 2>>` + StatePath + `/logs/sandbox.log ||
  echo "runbook: ports below 1024 stay privileged in this sandbox" >>` + StatePath + `/logs/sandbox.log
inner=$1; shift
exec unshare --user --map-user=1000 --map-group=1000 --keep-caps \
  setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all --no-new-privs \
  /bin/sh -c "$inner" sh "$@"`

// innerScript runs as the user: the profile's init (bounded, its output to
// its log), then bash.
func (s *Sandbox) innerScript() string {
	var b strings.Builder
	if s.prof.Init != "" {
		init := quote.ShellWord(ProfilePath + "/" + filepath.ToSlash(s.prof.Init))
		fmt.Fprintf(&b, "timeout -k 5 %d %s </dev/null >>%s/logs/init.log 2>&1\necho $? >>%s/init.status\n",
			int(InitTimeout.Seconds()), init, StatePath, StatePath)
	}
	b.WriteString(`exec /bin/bash "$@"`)
	return b.String()
}

// environment is every variable the shell and init see (PROFILE.md).
func (s *Sandbox) environment() []string {
	r := s.placeholders()
	var path []string
	for _, p := range s.prof.Path {
		path = append(path, r.Replace(p))
	}
	path = append(path, "/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin")
	bundle := StatePath + "/tls/bundle.pem"
	if s.caInEtc() {
		bundle = systemBundle
	}
	env := []string{"HOME=" + s.home, "USER=" + s.user, "LOGNAME=" + s.user, "SHELL=/bin/bash",
		"PATH=" + strings.Join(path, ":"),
		"RUNBOOK_PROFILE=" + ProfilePath, "RUNBOOK_CACHE=" + CachePath, "RUNBOOK_STATE=" + StatePath,
		"RUNBOOK_SIMULATED=" + SimulatedPath, "RUNBOOK_DOMAINS=" + strings.Join(s.guideDomains, " "),
		"RUNBOOK_HOST=" + s.host, "RUNBOOK_USER=" + s.user, "RUNBOOK_UID=" + strconv.Itoa(sandboxUID),
		"SSL_CERT_FILE=" + bundle, "REQUESTS_CA_BUNDLE=" + bundle, "CURL_CA_BUNDLE=" + bundle,
		"NODE_EXTRA_CA_CERTS=" + StatePath + "/tls/ca.pem"}
	for _, k := range sortedKeys(s.prof.Env) {
		env = append(env, k+"="+r.Replace(s.prof.Env[k]))
	}
	return append(env, s.opts.Env...)
}
