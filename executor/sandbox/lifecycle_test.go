package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	runbook "github.com/runbookdev/runbook"
)

// TestSimulatedMarks: a stand-in's line marks the step it ran in, and only that one.
func TestSimulatedMarks(t *testing.T) {
	sb := newTest(t, Options{})
	sh := startShell(t, sb)
	out := run(t, sh, "fetch github.com/matrix-org/sliding-sync")
	sb.MarkSimulated(out)
	if !out.Simulated || !strings.Contains(strings.Join(out.Notes, "\n"),
		"simulated: download of github.com/matrix-org/sliding-sync (no internet)") {
		t.Fatalf("the stand-in's step is not marked: simulated=%v notes=%q", out.Simulated, out.Notes)
	}
	next := run(t, sh, "echo real")
	sb.MarkSimulated(next)
	if next.Simulated || len(next.Notes) != 0 {
		t.Fatalf("a later step is marked too: %v %q", next.Simulated, next.Notes)
	}
	// A symlink planted in place of the file is not followed on this host.
	run(t, sh, "rm -f $RUNBOOK_SIMULATED && ln -s /etc/passwd $RUNBOOK_SIMULATED")
	probe := &runbook.Outcome{}
	sb.MarkSimulated(probe)
	if probe.Simulated || len(probe.Notes) != 0 {
		t.Fatalf("the marks followed a planted symlink: %q", probe.Notes)
	}
}

// TestInitRunsPerShell: init starts the host's service before each shell; a
// fresh shell after the first died sees the same files, and init ran again.
func TestInitRunsPerShell(t *testing.T) {
	sb := newTest(t, Options{})
	sh := startShell(t, sb)
	if got := output(t, sh, "pgrep -c -x sleep"); got != "1" {
		t.Fatalf("init's service is not running: %q", got)
	}
	output(t, sh, "echo kept > ~/file")
	run(t, sh, "kill -9 $$")
	if sh.Alive() {
		t.Fatal("the shell survived kill -9")
	}
	sh2 := startShell(t, sb)
	if got := output(t, sh2, "cat ~/file; wc -l < $RUNBOOK_STATE/init-runs; pgrep -c -x sleep"); got != "kept\n2\n1" {
		t.Fatalf("fresh shell: want the file, two init runs and one service, got %q", got)
	}
	log, _ := os.ReadFile(filepath.Join(sb.Dir(), "run", "logs", "init.log"))
	if !strings.Contains(string(log), "init: starting as isabell on stardust") {
		t.Fatalf("init's output is not in its log: %q", log)
	}
}

// TestInitFailureNoted: init's failure does not stop the shell; the next step says so.
func TestInitFailureNoted(t *testing.T) {
	sb := newTest(t, Options{})
	if err := os.WriteFile(filepath.Join(sb.Dir(), "run", "fail-init"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	sh := startShell(t, sb)
	out := run(t, sh, "true")
	if strings.Contains(out.Output, "failing as asked") {
		t.Fatal("init's output reached the terminal")
	}
	sb.MarkSimulated(out)
	if out.Simulated || len(out.Notes) != 1 || !strings.Contains(out.Notes[0], "init program failed (exit 3)") {
		t.Fatalf("want one note about init's exit 3, got %q", out.Notes)
	}
}

// TestCloseRemoves: Close removes the folder; with Keep it stays, its logs
// without the secret.
func TestCloseRemoves(t *testing.T) {
	sb := newTest(t, Options{})
	startShell(t, sb).Close()
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sb.Dir()); !os.IsNotExist(err) {
		t.Fatalf("Close left %s: %v", sb.Dir(), err)
	}
}

func TestKeepRedactsLogs(t *testing.T) {
	const secret = "s3cr3t-Pa55"
	redact := func(s string) string { return strings.ReplaceAll(s, secret, "********") }
	sb := newTest(t, Options{Keep: true, Redact: redact})
	sh := startShell(t, sb)
	output(t, sh, "echo 'password="+secret+"' >> $RUNBOOK_STATE/logs/service.log; echo "+secret+" > ~/logs/app.log; "+
		"echo "+secret+" > ~/config.yaml; echo "+secret+" > /tmp/debug.log")
	sh.Close()
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"run/logs/service.log", "home/logs/app.log", "tmp/debug.log"} {
		b, err := os.ReadFile(filepath.Join(sb.Dir(), f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), secret) || !strings.Contains(string(b), "********") {
			t.Errorf("%s kept the secret: %q", f, b)
		}
	}
	// The guide's own files are its result and stay as written.
	if b, _ := os.ReadFile(filepath.Join(sb.Dir(), "home", "config.yaml")); !strings.Contains(string(b), secret) {
		t.Errorf("a file the guide wrote was changed: %q", b)
	}
}

// TestExtract: a profile built into the binary is extracted once, by its
// content hash, with its scripts executable.
func TestExtract(t *testing.T) {
	fsys := fstest.MapFS{
		"profile.yaml": {Data: []byte("name: x\n")},
		"bin/tool":     {Data: []byte("#!/bin/sh\necho hi\n")},
		"data/t.txt":   {Data: []byte("text\n")},
	}
	cache := t.TempDir()
	var wg sync.WaitGroup
	dirs := make([]string, 4)
	for i := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := Extract(fsys, cache)
			if err != nil {
				t.Error(err)
			}
			dirs[i] = d
		}()
	}
	wg.Wait()
	for _, d := range dirs[1:] {
		if d != dirs[0] {
			t.Fatalf("concurrent extractions differ: %v", dirs)
		}
	}
	for path, want := range map[string]os.FileMode{"bin/tool": 0o755, "data/t.txt": 0o644, "profile.yaml": 0o644} {
		fi, err := os.Stat(filepath.Join(dirs[0], path))
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (%v)", path, fi.Mode().Perm(), want, err)
		}
	}
	fsys["data/t.txt"] = &fstest.MapFile{Data: []byte("changed\n")}
	if d, err := Extract(fsys, cache); err != nil || d == dirs[0] {
		t.Fatalf("a changed profile must get its own folder: %s %v", d, err)
	}
}

