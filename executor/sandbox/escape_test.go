package sandbox

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/executor"
)

// Each escape test tries to reach past the sandbox from inside it, checks on
// this host that nothing happened, and does the same thing once without the
// sandbox (a plain shell, or Files with no Root) to show that the check
// would have seen it happen.

// hostShell is a plain bash on this host: the control, with no sandbox.
func hostShell(t *testing.T) *executor.Shell {
	t.Helper()
	sh, err := executor.StartShell(context.Background(), executor.ShellOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sh.Close() })
	return sh
}

// fileStep writes content to path with the sandbox's Root, or for the
// control with none: then ~ is the folder that backs the home, on this host.
func fileStep(sb *Sandbox, root executor.Root, path string) *runbook.Outcome {
	f := &executor.Files{Home: sb.Home(), User: sb.User(), BackupDir: sb.BackupDir(), Root: root}
	if root == nil {
		f.Home = sb.HostPath(sb.Home())
	}
	return f.Apply(&runbook.File{Path: path, Mode: runbook.Create, Content: "escaped\n"})
}

// outsideFile is a host path outside the sandbox's folder, and whether it exists.
func outsideFile(t *testing.T) (string, func() bool) {
	path := filepath.Join(t.TempDir(), "escaped")
	return path, func() bool { _, err := os.Lstat(path); return err == nil }
}

func TestEscapeFileStepDotDot(t *testing.T) {
	sb := newTest(t, Options{})
	target, exists := outsideFile(t)
	// From the folder that backs the home, ../ leads to the target on this host.
	rel, err := filepath.Rel(sb.HostPath(sb.Home()), target)
	if err != nil {
		t.Fatal(err)
	}
	fileStep(sb, sb.Root(), "~/"+rel)
	if exists() {
		t.Fatalf("a file step wrote %s on the host through ~/%s", target, rel)
	}
	// ~/../../<host path> is that path inside, under the sandbox's own /tmp.
	if out := fileStep(sb, sb.Root(), "~/../.."+target); out.Err != nil || exists() {
		t.Fatalf("~/../..%s: want it written in the sandbox's /tmp, got %v (host file: %v)", target, out.Err, exists())
	}
	if _, err := os.Stat(sb.HostPath(target)); err != nil {
		t.Fatalf("the write did not land in the sandbox's /tmp: %v", err)
	}
	out := fileStep(sb, sb.Root(), "~/../../etc/runbook-escape")
	if out.Err == nil || !strings.Contains(out.Err.Error(), "outside the sandbox's writable folders") {
		t.Fatalf("writing ../../etc/x: want a refusal, got %v", out.Err)
	}
	if _, err := os.Stat("/etc/runbook-escape"); err == nil {
		t.Fatal("a file step wrote /etc/runbook-escape on the host")
	}
	// Control: the same step without the sandbox's Root writes the host file.
	if out := fileStep(sb, nil, "~/"+rel); out.Err != nil || !exists() {
		t.Fatalf("control: without the Root the step should have written %s: %v", target, out.Err)
	}
}

