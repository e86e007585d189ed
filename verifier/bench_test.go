package verifier

import (
	"fmt"
	"strings"
	"testing"
)

// synthetic returns n lines of pip/git-like output with volatile tokens.
func synthetic(n int, seed int) []string {
	lines := make([]string, n)
	for i := range lines {
		switch i % 4 {
		case 0:
			lines[i] = fmt.Sprintf("  Collecting package-%d==1.%d.%d (from matrix-synapse)", i, seed, i%7)
		case 1:
			lines[i] = fmt.Sprintf("    Downloading package_%d-2.%d.5-py3-none-any.whl (%d.%d kB)", i, seed, i%900, seed)
		case 2:
			lines[i] = fmt.Sprintf("2023/12/10 14:33:%02d OK   %d_migration_step.sql (%d.%dms)", (i+seed)%60, 20230728114555+i, seed, i%10)
		default:
			lines[i] = fmt.Sprintf("remote: Counting objects: %d%% (%d/%d), done.", i%100, i, n)
		}
	}
	return lines
}

// BenchmarkMatch100k matches 100,000 documented lines against 100,000
// actual lines: identical, with volatile tokens changed everywhere, with a
// few changed lines (drift, so the diff is computed too), and with
// elisions that each stand for many lines.
func BenchmarkMatch100k(b *testing.B) {
	const n = 100_000
	expect := synthetic(n, 1)
	cases := map[string][]string{}
	cases["equal"] = synthetic(n, 1)
	cases["volatile"] = synthetic(n, 2)
	changed := synthetic(n, 1)
	for _, i := range []int{10, 25_000, 50_001, 99_998} {
		changed[i] = "something else entirely"
	}
	cases["changed"] = changed
	withElisions := append([]string(nil), expect...)
	for i := 1000; i < n; i += 10_000 {
		for k := i; k < i+5000; k++ {
			withElisions[k] = ""
		}
		withElisions[i] = "[...]"
	}
	for _, name := range []string{"equal", "volatile", "changed", "elisions"} {
		exp, act := expect, cases[name]
		if name == "elisions" {
			exp, act = withElisions, synthetic(n, 1)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e := Compile(exp, nil)
				a := NewActual(act)
				m := e.Match(a)
				if m.OK == (name == "changed") {
					b.Fatalf("%s: match %v", name, m.OK)
				}
				if !m.OK {
					if d := e.Diff(a, DiffOptions{Header: "g.rst:1"}); !strings.Contains(d, "something else") {
						b.Fatalf("diff misses the change:\n%s", d)
					}
				}
			}
		})
	}
}

// BenchmarkNormalize100k normalises 100,000 lines of raw terminal output
// with colours and carriage returns.
func BenchmarkNormalize100k(b *testing.B) {
	var sb strings.Builder
	for i, l := range synthetic(100_000, 1) {
		if i%3 == 0 {
			sb.WriteString("\x1b[32m" + l + "\x1b[0m\r\n")
		} else {
			sb.WriteString("50%\r" + l + "\r\n")
		}
	}
	raw := sb.String()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if got := Normalize(raw); len(got) != 100_000 {
			b.Fatalf("%d lines", len(got))
		}
	}
}
