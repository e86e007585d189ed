package update

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/golden"
)

// promptLine matches a documented shell prompt with its command.
var promptLine = regexp.MustCompile(`^(\s*)\[([^@\]]+)@([^\] ]+)(?: ([^\]]*))?\]\$ ?(.*)$`)

// sessionSteps builds the command steps of a guide the way the transcript
// grammar does for the simple sessions these tests use: a prompt line, its
// output up to the next prompt, the first command of each block marked, a
// bare prompt after a command recorded as its closing prompt.
func sessionSteps(file string, src []byte) []*runbook.Command {
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	var cmds []*runbook.Command
	var cur *runbook.Command
	first := true
	for i, l := range lines {
		m := promptLine.FindStringSubmatch(l)
		switch {
		case m != nil:
			if cur != nil {
				if m[5] == "" {
					cur.Closing = &runbook.Closing{Prompt: runbook.Prompt{User: m[2], Host: m[3], Dir: m[4]},
						Pos: runbook.Pos{File: file, Line: i + 1}}
				}
				cmds = append(cmds, cur)
			}
			cur = nil
			if m[5] != "" {
				cur = &runbook.Command{Header: runbook.Header{Pos: runbook.Pos{File: file, Line: i + 1}},
					Prompt: runbook.Prompt{User: m[2], Host: m[3], Dir: m[4]}, Text: m[5],
					ExpectLine: i + 2, Indent: m[1], First: first}
			}
			first = cur == nil
		case cur != nil && (strings.HasPrefix(l, cur.Indent) && strings.TrimSpace(l) != "" || strings.TrimSpace(l) == ""):
			cur.Expect = append(cur.Expect, strings.TrimPrefix(l, cur.Indent))
		case cur != nil:
			cmds = append(cmds, cur)
			cur, first = nil, true
		default:
			first = true
		}
	}
	if cur != nil {
		cmds = append(cmds, cur)
	}
	for _, c := range cmds {
		for len(c.Expect) > 0 && strings.TrimSpace(c.Expect[len(c.Expect)-1]) == "" {
			c.Expect = c.Expect[:len(c.Expect)-1]
		}
	}
	return cmds
}

// results turns the archive's `out:LINE` and `dir:LINE` files into results:
// a step with an out file drifted and printed it; every step ends in the
// directory of the latest dir file at or before it.
func results(t *testing.T, file string, cmds []*runbook.Command, ar *txtar.Archive) []runbook.Result {
	outs, dirs := map[int]string{}, map[int]string{}
	for _, f := range ar.Files {
		kind, n, ok := strings.Cut(f.Name, ":")
		line, err := strconv.Atoi(n)
		if !ok || err != nil {
			continue
		}
		switch kind {
		case "out":
			outs[line] = string(f.Data)
		case "dir":
			dirs[line] = strings.TrimSpace(string(f.Data))
		}
	}
	dir := "/home/isabell"
	var rs []runbook.Result
	for _, c := range cmds {
		if d, ok := dirs[c.Pos.Line]; ok {
			dir = d
		}
		out, drift := outs[c.Pos.Line]
		delete(outs, c.Pos.Line)
		r := runbook.Result{Step: c, Verdict: runbook.OK, Outcome: &runbook.Outcome{Output: out, Dir: dir}}
		if drift {
			r.Verdict = runbook.Drift
		}
		rs = append(rs, r)
	}
	for l := range outs {
		t.Fatalf("out:%d names no command line", l)
	}
	return rs
}

// TestRewriteData rewrites guide.rst of each testdata/*.txtar with the
// results its out:LINE and dir:LINE files describe and compares the new
// guide with want.rst.
func TestRewriteData(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", "want.rst", func(t *testing.T, ar *txtar.Archive) string {
		text, ok := golden.Lookup(ar, "guide.rst")
		if !ok {
			t.Fatal("no guide.rst")
		}
		src := []byte(text)
		rs := results(t, "guide.rst", sessionSteps("guide.rst", src), ar)
		got, err := Rewrite(src, "guide.rst", rs, Options{Home: "/home/isabell"})
		if err != nil {
			t.Fatal(err)
		}
		return string(got)
	})
}
