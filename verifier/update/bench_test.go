package update

import (
	"fmt"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// BenchmarkRewriteLongOutput rewrites one command documented with 100 lines
// (an elision among them) from 2,500 lines of actual output, about the
// largest alignment update does before it replaces output wholesale.
func BenchmarkRewriteLongOutput(b *testing.B) {
	var doc, act []string
	for i := range 100 {
		doc = append(doc, fmt.Sprintf(" step %d of the build took %d ms", i, i*7))
		if i == 50 {
			doc = append(doc, " [...]")
		}
	}
	for i := range 2500 {
		act = append(act, fmt.Sprintf("step %d of the build took %d ms", i%250, i*3))
	}
	src := "::\n\n [isabell@stardust ~]$ make\n" + strings.Join(doc, "\n") + "\n [isabell@stardust ~]$\n"
	cmds := sessionSteps("guide.rst", []byte(src))
	res := []runbook.Result{drifted(cmds[0], strings.Join(act, "\n")+"\n")}
	b.ResetTimer()
	for range b.N {
		if _, err := Rewrite([]byte(src), "guide.rst", res, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