func TestEscapeFileStepPlantedSymlink(t *testing.T) {
	sb := newTest(t, Options{})
	target, exists := outsideFile(t)
	home := sb.HostPath(sb.Home())
	for link, to := range map[string]string{
		"to-outside": filepath.Dir(target),          // absolute: a path inside, not on this host
		"to-root":    "/",                           // the real root, from the host's view
		"climb":      "../../../../../../../../etc", // relative, climbing past the home
	} {
		if err := os.Symlink(to, filepath.Join(home, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(home, "passwd-link")); err != nil {
		t.Fatal(err)
	}
	if out := fileStep(sb, sb.Root(), "~/to-outside/escaped"); out.Err != nil {
		t.Fatalf("a link to a path under /tmp inside should write there: %v", out.Err)
	}
	if exists() {
		t.Fatalf("following a planted symlink wrote %s on the host", target)
	}
	for _, p := range []string{"~/to-root" + filepath.Dir(target) + "/escaped", "~/climb/runbook-escape",
		"~/to-root/etc/runbook-escape", "~/passwd-link"} {
		out := fileStep(sb, sb.Root(), p)
		if p == "~/to-root"+filepath.Dir(target)+"/escaped" {
			if out.Err != nil || exists() {
				t.Fatalf("%s: want the sandbox's /tmp, got err %v, host file %v", p, out.Err, exists())
			}
			continue
		}
		if out.Err == nil || !strings.Contains(out.Err.Error(), "a symlink leads it to") {
			t.Errorf("%s: want a refusal that names the symlink, got %v", p, out.Err)
		}
	}
	if b, _ := os.ReadFile("/etc/passwd"); strings.Contains(string(b), "escaped") {
		t.Fatal("a file step wrote through a planted symlink into /etc/passwd")
	}
	// Control: without the Root, following the same link writes the host file.
	if out := fileStep(sb, nil, "~/to-outside/escaped"); out.Err != nil || !exists() {
		t.Fatalf("control: without the Root the step should have followed the link to %s: %v", target, out.Err)
	}
}

func TestEscapeCommandWrites(t *testing.T) {
	sb := newTest(t, Options{})
	sh := startShell(t, sb)
	target, exists := outsideFile(t)
	cmds := []string{
		"echo x > ../../etc/runbook-escape",
		"echo x > " + target,
		"ln -s / ~/r && echo x > ~/r" + target,
		"cd / && mkdir -p " + filepath.Dir(target) + " && echo x > ." + target,
	}
	for _, c := range cmds {
		run(t, sh, c)
	}
	if exists() {
		t.Fatalf("a command inside wrote %s on the host", target)
	}
	if _, err := os.Stat("/etc/runbook-escape"); err == nil {
		t.Fatal("a command inside wrote /etc/runbook-escape on the host")
	}
	if out := run(t, sh, "echo x > /etc/runbook-escape"); out.Exit == 0 {
		t.Fatal("writing /etc inside succeeded")
	}
	// Control: the same command in a plain shell on this host writes the file.
	run(t, hostShell(t), "echo x > "+target)
	if !exists() {
		t.Fatal("control: a host shell should have written the file")
	}
}

func TestEscapeReadRealHome(t *testing.T) {
	sb := newTest(t, Options{})
	sh := startShell(t, sb)
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory on this host")
	}
	secret := filepath.Join(home, ".runbook-escape-probe")
	if err := os.WriteFile(secret, []byte("host secret\n"), 0o600); err != nil {
		t.Skipf("cannot write a probe into the real home: %v", err)
	}
	defer os.Remove(secret)
	wd, _ := os.Getwd() // the repository: on this host, not in the sandbox
	for _, c := range []string{"cat " + secret, "test -e " + secret + " && echo visible",
		"test -e " + filepath.Join(wd, "escape_test.go") + " && echo visible"} {
		out := run(t, sh, c)
		if strings.Contains(out.Output, "host secret") || strings.Contains(out.Output, "visible") {
			t.Errorf("%s: the sandbox can see the host: %q", c, out.Output)
		}
	}
	// Control: a host shell reads it.
	if got := output(t, hostShell(t), "cat "+secret); got != "host secret" {
		t.Fatalf("control: a host shell should read the probe, got %q", got)
	}
}

func TestEscapeKillHostProcess(t *testing.T) {
	sb := newTest(t, Options{})
	sh := startShell(t, sb)
	victim := startSleep(t)
	run(t, sh, fmt.Sprintf("kill -9 %d; kill -9 -1", victim.Process.Pid))
	if err := victim.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("a process on the host was killed from inside the sandbox: %v", err)
	}
	// Control: a host shell kills it, and the check sees that.
	run(t, hostShell(t), fmt.Sprintf("kill -9 %d", victim.Process.Pid))
	if err := victim.Wait(); err == nil {
		t.Fatal("control: the host shell should have killed the process")
	}
}

// startSleep starts a process on this host for a test to try to kill.
func startSleep(t *testing.T) *exec.Cmd {
	t.Helper()
	c := exec.Command("sleep", "300")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	return c
}

func TestEscapeNetwork(t *testing.T) {
	sb := newTest(t, Options{})
	sh := startShell(t, sb)
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	addrs := []string{"127.0.0.1"}
	if ip := outboundIP(); ip != "" {
		addrs = append(addrs, ip)
	}
	for _, a := range addrs {
		out := run(t, sh, "exec 3<>/dev/tcp/"+a+"/"+port+" && echo connected")
		if out.Exit == 0 || strings.Contains(out.Output, "connected") {
			t.Errorf("the sandbox reached this host's listener at %s:%s: %q", a, port, out.Output)
		}
	}
	if out := run(t, sh, "exec 3<>/dev/tcp/1.1.1.1/80 && echo connected"); out.Exit == 0 {
		t.Errorf("the sandbox reached 1.1.1.1:80: %q", out.Output)
	}
	// Control: a host shell connects to the same listener.
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Close()
		}
		done <- err
	}()
	if got := output(t, hostShell(t), "exec 3<>/dev/tcp/127.0.0.1/"+port+" && echo connected"); got != "connected" {
		t.Fatalf("control: a host shell should reach the listener, got %q", got)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// outboundIP is this host's address on its default route, if it has one.
func outboundIP() string {
	c, err := net.Dial("udp", "192.0.2.1:9") // no packet is sent: a UDP dial only picks the route
	if err != nil {
		return ""
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).IP.String()
}

func TestEscapeKernelSettings(t *testing.T) {
	sb := newTest(t, Options{})
	sh := startShell(t, sb)
	const knob = "/proc/sys/kernel/printk_ratelimit"
	before, err := os.ReadFile(knob)
	if err != nil {
		t.Skipf("no %s here", knob)
	}
	value := strings.TrimSpace(string(before))
	// The same value written back: harmless if it got through, and visible as
	// success or failure.
	out := run(t, sh, "echo "+value+" > "+knob+" && echo written")
	if strings.Contains(out.Output, "written") {
		t.Fatalf("the sandbox changed a kernel setting of this host: %q", out.Output)
	}
	if out := run(t, sh, "echo h > /proc/sysrq-trigger && echo written"); strings.Contains(out.Output, "written") {
		t.Fatal("the sandbox could write /proc/sysrq-trigger")
	}
	// Control: root on the host can write it; the sandbox's user is root
	// outside when runbook runs as root, so this is what /proc/sys's
	// read-only bind prevents.
	if os.Geteuid() == 0 {
		if got := output(t, hostShell(t), "echo "+value+" > "+knob+" && echo written"); got != "written" {
			t.Fatalf("control: root on the host should write %s, got %q", knob, got)
		}
	}
}