// TestSetupOnce: a profile's setup runs on the host once per version, with
// only its cache writable, and its output is mounted read-only inside.
func TestSetupOnce(t *testing.T) {
	need(t, "bwrap")
	prof := t.TempDir()
	writeProfile(t, prof, "name: built\nsetup: build\n", `#!/bin/sh
echo built > "$RUNBOOK_CACHE/artifact"
echo tool > "$RUNBOOK_TOOLCACHE/kept"
touch "$RUNBOOK_CACHE/../beside" "$RUNBOOK_PROFILE/written-by-setup" 2>/dev/null
echo "setup ran in $(pwd)"
`)
	cache := t.TempDir()
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sb := newTest(t, Options{Profile: prof, CacheDir: cache})
			out := run(t, startShell(t, sb), "cat /opt/runbook/cache/artifact; touch /opt/runbook/cache/x")
			if !strings.Contains(out.Output, "built\n") || !strings.Contains(out.Output, "Read-only file system") {
				t.Errorf("inside, the cache should be readable and read-only: %q", out.Output)
			}
		}()
	}
	wg.Wait()
	logs, _ := filepath.Glob(filepath.Join(cache, "setup", "built-*", "setup.log"))
	if len(logs) != 1 {
		t.Fatalf("want one setup folder, got %v", logs)
	}
	log, _ := os.ReadFile(logs[0])
	if strings.Count(string(log), "setup ran") != 1 {
		t.Fatalf("setup ran more than once: %q", log)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(logs[0]), "beside")); err == nil {
		t.Fatal("setup wrote beside its cache on the host")
	}
	if b, err := os.ReadFile(filepath.Join(cache, "tools", "built", "kept")); err != nil || string(b) != "tool\n" {
		t.Fatalf("setup could not use its tool cache: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(prof, "written-by-setup")); err == nil {
		t.Fatal("setup wrote into the profile folder")
	}
}

// writeProfile makes a profile folder with profile.yaml and one program.
func writeProfile(t *testing.T, dir, yaml, program string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "profile.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "build"), []byte(program), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestSetupFailure names the log.
func TestSetupFailure(t *testing.T) {
	need(t, "bwrap")
	prof := t.TempDir()
	writeProfile(t, prof, "name: broken\nsetup: build\n", "#!/bin/sh\necho cannot build >&2\nexit 4\n")
	_, err := New(context.Background(), Options{Profile: prof, CacheDir: t.TempDir(), Dir: filepath.Join(t.TempDir(), "sb")})
	if err == nil || !strings.Contains(err.Error(), "setup failed") || !strings.Contains(err.Error(), "setup.log") {
		t.Fatalf("want an error naming the log, got %v", err)
	}
}

// TestBadProfile: mistakes in profile.yaml are errors that say where.
func TestBadProfile(t *testing.T) {
	for yaml, want := range map[string]string{
		"name: x\nhots: typo\n":      "field hots not found",
		"name: x\ninit: missing\n":   "the program missing",
		"name: x\ninit: ../escape\n": "must be a path inside the profile folder",
		"name: x\ndirs: [/etc/x]\n":  "outside the sandbox's writable folders",
	} {
		dir := t.TempDir()
		writeProfile(t, dir, yaml, "#!/bin/sh\n")
		_, err := New(context.Background(), Options{Profile: dir, CacheDir: t.TempDir(), Dir: filepath.Join(t.TempDir(), "sb")})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want an error with %q, got %v", yaml, want, err)
		}
	}
	if _, err := New(context.Background(), Options{Profile: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "no profile.yaml") {
		t.Errorf("a folder without profile.yaml: %v", err)
	}
}

// TestSweepStale: a sandbox whose runbook was killed (its lock free) is
// removed when the next sandbox is made; one whose runbook still runs, one
// left with --keep, and a folder that only has the name stay.
func TestSweepStale(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // os.TempDir, where New makes its folders
	killed := newInTemp(t, Options{})
	killedDir := killed.Dir()
	killed.unlockDir(false) // what the kernel does for a runbook killed with SIGKILL
	alive := newInTemp(t, Options{})
	kept := newInTemp(t, Options{Keep: true})
	if err := kept.Close(); err != nil {
		t.Fatal(err)
	}
	stranger := filepath.Join(tmp, tempPrefix+"not-ours")
	if err := os.MkdirAll(stranger, 0o755); err != nil {
		t.Fatal(err)
	}
	next := newInTemp(t, Options{})
	if _, err := os.Stat(killedDir); !os.IsNotExist(err) {
		t.Errorf("the killed runbook's sandbox %s is still there: %v", killedDir, err)
	}
	for _, dir := range []string{alive.Dir(), kept.Dir(), stranger, next.Dir()} {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s was removed: %v", dir, err)
		}
	}
}

// newInTemp makes a sandbox as check does, in a new folder of os.TempDir.
func newInTemp(t *testing.T, o Options) *Sandbox {
	t.Helper()
	need(t, "bwrap", "unshare", "setpriv", "timeout")
	o.Profile, o.CacheDir = filepath.Join("testdata", "profiles", "mini"), t.TempDir()
	sb, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(sb.Dir()), tempPrefix) {
		t.Fatalf("the sandbox %s is not in a folder of its own in TMPDIR", sb.Dir())
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}
