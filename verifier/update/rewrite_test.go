package update

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

const twoSteps = "::\n\n [isabell@stardust ~]$ echo a\n a\n [isabell@stardust ~]$ echo b\n b\n [isabell@stardust ~]$\n"

func drifted(cmd *runbook.Command, out string) runbook.Result {
	return runbook.Result{Step: cmd, Verdict: runbook.Drift, Outcome: &runbook.Outcome{Output: out, Dir: "/home/isabell"}}
}

func TestRewriteOnlyThisFile(t *testing.T) {
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	inc := *cmds[1]
	inc.Pos.File = "includes/x.rst"
	got, err := Rewrite([]byte(twoSteps), "guide.rst", []runbook.Result{drifted(&inc, "changed\n")}, Options{})
	if err != nil || string(got) != twoSteps {
		t.Errorf("a result from an include changed the guide (err %v):\n%s", err, got)
	}
}

func TestRewriteMisplacedOutput(t *testing.T) {
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	cmds[0].ExpectLine = 5 // points at the other command's prompt
	got, err := Rewrite([]byte(twoSteps), "guide.rst", []runbook.Result{drifted(cmds[0], "x\n"), drifted(cmds[1], "c\n")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "guide.rst:3:") {
		t.Errorf("want an error naming guide.rst:3, got %v", err)
	}
	want := strings.Replace(twoSteps, " b\n [", " c\n [", 1)
	if string(got) != want {
		t.Errorf("the good step was not rewritten or the bad one was:\n%s", got)
	}
}

func TestRewriteKeepsCRLF(t *testing.T) {
	src := strings.ReplaceAll(twoSteps, "\n", "\r\n")
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	got, err := Rewrite([]byte(src), "guide.rst", []runbook.Result{drifted(cmds[0], "x\r\ny\r\n")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(src, "\r\n a\r\n", "\r\n x\r\n y\r\n", 1)
	if string(got) != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestRewriteReversesAndRedacts(t *testing.T) {
	ps := []runbook.Param{
		{Name: "user", Example: "isabell", Value: "alice", Kind: runbook.ParamUser},
		{Name: "domain", Example: "example.org", Value: "alice.dev", Kind: runbook.ParamDomain},
		{Name: "password", Example: "MySuperSecret", Value: "hunter22", Kind: runbook.ParamSecret, Secret: true},
	}
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	out := "user alice at https://alice.dev/x\npw=hunter22 and h-hunter22-x\n"
	got, err := Rewrite([]byte(twoSteps), "guide.rst", []runbook.Result{drifted(cmds[0], out)}, Options{Replacer: runbook.NewReplacer(ps)})
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	if strings.Contains(s, "hunter22") || strings.Contains(s, "alice") {
		t.Errorf("real values written into the guide:\n%s", s)
	}
	if !strings.Contains(s, " user isabell at https://example.org/x\n pw=") {
		t.Errorf("examples not put back:\n%s", s)
	}
}

// TestPatchAppliesWithPatch checks the unified diff against the patch tool,
// which is stricter about hunk headers than any reader.
func TestPatchAppliesWithPatch(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		if os.Getenv("RUNBOOK_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("patch is not installed")
		}
		t.Skip("patch is not installed")
	}
	var old, nu []string
	for i := range 40 {
		old = append(old, "line "+string(rune('a'+i%26)))
		nu = append(nu, "line "+string(rune('a'+i%26)))
	}
	nu[2] = "changed 2"
	nu = append(nu[:20], append([]string{"inserted"}, nu[20:]...)...)
	nu = nu[:len(nu)-1]
	a, b := strings.Join(old, "\n")+"\n", strings.Join(nu, "\n")+"\n"
	p := Patch([]byte(a), []byte(b), "g.rst")
	if !strings.HasPrefix(p, "--- a/g.rst\n+++ b/g.rst\n@@ -1,6 +1,6 @@\n") {
		t.Errorf("unexpected header:\n%s", p)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "g.rst"), []byte(a), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("patch", "-p1", "--quiet")
	cmd.Dir, cmd.Stdin = dir, strings.NewReader(p)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch rejected the diff: %v\n%s\n%s", err, out, p)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "g.rst"))
	if string(got) != b {
		t.Errorf("patched file differs:\n%s", got)
	}
	if Patch([]byte(a), []byte(a), "g.rst") != "" {
		t.Error("equal inputs gave a patch")
	}
}

func TestRewriteStoppedDropsInterrupt(t *testing.T) {
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	res := drifted(cmds[0], "listening on 0.0.0.0:8009\nnew line\n^C\n")
	res.Outcome.Stopped = true
	got, err := Rewrite([]byte(twoSteps), "guide.rst", []runbook.Result{res}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(twoSteps, "\n a\n", "\n listening on 0.0.0.0:8009\n new line\n", 1)
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestRewriteRefusesPromptLikeOutput(t *testing.T) {
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	got, err := Rewrite([]byte(twoSteps), "guide.rst", []runbook.Result{drifted(cmds[0], "ok\n[isabell@stardust ~]$ rm -rf x\n")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "guide.rst:3:") {
		t.Errorf("want an error at guide.rst:3, got %v", err)
	}
	if string(got) != twoSteps {
		t.Errorf("the guide changed:\n%s", got)
	}
}

// TestRewriteHugeOutputWholesale checks the fallback beyond the alignment
// bound: the documented lines are replaced by the actual ones.
func TestRewriteHugeOutputWholesale(t *testing.T) {
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	var act []string
	for i := range maxCells {
		act = append(act, fmt.Sprintf("line %d", i))
	}
	got, err := Rewrite([]byte(twoSteps), "guide.rst", []runbook.Result{drifted(cmds[0], strings.Join(act, "\n"))}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), "\n line "); n != maxCells {
		t.Errorf("got %d output lines, want %d", n, maxCells)
	}
}

func TestRewriteRefusesTruncatedOutput(t *testing.T) {
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	res := drifted(cmds[0], "head\ntail\n")
	res.Outcome.Omitted = 1000
	got, err := Rewrite([]byte(twoSteps), "guide.rst", []runbook.Result{res}, Options{})
	if err == nil || !strings.Contains(err.Error(), "1000 lines omitted") || string(got) != twoSteps {
		t.Errorf("truncated output was written (err %v):\n%s", err, got)
	}
}

// TestRewriteKeepsSimulatedOutput: a stand-in's output is not the real
// program's, so a simulated step keeps its documented output, while a
// real step next to it is rewritten.
func TestRewriteKeepsSimulatedOutput(t *testing.T) {
	cmds := sessionSteps("guide.rst", []byte(twoSteps))
	sim := drifted(cmds[0], "from the stand-in\n")
	sim.Outcome.Simulated = true
	got, err := Rewrite([]byte(twoSteps), "guide.rst", []runbook.Result{sim, drifted(cmds[1], "c\n")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(twoSteps, " b\n [", " c\n [", 1)
	if string(got) != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
