package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStart starts a real server and checks what tests rely on: the socket
// where asked, no TCP, the superuser by trust, other roles by password, and
// a server that is not root.
func TestStart(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "tmp")
	s := Start(t, Options{SocketDir: sock})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := os.Stat(filepath.Join(sock, ".s.PGSQL.5432")); err != nil {
		t.Fatalf("no socket in the socket folder: %v", err)
	}
	got, err := s.Psql(ctx, nil, "-d", "postgres", "-c", "SELECT current_user, current_setting('listen_addresses'), current_setting('unix_socket_directories')")
	if err != nil {
		t.Fatal(err)
	}
	if want := "isabell||" + sock; got != want {
		t.Errorf("superuser, listen_addresses, socket dirs = %q, want %q", got, want)
	}
	if _, err := s.Psql(ctx, nil, "-d", "postgres", "-c", "CREATE ROLE app LOGIN PASSWORD 'right horse'"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Psql(ctx, []string{"PGPASSWORD=right horse"}, "-U", "app", "-d", "postgres", "-c", "SELECT current_user"); err != nil || got != "app" {
		t.Errorf("the right password: %q, %v", got, err)
	}
	if _, err := s.Psql(ctx, []string{"PGPASSWORD=wrong horse"}, "-U", "app", "-d", "postgres", "-c", "SELECT 1"); err == nil ||
		!strings.Contains(err.Error(), "password authentication failed") {
		t.Errorf("a wrong password was not refused: %v", err)
	}
	fi, err := os.Stat(filepath.Join(s.DataDir, "PG_VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	if owner := fileOwner(fi); owner == 0 {
		t.Errorf("the cluster belongs to root")
	}
}

// TestStop checks that t.Cleanup stops the server: its socket is gone.
func TestStop(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "sock")
	t.Run("server", func(t *testing.T) { Start(t, Options{SocketDir: sock}) })
	if _, err := os.Stat(filepath.Join(sock, ".s.PGSQL.5432")); !os.IsNotExist(err) {
		t.Errorf("the socket is still there after cleanup: %v", err)
	}
}

func fileOwner(fi os.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

// verdictTB records what a helper asked of its test instead of stopping it.
type verdictTB struct {
	testing.TB
	fatal, skip string
}

func (v *verdictTB) Helper()                      {}
func (v *verdictTB) Fatalf(f string, args ...any) { v.fatal = fmt.Sprintf(f, args...) }
func (v *verdictTB) Skipf(f string, args ...any)  { v.skip = fmt.Sprintf(f, args...) }

// TestRequireMissing: a missing PostgreSQL skips, unless the charter's
// RUNBOOK_REQUIRE_INTEGRATION=1 says it must be there; then it fails.
func TestRequireMissing(t *testing.T) {
	missing := errors.New("no initdb")
	for _, tc := range []struct{ env, fatal, skip string }{
		{"1", "PostgreSQL is required (RUNBOOK_REQUIRE_INTEGRATION=1): no initdb", ""},
		{"", "", "PostgreSQL not installed: no initdb"},
		{"0", "", "PostgreSQL not installed: no initdb"},
	} {
		t.Setenv(requireIntegration, tc.env)
		v := &verdictTB{TB: t}
		require(v, "", missing)
		if v.fatal != tc.fatal || v.skip != tc.skip {
			t.Errorf("%s=%q: fatal %q, skip %q; want %q, %q", requireIntegration, tc.env, v.fatal, v.skip, tc.fatal, tc.skip)
		}
	}
	v := &verdictTB{TB: t}
	if got := require(v, "/usr/lib/postgresql/15/bin", nil); got != "/usr/lib/postgresql/15/bin" || v.fatal+v.skip != "" {
		t.Errorf("a server that is there: %q, %q %q", got, v.fatal, v.skip)
	}
}
