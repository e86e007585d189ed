package update

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// contextLines is how many unchanged lines a hunk shows around a change.
const contextLines = 3

// Patch returns a unified diff from old to new, headed with name, or ""
// when they are equal; it is what `runbook update` prints without --write.
func Patch(old, new []byte, name string) string {
	if string(old) == string(new) {
		return ""
	}
	ops := lineOps(string(old), string(new))
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- a/%s\n+++ b/%s\n", name, name)
	for _, h := range hunks(ops) {
		h.write(&sb)
	}
	return sb.String()
}

// lineOp is one line of a line diff: ' ', '-' or '+'.
type lineOp struct {
	kind byte
	text string // with its line end, if it had one
}

// lineOps diffs two texts line by line with go-diff.
func lineOps(a, b string) []lineOp {
	dmp := diffmatchpatch.New()
	ca, cb, table := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ca, cb, false), table)
	var ops []lineOp
	for _, d := range diffs {
		kind := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = '-'
		case diffmatchpatch.DiffInsert:
			kind = '+'
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				ops = append(ops, lineOp{kind, l})
			}
		}
	}
	return ops
}

// hunk is a run of changes with their context, and where it starts in each file.
type hunk struct {
	oldStart, newStart int // 1-based
	ops                []lineOp
}

// hunks groups the changed lines with up to contextLines of context,
// merging groups whose context would overlap.
func hunks(ops []lineOp) []hunk {
	var out []hunk
	oldLine, newLine := 1, 1
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			oldLine, newLine, i = oldLine+1, newLine+1, i+1
			continue
		}
		from := max(0, i-contextLines)
		h := hunk{oldStart: oldLine - (i - from), newStart: newLine - (i - from)}
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j
			} else if j-end > 2*contextLines {
				break
			}
		}
		to := min(len(ops), end+1+contextLines)
		h.ops = ops[from:to]
		for _, op := range ops[i:to] {
			if op.kind != '+' {
				oldLine++
			}
			if op.kind != '-' {
				newLine++
			}
		}
		out = append(out, h)
		i = to
	}
	return out
}

// write prints the hunk in unified form.
func (h hunk) write(sb *strings.Builder) {
	var nOld, nNew int
	for _, op := range h.ops {
		if op.kind != '+' {
			nOld++
		}
		if op.kind != '-' {
			nNew++
		}
	}
	fmt.Fprintf(sb, "@@ -%s +%s @@\n", span(h.oldStart, nOld), span(h.newStart, nNew))
	for _, op := range h.ops {
		sb.WriteByte(op.kind)
		sb.WriteString(op.text)
		if !strings.HasSuffix(op.text, "\n") {
			sb.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// span renders a hunk range; an empty range starts one line earlier, as diff does.
func span(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
