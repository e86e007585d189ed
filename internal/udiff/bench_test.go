package udiff

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkTexts10k diffs two 10,000-line files that differ in four places,
// the size of a large config file in a dry run.
func BenchmarkTexts10k(b *testing.B) {
	var old, new strings.Builder
	for i := range 10_000 {
		fmt.Fprintf(&old, "key%d = value %d\n", i, i)
		if i%2500 == 7 {
			fmt.Fprintf(&new, "key%d = changed\n", i)
			continue
		}
		fmt.Fprintf(&new, "key%d = value %d\n", i, i)
	}
	b.ReportAllocs()
	for b.Loop() {
		d := Unified(Texts(old.String(), new.String()), Options{From: "a", To: "b", Context: DefaultContext})
		if n := strings.Count(d, "\n@@ -"); n != 4 {
			b.Fatalf("got %d hunks, want 4:\n%s", n, d)
		}
	}
}
