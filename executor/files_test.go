package executor

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// newFiles returns a Files whose home is a fresh temporary directory.
func newFiles(t *testing.T) *Files {
	t.Helper()
	return &Files{Home: t.TempDir(), User: "isabell"}
}

func fileStep(path string, mode runbook.FileMode, format, content string) *runbook.File {
	return &runbook.File{Path: path, Mode: mode, Format: format, Content: content}
}

// applyOK applies a step that has to succeed.
func applyOK(t *testing.T, f *Files, step *runbook.File) *runbook.Outcome {
	t.Helper()
	out := f.Apply(step)
	if out.Exit != 0 || out.Err != nil {
		t.Fatalf("Apply(%s %s): exit %d, err %v", step.Mode, step.Path, out.Exit, out.Err)
	}
	return out
}

// applyFails applies a step that has to fail with a message containing every want.
func applyFails(t *testing.T, f *Files, step *runbook.File, want ...string) *runbook.Outcome {
	t.Helper()
	out := f.Apply(step)
	if out.Exit != 1 || out.Err == nil {
		t.Fatalf("Apply(%s %s) succeeded (exit %d), want an error", step.Mode, step.Path, out.Exit)
	}
	for _, w := range want {
		if !strings.Contains(out.Err.Error(), w) {
			t.Errorf("error %q does not contain %q", out.Err, w)
		}
	}
	return out
}

func readTestFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeTestFile(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func permOf(t *testing.T, path string) fs.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func hasFileNote(out *runbook.Outcome, prefix string) bool {
	for _, n := range out.Notes {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

func TestCreateMakesParentsAndSetsMode(t *testing.T) {
	f := newFiles(t)
	out := applyOK(t, f, fileStep("~/etc/services.d/synapse.ini", runbook.Create, "ini", "[program:synapse]\n"))
	path := filepath.Join(f.Home, "etc/services.d/synapse.ini")
	if got := readTestFile(t, path); got != "[program:synapse]\n" {
		t.Errorf("content = %q", got)
	}
	if m := permOf(t, path); m != 0o644 {
		t.Errorf("mode = %o, want 644", m)
	}
	if m := permOf(t, filepath.Dir(path)); m != 0o755 {
		t.Errorf("parent mode = %o, want 755", m)
	}
	if !hasFileNote(out, "created") || out.Backup != "" || out.Duration <= 0 {
		t.Errorf("outcome = %+v, want note created, no backup, a duration", out)
	}
	script := "#!/bin/bash\nsupervisorctl restart synapse\n"
	applyOK(t, f, fileStep("~/bin/synapse-update", runbook.Create, "bash", script))
	if m := permOf(t, filepath.Join(f.Home, "bin/synapse-update")); m != 0o755 {
		t.Errorf("script mode = %o, want 755", m)
	}
}

func TestCreateKeepsModeAndBacksUpOnce(t *testing.T) {
	f := newFiles(t)
	path := filepath.Join(f.Home, "app.conf")
	writeTestFile(t, path, "original\n", 0o600)
	out := applyOK(t, f, fileStep("~/app.conf", runbook.Create, "text", "second\n"))
	backup := path + ".runbook-orig"
	if out.Backup != backup || readTestFile(t, backup) != "original\n" || !hasFileNote(out, "backed up to "+backup) {
		t.Fatalf("first change: backup %q notes %q", out.Backup, out.Notes)
	}
	if m := permOf(t, path); m != 0o600 {
		t.Errorf("mode = %o, want the existing 600", m)
	}
	out = applyOK(t, f, fileStep("~/app.conf", runbook.Create, "text", "third\n"))
	if out.Backup != "" || !hasFileNote(out, "original kept in "+backup) {
		t.Errorf("second change made a backup: %q %q", out.Backup, out.Notes)
	}
	if readTestFile(t, backup) != "original\n" || readTestFile(t, path) != "third\n" {
		t.Errorf("backup %q, file %q", readTestFile(t, backup), readTestFile(t, path))
	}
	out = applyOK(t, f, fileStep("~/app.conf", runbook.Create, "text", "third\n"))
	if !hasFileNote(out, "unchanged") || len(out.Notes) != 1 {
		t.Errorf("identical content: notes %q, want only unchanged", out.Notes)
	}
}

func TestBackupDir(t *testing.T) {
	f := newFiles(t)
	f.BackupDir = filepath.Join(t.TempDir(), "backups")
	path := filepath.Join(f.Home, "synapse", "homeserver.yaml")
	writeTestFile(t, path, "server_name: example.org\n", 0o644)
	out := applyOK(t, f, fileStep("~/synapse/homeserver.yaml", runbook.Create, "yaml", "server_name: x\n"))
	want := filepath.Join(f.BackupDir, strings.ReplaceAll(strings.TrimPrefix(path, "/"), "/", "%2F"))
	if out.Backup != want || readTestFile(t, want) != "server_name: example.org\n" {
		t.Errorf("backup at %q, want %q", out.Backup, want)
	}
	if _, err := os.Stat(path + ".runbook-orig"); err == nil {
		t.Error("a backup was also written beside the file")
	}
}

func TestAppend(t *testing.T) {
	f := newFiles(t)
	path := filepath.Join(f.Home, ".bashrc")
	writeTestFile(t, path, "# bashrc\nalias ll='ls -l'", 0o644) // no trailing newline
	out := applyOK(t, f, fileStep("~/.bashrc", runbook.Append, "bash", "export PATH=$HOME/bin:$PATH\nexport EDITOR=vim\n"))
	want := "# bashrc\nalias ll='ls -l'\nexport PATH=$HOME/bin:$PATH\nexport EDITOR=vim\n"
	if got := readTestFile(t, path); got != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	if !hasFileNote(out, "appended 2 lines") || out.Backup == "" {
		t.Errorf("notes %q backup %q", out.Notes, out.Backup)
	}
	out = applyOK(t, f, fileStep("~/.bashrc", runbook.Append, "bash", "export PATH=$HOME/bin:$PATH\nexport EDITOR=vim\n"))
	if got := readTestFile(t, path); got != want || !hasFileNote(out, "unchanged") {
		t.Errorf("rerun appended again: %q, notes %q", got, out.Notes)
	}
	applyOK(t, f, fileStep("~/new.txt", runbook.Append, "text", "first\n"))
	if got := readTestFile(t, filepath.Join(f.Home, "new.txt")); got != "first\n" {
		t.Errorf("append to a missing file = %q", got)
	}
}

func TestMergeYAMLJSONINI(t *testing.T) {
	f := newFiles(t)
	path := filepath.Join(f.Home, "synapse/homeserver.yaml")
	writeTestFile(t, path, "# generated\nserver_name: \"example.org\"\nlisteners:\n  - port: 8008  # main\n    tls: true\n", 0o640)
	out := applyOK(t, f, &runbook.File{Path: "~/synapse/homeserver.yaml", Mode: runbook.Merge, Format: "yaml",
		Key: []string{"listeners"}, Content: "    - port: 8008\n      tls: false\n"})
	got := readTestFile(t, path)
	if !strings.Contains(got, "# generated\n") || !strings.Contains(got, "tls: false") || strings.Contains(got, "tls: true") {
		t.Errorf("merged yaml:\n%s", got)
	}
	if !hasFileNote(out, "merged 1 key") || permOf(t, path) != 0o640 || out.Backup == "" {
		t.Errorf("notes %q mode %o backup %q", out.Notes, permOf(t, path), out.Backup)
	}
	out = applyOK(t, f, fileStep("/var/../"+strings.TrimPrefix(f.Home, "/")+"/m.json", runbook.Merge, "json", "{\"a\": 1}\n"))
	if !hasFileNote(out, "created by merge") || readTestFile(t, filepath.Join(f.Home, "m.json")) != "{\n  \"a\": 1\n}\n" {
		t.Errorf("json: notes %q content %q", out.Notes, readTestFile(t, filepath.Join(f.Home, "m.json")))
	}
	writeTestFile(t, filepath.Join(f.Home, "s.ini"), "[program:a]\ncommand=x\n", 0o644)
	applyOK(t, f, fileStep("~/s.ini", runbook.Merge, "ini", "[program:a]\nautostart=yes\n"))
	if got := readTestFile(t, filepath.Join(f.Home, "s.ini")); got != "[program:a]\ncommand=x\nautostart=yes\n" {
		t.Errorf("ini = %q", got)
	}
	applyFails(t, f, fileStep("~/.htaccess", runbook.Merge, "apache", "RewriteEngine On\n"),
		"cannot merge apache files; use an override mode=create or mode=append")
}

func TestMergeRejectsInvalidBase(t *testing.T) {
	f := newFiles(t)
	path := filepath.Join(f.Home, "c.json")
	writeTestFile(t, path, "{\"password\": \"hunter2-secret\",}\n", 0o644)
	out := applyFails(t, f, fileStep("~/c.json", runbook.Merge, "json", "{\"a\": 1}\n"), path, "not valid JSON", "line 1")
	if strings.Contains(out.Err.Error(), "hunter2") {
		t.Errorf("error shows file content: %v", out.Err)
	}
	if readTestFile(t, path) != "{\"password\": \"hunter2-secret\",}\n" {
		t.Error("the invalid file was changed")
	}
}

func TestExpand(t *testing.T) {
	f := &Files{Home: "/home/isabell", User: "isabell"}
	for in, want := range map[string]string{
		"~":                                 "/home/isabell",
		"~/synapse/homeserver.yaml":         "/home/isabell/synapse/homeserver.yaml",
		"~isabell/etc/x.ini":                "/home/isabell/etc/x.ini",
		"$HOME/bin/x":                       "/home/isabell/bin/x",
		"${HOME}/bin/x":                     "/home/isabell/bin/x",
		"/var/www/virtual/$USER/html/a.php": "/var/www/virtual/isabell/html/a.php",
		"/var/www/virtual/${USER}/html":     "/var/www/virtual/isabell/html",
		"etc/services.d/a.ini":              "/home/isabell/etc/services.d/a.ini",
		"/tmp/a$":                           "/tmp/a$",
		"/srv/x/../y":                       "/srv/y",
		"~/a~b":                             "/home/isabell/a~b",
		"/home/$USER/.config/${USER}.d/cfg": "/home/isabell/.config/isabell.d/cfg",
	} {
		got, err := f.Expand(in)
		if err != nil || got != want {
			t.Errorf("Expand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"$FOO/x":       "$FOO",
		"${DOCROOT}/x": "$DOCROOT",
		"$USERNAME/x":  "$USERNAME",
		"~bob/x":       "~bob",
		"${HOME/x":     "unterminated",
		"$1/x":         "$1",
		"":             "no path",
	} {
		if _, err := f.Expand(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Expand(%q) error = %v, want one mentioning %q", in, err, want)
		}
	}
	if _, err := (&Files{User: "isabell"}).Expand("~/x"); err == nil {
		t.Error("~ expanded without a home directory")
	}
}

func TestBadPathWritesNothing(t *testing.T) {
	f := newFiles(t)
	applyFails(t, f, fileStep("$DOCROOT/index.html", runbook.Create, "html", "<p>hi</p>\n"), "$DOCROOT", "only $HOME and $USER")
	applyFails(t, f, fileStep("~/x", "overwrite", "text", "x\n"), "unknown file mode")
	entries, _ := os.ReadDir(f.Home)
	if len(entries) != 0 {
		t.Errorf("home has %d entries after failed steps", len(entries))
	}
}

func TestDryRunShowsDiffWritesNothing(t *testing.T) {
	f := newFiles(t)
	f.DryRun = true
	path := filepath.Join(f.Home, "synapse/homeserver.yaml")
	writeTestFile(t, path, "server_name: example.org\nreport_stats: false\n", 0o644)
	out := applyOK(t, f, fileStep("~/synapse/homeserver.yaml", runbook.Merge, "yaml", "user_directory:\n  enabled: true\n"))
	want := "--- " + path + "\n+++ " + path + "\n@@ -1,2 +1,4 @@\n server_name: example.org\n report_stats: false\n+user_directory:\n+  enabled: true\n"
	if out.Output != want {
		t.Errorf("diff:\n%s\nwant:\n%s", out.Output, want)
	}
	if !hasFileNote(out, "dry run") || !hasFileNote(out, "merged 1 key") || out.Backup != "" {
		t.Errorf("notes %q backup %q", out.Notes, out.Backup)
	}
	if readTestFile(t, path) != "server_name: example.org\nreport_stats: false\n" {
		t.Error("dry run changed the file")
	}
	out = applyOK(t, f, fileStep("~/new/dir/file.txt", runbook.Create, "text", "a\nb"))
	if !strings.HasPrefix(out.Output, "--- /dev/null\n") || !strings.Contains(out.Output, "@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n") {
		t.Errorf("new-file diff:\n%s", out.Output)
	}
	if _, err := os.Stat(filepath.Join(f.Home, "new")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("dry run created a directory")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("dry run left %d files beside the target, want only the target", len(entries))
	}
}

func TestDiffHunks(t *testing.T) {
	var old []string
	for c := 'b'; c <= 'u'; c++ {
		old = append(old, "line"+string(c))
	}
	cur := append([]string(nil), old...)
	cur[1], cur[17] = "changed", "changed too"
	got := unifiedDiff("/f", []byte(strings.Join(old, "\n")+"\n"), []byte(strings.Join(cur, "\n")+"\n"), "/f", nil)
	if n := strings.Count(got, "@@ -"); n != 2 {
		t.Errorf("got %d hunks, want 2:\n%s", n, got)
	}
	for _, w := range []string{"@@ -1,5 +1,5 @@\n lineb\n-linec\n+changed\n lined\n", "@@ -15,6 +15,6 @@\n", "-lines\n+changed too\n"} {
		if !strings.Contains(got, w) {
			t.Errorf("diff lacks %q:\n%s", w, got)
		}
	}
}

func TestPathIsDirectory(t *testing.T) {
	f := newFiles(t)
	dir := filepath.Join(f.Home, "synapse")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, m := range []runbook.FileMode{runbook.Create, runbook.Append, runbook.Merge} {
		applyFails(t, f, fileStep("~/synapse", m, "yaml", "a: 1\n"), dir, "is a directory")
	}
}

// TestParentIsFile covers the permission-style failure that also happens as
// root: a path component that is a file, not a directory.
func TestParentIsFile(t *testing.T) {
	f := newFiles(t)
	writeTestFile(t, filepath.Join(f.Home, "etc"), "not a dir\n", 0o644)
	applyFails(t, f, fileStep("~/etc/services.d/a.ini", runbook.Create, "ini", "[x]\n"),
		filepath.Join(f.Home, "etc")+" is a file, not a directory")
	applyFails(t, f, fileStep("~/etc/a.ini", runbook.Create, "ini", "[x]\n"), filepath.Join(f.Home, "etc"))
}

func TestPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write into read-only directories; TestParentIsFile covers a failing write as root")
	}
	f := newFiles(t)
	dir := filepath.Join(f.Home, "ro")
	writeTestFile(t, filepath.Join(dir, "a.conf"), "a=1\n", 0o644)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	applyFails(t, f, fileStep("~/ro/a.conf", runbook.Create, "text", "a=2\n"), "permission denied", dir)
}

func TestSecretsStayOutOfNotesAndErrors(t *testing.T) {
	const secret = "MySuperSecretPSQLPassword"
	f := newFiles(t)
	steps := []*runbook.File{
		fileStep("~/db.yaml", runbook.Create, "yaml", "password: "+secret+"\n"),
		fileStep("~/db.yaml", runbook.Merge, "yaml", "password: "+secret+"2\nuser: synapse\n"),
		fileStep("~/db.yaml", runbook.Append, "yaml", "# "+secret+"\n"),
		fileStep("~/db.yaml", runbook.Merge, "yaml", "password: ["+secret+"\n"), // invalid block
		fileStep("~/db.yaml", runbook.Merge, "json", "{\""+secret+"\": 1}\n"),   // base is not JSON
	}
	for _, s := range steps {
		out := f.Apply(s)
		text := strings.Join(out.Notes, "\n")
		if out.Err != nil {
			text += out.Err.Error()
		}
		if strings.Contains(text, secret) {
			t.Errorf("%s step leaks the secret: %q", s.Mode, text)
		}
	}
}

// TestCrashBetweenWriteAndRename kills a real process after it has written
// and synced the temporary file but before the rename: the target must hold
// its old content (or still not exist), and a rerun must finish the job and
// clear the leftover.
func TestCrashBetweenWriteAndRename(t *testing.T) {
	for _, tc := range []struct {
		name, old string // old "" means the file does not exist yet
	}{
		{"existing", "server_name: example.org\n"},
		{"new", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			path := filepath.Join(home, "synapse/homeserver.yaml")
			if tc.old != "" {
				writeTestFile(t, path, tc.old, 0o644)
			}
			crashHelper(t, home)
			want := tc.old + "user_directory:\n  enabled: true\n"
			if got, err := os.ReadFile(path); tc.old == "" && !errors.Is(err, fs.ErrNotExist) || tc.old != "" && string(got) != tc.old {
				t.Fatalf("target after the crash = %q (%v), want the old state", got, err)
			}
			temps, _ := filepath.Glob(filepath.Join(home, "synapse", ".homeserver.yaml"+tempMarker+"*"))
			if len(temps) != 1 || readTestFile(t, temps[0]) != want {
				t.Fatalf("want one complete temporary file left by the crash, got %q", temps)
			}
			out := applyOK(t, &Files{Home: home, User: "isabell"}, crashStep())
			if got := readTestFile(t, path); got != want {
				t.Errorf("rerun wrote %q, want %q", got, want)
			}
			if tc.old != "" && (readTestFile(t, path+backupSuffix) != tc.old || out.Backup != "") {
				t.Errorf("the backup taken before the crash was not kept as the original (backup now %q)", out.Backup)
			}
			if left, _ := filepath.Glob(filepath.Join(home, "synapse", ".*"+tempMarker+"*")); len(left) != 0 {
				t.Errorf("rerun left temporary files: %q", left)
			}
		})
	}
}

// crashHelper runs TestCrashHelperProcess, which dies by SIGKILL just before
// its rename, and checks that it did.
func crashHelper(t *testing.T, home string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$")
	cmd.Env = append(os.Environ(), "RUNBOOK_FILES_CRASH_HOME="+home)
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("helper did not die by SIGKILL: %v", err)
	}
}

func crashStep() *runbook.File {
	return fileStep("~/synapse/homeserver.yaml", runbook.Merge, "yaml", "user_directory:\n  enabled: true\n")
}

// TestCrashHelperProcess is the process TestCrashBetweenWriteAndRename kills;
// it does nothing in a normal test run.
func TestCrashHelperProcess(t *testing.T) {
	home := os.Getenv("RUNBOOK_FILES_CRASH_HOME")
	if home == "" {
		return
	}
	f := &Files{Home: home, User: "isabell", beforeRename: func(string) {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}}
	f.Apply(crashStep())
	t.Fatal("the helper survived its own SIGKILL")
}

func TestSymlinkTargetIsWritten(t *testing.T) {
	f := newFiles(t)
	real := filepath.Join(f.Home, "real.conf")
	writeTestFile(t, real, "a=1\n", 0o644)
	if err := os.Symlink(real, filepath.Join(f.Home, "link.conf")); err != nil {
		t.Fatal(err)
	}
	applyOK(t, f, fileStep("~/link.conf", runbook.Create, "text", "a=2\n"))
	if info, err := os.Lstat(filepath.Join(f.Home, "link.conf")); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if readTestFile(t, real) != "a=2\n" {
		t.Errorf("target = %q", readTestFile(t, real))
	}
}

// BenchmarkApplyCreate measures one atomic create of an existing file
// (temp file, fsync, rename, directory fsync) after its backup exists.
func BenchmarkApplyCreate(b *testing.B) {
	f := &Files{Home: b.TempDir(), User: "isabell"}
	step := fileStep("~/etc/services.d/synapse.ini", runbook.Create, "ini", "[program:synapse]\nautostart=yes\n")
	alt := fileStep("~/etc/services.d/synapse.ini", runbook.Create, "ini", "[program:synapse]\nautostart=no\n")
	for i := 0; b.Loop(); i++ {
		s := step
		if i%2 == 1 {
			s = alt
		}
		if out := f.Apply(s); out.Err != nil {
			b.Fatal(out.Err)
		}
	}
}

// TestExpandRelativeToDir: a relative path follows the shell's directory
// when Dir is set; ~ and absolute paths do not.
func TestExpandRelativeToDir(t *testing.T) {
	f := &Files{Home: "/home/isabell", User: "isabell", Dir: "/srv/app"}
	for in, want := range map[string]string{
		"conf/app.ini": "/srv/app/conf/app.ini",
		"~/x.ini":      "/home/isabell/x.ini",
		"$HOME/x.ini":  "/home/isabell/x.ini",
		"/etc/x.ini":   "/etc/x.ini",
	} {
		if got, err := f.Expand(in); err != nil || got != want {
			t.Errorf("Expand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestDryRunOverlay: a dry run keeps what its earlier file steps would have
// written, so a later merge into the same file is shown against that (not
// against /dev/null or the untouched file on disk), headed with the step.
func TestDryRunOverlay(t *testing.T) {
	f := newFiles(t)
	f.DryRun = true
	first := fileStep("~/app/config.yaml", runbook.Merge, "yaml", "listeners:\n  - port: 8008\n")
	first.ID = 16
	out := applyOK(t, f, first)
	if !strings.HasPrefix(out.Output, "--- /dev/null\n") {
		t.Errorf("first merge:\n%s", out.Output)
	}
	second := fileStep("~/app/config.yaml", runbook.Merge, "yaml", "user_directory:\n  enabled: true\n")
	second.ID = 25
	out = applyOK(t, f, second)
	path := filepath.Join(f.Home, "app/config.yaml")
	want := "--- " + path + " (as step 16 of this dry run leaves it)\n+++ " + path + "\n" +
		"@@ -1,2 +1,4 @@\n listeners:\n   - port: 8008\n+user_directory:\n+  enabled: true\n"
	if out.Output != want {
		t.Errorf("second merge:\n%s\nwant:\n%s", out.Output, want)
	}
	if !hasFileNote(out, "merged 1 key") {
		t.Errorf("notes %q", out.Notes)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the dry run wrote the file")
	}
}

// TestDryRunDiffMasksKeyedSecrets: a diff never shows the value of a
// password, secret, token or key, also one that was in the file before
// runbook came (Synapse generates its secrets), and keeps references,
// paths and empty values, which are not secrets.
func TestDryRunDiffMasksKeyedSecrets(t *testing.T) {
	f := newFiles(t)
	f.DryRun = true
	path := filepath.Join(f.Home, "synapse/homeserver.yaml")
	writeTestFile(t, path, "server_name: example.org\nregistration_shared_secret: \"Zq8,abcDEF.123\"\nmacaroon_secret_key: xyzSECRET987\nsigning_key_path: \"/home/x/signing.key\"\n", 0o600)
	out := applyOK(t, f, fileStep("~/synapse/homeserver.yaml", runbook.Merge, "yaml",
		"database:\n  args:\n    password: \"hunter2-Long\"\n    host: /tmp\nform_secret: ${FORM}\napi_token: ''\n"))
	for _, leak := range []string{"Zq8,abcDEF.123", "xyzSECRET987", "hunter2-Long"} {
		if strings.Contains(out.Output, leak) {
			t.Errorf("the diff shows %q:\n%s", leak, out.Output)
		}
	}
	for _, kept := range []string{`registration_shared_secret: "********"`, "macaroon_secret_key: ********",
		`password: "********"`, `signing_key_path: "/home/x/signing.key"`, "form_secret: ${FORM}", "api_token: ''"} {
		if !strings.Contains(out.Output, kept) {
			t.Errorf("the diff lacks %q:\n%s", kept, out.Output)
		}
	}
	ini := applyOK(t, f, fileStep("~/etc/services.d/syncv3.ini", runbook.Create, "ini",
		"[program:syncv3]\nEnvironment=SYNCV3_SECRET=abcd1234efgh,SYNCV3_DB=\"user=syncv3 password=pw-Secret9 sslmode=disable\"\n"))
	if strings.Contains(ini.Output, "abcd1234efgh") || strings.Contains(ini.Output, "pw-Secret9") ||
		!strings.Contains(ini.Output, "SYNCV3_SECRET=********,") || !strings.Contains(ini.Output, "password=******** sslmode") {
		t.Errorf("ini diff:\n%s", ini.Output)
	}
}

func TestMaskKeyedSecretsLines(t *testing.T) {
	for in, want := range map[string]string{
		"tokenizer: standard":           "tokenizer: standard",
		"passenger_enabled: on":         "passenger_enabled: on",
		"DB_PASSWORD='s3cr3t-x'":        "DB_PASSWORD='********'",
		`"clientSecret": "abc-123-xyz"`: `"clientSecret": "********"`,
		"define('DB_PASSWORD', 'x-y');": "define('DB_PASSWORD', '********');",
		"secret: <your secret>":         "secret: <your secret>",
		`password: "a\"b c\td"  # x`:    `password: "********"  # x`,
		"password: 'it''s a b'":         "password: '********'",
		"  password: %(ENV_DBPASS)s":    "  password: %(ENV_DBPASS)s",
	} {
		if got := MaskKeyedSecrets(in); got != want {
			t.Errorf("MaskKeyedSecrets(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDryRunDiffRedactsKnownSecretsFirst: a known secret with a comma is
// masked whole before the key masking, which stops at the comma, would
// leave its second half.
func TestDryRunDiffRedactsKnownSecretsFirst(t *testing.T) {
	f := newFiles(t)
	f.DryRun = true
	f.Redact = func(s string) string { return strings.ReplaceAll(s, "ab,cdSecret", runbook.Mask) }
	out := applyOK(t, f, fileStep("~/x.ini", runbook.Create, "ini", "[db]\npassword=ab,cdSecret\n"))
	if strings.Contains(out.Output, "cdSecret") || !strings.Contains(out.Output, "+password=********\n") {
		t.Errorf("diff:\n%s", out.Output)
	}
}
