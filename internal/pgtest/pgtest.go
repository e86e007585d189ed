// Package pgtest starts a throwaway PostgreSQL server for tests, the way
// Uberspace runs one for each user: Debian's postgresql package, the server
// under an unprivileged account (initdb and postgres refuse to run as root),
// no TCP at all, and its socket in a folder the test chooses (~/tmp on
// Uberspace). The server lives in t.TempDir() and is stopped in t.Cleanup.
package pgtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Options says how the server is set up; the zero value is usable.
type Options struct {
	// Superuser is the role initdb makes and PGUSER names; default "isabell",
	// the account that owns the server on Uberspace.
	Superuser string
	// SocketDir holds the server's socket; default a new temp dir. It is
	// created if needed and handed to the server's account.
	SocketDir string
	// HBA replaces pg_hba.conf. The default trusts the superuser and asks
	// every other role for its password (scram-sha-256), so a test can tell
	// a right password from a wrong one.
	HBA string
}

// Server is a running PostgreSQL server.
type Server struct {
	BinDir    string // the server's programs; put it first on PATH so clients match
	DataDir   string
	SocketDir string // PGHOST
	Superuser string // PGUSER
	Port      int    // PGPORT; only names the socket, since there is no TCP
	log       string
}

// requireIntegration is the charter's switch: with it set, a missing
// PostgreSQL fails the test instead of skipping it.
const requireIntegration = "RUNBOOK_REQUIRE_INTEGRATION"

// Require skips the test when PostgreSQL's server programs are missing, or
// fails it when RUNBOOK_REQUIRE_INTEGRATION=1, and returns their folder.
func Require(t testing.TB) string {
	t.Helper()
	bin, err := BinDir()
	return require(t, bin, err)
}

// require is Require with the search's result given, so that both answers
// to a missing server can be tested on a machine that has one.
func require(t testing.TB, bin string, err error) string {
	t.Helper()
	if err != nil {
		if os.Getenv(requireIntegration) == "1" {
			t.Fatalf("PostgreSQL is required (%s=1): %v", requireIntegration, err)
		} else {
			t.Skipf("PostgreSQL not installed: %v", err)
		}
		return ""
	}
	return bin
}

