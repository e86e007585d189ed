package executor

import (
	"bytes"
	"context"
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// FuzzStream feeds arbitrary program output, cut at an arbitrary point, and
// then a real sentinel: whatever the output imitates, it is kept whole and the
// real sentinel is found, once.
func FuzzStream(f *testing.F) {
	const tok = "0f1e2d3c4b5a"
	for _, s := range []string{"", "abc", "\x1e", "\x1eFAKE:0:/\x1e", "\x1e0f1e2d3c4b5:0:/\x1e",
		"\x1e0f1e2d3c4b", "\x1e\x1e\x1e", "x\x1e12:/\x1e", strings.Repeat("\x1e0", 100)} {
		f.Add([]byte(s), uint16(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		if bytes.Contains(data, []byte(tok)) {
			t.Skip("output that knows the token is out of scope")
		}
		c := int(cut) % (len(data) + 1)
		var out bytes.Buffer
		st := newStream(tok, nil, func(p []byte) { out.Write(p) })
		var got []*sentinel
		for _, chunk := range [][]byte{data[:c], data[c:], []byte("\x1e" + tok + ":5:/x\x1e")} {
			for len(chunk) > 0 {
				s, rest := st.feed(chunk)
				if s == nil {
					break
				}
				got = append(got, s)
				chunk = rest
			}
		}
		if len(got) != 1 || got[0].status != 5 || got[0].dir != "/x" {
			t.Fatalf("sentinels %+v", got)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("output %q, want %q", out.Bytes(), data)
		}
	})
}

// TestArgvWrapper starts bash through a wrapper command, as a sandbox does.
func TestArgvWrapper(t *testing.T) {
	need(t, "env")
	sh := startTest(t, ShellOptions{Argv: []string{"env", "WRAPPED=yes", "bash"}})
	o := sh.Run(context.Background(), &runbook.Command{Text: "echo $WRAPPED"})
	if o.Err != nil || o.Output != "yes\n" {
		t.Fatalf("outcome %s", describe(o))
	}
}
