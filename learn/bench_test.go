package learn

import (
	"fmt"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// BenchmarkJudge judges one typed command whose output is 10,000 lines
// against a documented output of the same length: the words, the prompt
// directory and the verifier's match, all that runs between a command's
// end and the next prompt.
func BenchmarkJudge(b *testing.B) {
	var expect, out strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&expect, "line %d of the build, 3.2 MB/s\n", i)
		fmt.Fprintf(&out, "line %d of the build, 3.2 MB/s\r\n", i)
	}
	c := &runbook.Command{Header: runbook.Header{ID: 1}, Prompt: runbook.Prompt{User: "isabell", Host: "stardust", Dir: "~"},
		Text: "make -j2 all 2>&1 | tee ~/build.log", Expect: strings.Split(strings.TrimSuffix(expect.String(), "\n"), "\n")}
	g := &runbook.Guide{Name: "bench.rst", Steps: []runbook.Step{c}}
	a := Attempt{Line: `make  -j2 all 2>&1 |tee "$HOME/build.log"`, Output: out.String(), Before: "/home/isabell", After: "/home/isabell"}
	b.ReportAllocs()
	for b.Loop() {
		l, _ := New(g, g, nil, "/home/isabell")
		if f := l.Judge(a); f.Kind != Done {
			b.Fatalf("not done: %s", plain(f))
		}
	}
}