// BinDir finds the folder with initdb, pg_ctl and postgres: the newest
// /usr/lib/postgresql/N/bin (Debian keeps them off PATH), else PATH.
func BinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return major(dirs[i]) > major(dirs[j]) })
	for _, d := range dirs {
		if hasServer(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil && hasServer(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no initdb, pg_ctl and postgres in /usr/lib/postgresql/*/bin or on PATH (Debian: apt-get install postgresql)")
}

func major(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func hasServer(dir string) bool {
	for _, prog := range []string{"initdb", "pg_ctl", "postgres", "psql"} {
		if fi, err := os.Stat(filepath.Join(dir, prog)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}

// Start initialises a cluster in t.TempDir(), starts it and waits until it
// accepts connections (pg_ctl -w). t.Cleanup stops it.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin := Require(t)
	if o.Superuser == "" {
		o.Superuser = "isabell"
	}
	acct, err := serverAccount()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	root := t.TempDir()
	if o.SocketDir == "" {
		o.SocketDir = t.TempDir()
	}
	s := &Server{BinDir: bin, DataDir: filepath.Join(root, "data"), SocketDir: o.SocketDir,
		Superuser: o.Superuser, Port: 5432, log: filepath.Join(root, "server.log")}
	if n := len(s.SocketDir) + len("/.s.PGSQL.5432"); n > 107 {
		t.Fatalf("pgtest: the socket path in %s is %d bytes, over the 107 a unix socket allows", s.SocketDir, n)
	}
	for _, dir := range []string{root, s.SocketDir} {
		if err := acct.own(dir); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
	}
	if err := s.initdb(acct, o); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if out, err := acct.run(s.pgCtl("start", "-l", s.log, "-t", "60")); err != nil {
		t.Fatalf("pgtest: pg_ctl start: %v\n%s\nserver log:\n%s", err, out, readFile(s.log))
	}
	t.Cleanup(func() {
		if out, err := acct.run(s.pgCtl("stop", "-m", "fast", "-t", "60")); err != nil {
			t.Errorf("pgtest: pg_ctl stop: %v\n%s", err, out)
		}
	})
	return s
}

// initdb makes the cluster and writes its settings: socket only, fast and
// throwaway (fsync off), and the client authentication of o.
func (s *Server) initdb(acct account, o Options) error {
	args := []string{"-D", s.DataDir, "-U", s.Superuser, "--auth=trust",
		"--encoding=UTF8", "--no-locale", "--no-sync"}
	if out, err := acct.run(exec.Command(filepath.Join(s.BinDir, "initdb"), args...)); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	conf := fmt.Sprintf("\n# pgtest\nlisten_addresses = ''\nunix_socket_directories = '%s'\nport = %d\n"+
		"fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 20\n"+
		"password_encryption = 'scram-sha-256'\n",
		strings.ReplaceAll(s.SocketDir, "'", "''"), s.Port)
	hba := o.HBA
	if hba == "" {
		hba = fmt.Sprintf("local all %s trust\nlocal all all scram-sha-256\n", s.Superuser)
	}
	f, err := os.OpenFile(filepath.Join(s.DataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(conf); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(s.DataDir, "pg_hba.conf"), []byte(hba), 0o600)
}

func (s *Server) pgCtl(action string, args ...string) *exec.Cmd {
	argv := append([]string{"-D", s.DataDir, "-w"}, args...)
	return exec.Command(filepath.Join(s.BinDir, "pg_ctl"), append(argv, action)...)
}

// Env is what a client needs to reach the server as its superuser:
// PGHOST, PGPORT and PGUSER.
func (s *Server) Env() []string {
	return []string{"PGHOST=" + s.SocketDir, "PGPORT=" + strconv.Itoa(s.Port), "PGUSER=" + s.Superuser}
}

// Psql runs the server's psql with env (KEY=VALUE, after Env) and args, in
// unaligned tuples-only mode, and returns its trimmed standard output. It
// runs as the test's own user, as a guide's commands do.
func (s *Server) Psql(ctx context.Context, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(s.BinDir, "psql"),
		append([]string{"--no-psqlrc", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1"}, args...)...)
	// The test's own PG* settings (a PGPASSWORD, a PGDATABASE) must not leak in.
	base := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "PG") })
	cmd.Env = append(append(base, s.Env()...), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return strings.TrimSpace(stdout.String()), fmt.Errorf("psql %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// account is who runs the server: the test's own user, or, under root,
// the postgres account Debian's package makes (else nobody).
type account struct {
	cred *syscall.Credential // nil: the current user
}

func serverAccount() (account, error) {
	if os.Geteuid() != 0 {
		return account{}, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		if uid == 0 {
			continue
		}
		return account{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}, nil
	}
	return account{}, fmt.Errorf("running as root, and there is no postgres or nobody account to run the server as")
}

// own hands dir to the account and lets it pass through the folders above
// (t.TempDir() makes them 0700 for root).
func (a account) own(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if a.cred == nil {
		return nil
	}
	if err := os.Chown(dir, int(a.cred.Uid), int(a.cred.Gid)); err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return err
	}
	for up := filepath.Dir(dir); up != filepath.Dir(up); up = filepath.Dir(up) {
		fi, err := os.Stat(up)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 != 0 {
			continue
		}
		if !strings.HasPrefix(up, filepath.Clean(os.TempDir())+string(filepath.Separator)) {
			return fmt.Errorf("the server's account cannot reach %s: %s is not searchable and not a temp folder", dir, up)
		}
		if err := os.Chmod(up, fi.Mode().Perm()|0o011); err != nil {
			return err
		}
	}
	return nil
}

// run runs cmd as the account, with a small fixed environment, and returns
// its combined output.
func (a account) run(cmd *exec.Cmd) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	c.Env = []string{"PATH=" + filepath.Dir(cmd.Path) + ":/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"}
	c.Dir = "/"
	if a.cred != nil {
		c.SysProcAttr = &syscall.SysProcAttr{Credential: a.cred}
	}
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	return out.Bytes(), err
}

func readFile(name string) string {
	data, err := os.ReadFile(name)
	if err != nil {
		return err.Error()
	}
	return string(data)
}
