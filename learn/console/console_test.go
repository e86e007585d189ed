package console

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/runbookdev/runbook/executor"
)

// scanAll feeds the input to a scanner in pieces of size n and returns the
// output text and the events, in order, as one string.
func scanAll(in string, n int) string {
	sc := newScanner("tok")
	var b strings.Builder
	text := func(p []byte) { b.Write(p) }
	ev := func(e event) {
		switch e.kind {
		case 'b':
			b.WriteString("<b " + e.text + ">")
		case 'e':
			b.WriteString("<e " + string(rune('0'+e.status)) + " " + e.dir + ">")
		case 'k':
			b.WriteString("<k " + e.text + ">")
		}
	}
	for len(in) > 0 {
		k := min(n, len(in))
		sc.feed([]byte(in[:k]), text, ev)
		in = in[k:]
	}
	return b.String()
}

func TestScanner(t *testing.T) {
	cmd := base64.StdEncoding.EncodeToString([]byte("cat <<EOF\nx\nEOF"))
	in := "prompt$ \x1etok:b:" + cmd + "\x1eout\r\n\x1etok:e:1:/home/a:b\x1e[p]$ \x1etok:k:h\x1e" +
		"\x1eother:e:0:/x\x1e \x1etok:zz\x1e \x1etok:e:x:/\x1e \x1e"
	// Sentinels of another token and malformed ones are output; a mark at
	// the very end is held until more input shows what it is.
	want := "prompt$ <b cat <<EOF\nx\nEOF>out\r\n<e 1 /home/a:b>[p]$ <k h>" +
		"\x1eother:e:0:/x\x1e \x1etok:zz\x1e \x1etok:e:x:/\x1e "
	for _, n := range []int{1, 2, 3, 7, len(in)} {
		if got := scanAll(in, n); got != want {
			t.Errorf("in pieces of %d:\n got %q\nwant %q", n, got, want)
		}
	}
}

func TestAtLineStart(t *testing.T) {
	for _, c := range []struct {
		p      string
		before bool
		want   bool
	}{
		{"ls\r\n", false, true},
		{"ls\r\n\x1b[?2004l\r", false, true},
		{"no newline", true, false},
		{"\x1b[0m", true, true},
		{"\x1b[0m", false, false},
		{"a\r\nb", false, false},
	} {
		if got := atLineStart([]byte(c.p), c.before); got != c.want {
			t.Errorf("atLineStart(%q, %v) = %v", c.p, c.before, got)
		}
	}
}

func TestCast(t *testing.T) {
	var b bytes.Buffer
	c, err := NewCast(&b, 80, 24, "learn.rst")
	if err != nil {
		t.Fatal(err)
	}
	snow := []byte("snow ☃ man")
	c.Write(snow[:6]) // ends inside the snowman
	c.Write(snow[6:])
	c.Resize(100, 30)
	sc := bufio.NewScanner(&b)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 4 || !strings.Contains(lines[0], `"version":2,"width":80,"height":24`) {
		t.Fatalf("recording:\n%s", strings.Join(lines, "\n"))
	}
	var text string
	for _, l := range lines[1:3] {
		var ev []any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatal(err)
		}
		text += ev[2].(string)
	}
	if text != "snow ☃ man" || !strings.Contains(lines[3], `"r","100x30"`) {
		t.Errorf("events %q and %s", text, lines[3])
	}
}

func TestShellPath(t *testing.T) {
	for in, want := range map[string]string{
		"~/notes/notes.ini":      "~/notes/notes.ini",
		"~/my notes/x.ini":       "~/'my notes/x.ini'",
		"$HOME/x":                "$HOME/x",
		"/var/www/virtual/a b/x": "'/var/www/virtual/a b/x'",
		"~":                      "~",
		"config.yaml":            "config.yaml",
		"~/it's":                 `~/'it'\''s'`,
	} {
		if got := shellPath(in); got != want {
			t.Errorf("shellPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzScanner checks that no terminal output makes the scanner panic, and
// that output with no mark in it comes through unchanged.
func FuzzScanner(f *testing.F) {
	f.Add([]byte("a\x1etok:e:0:/\x1eb"), uint8(3))
	f.Add([]byte("\x1e\x1etok:b:!!\x1e"), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, n uint8) {
		sc := newScanner("tok")
		var out bytes.Buffer
		step := int(n%16) + 1
		for p := in; len(p) > 0; {
			k := min(step, len(p))
			sc.feed(p[:k], func(b []byte) { out.Write(b) }, func(event) {})
			p = p[k:]
		}
		if !bytes.ContainsRune(in, 0x1e) && !bytes.Equal(out.Bytes(), in) {
			t.Fatalf("output %q, want %q", out.Bytes(), in)
		}
	})
}

// BenchmarkScanner passes 1 MB of terminal output, with a command's two
// sentinels in it, through the scanner: the cost runbook adds to every
// byte a program prints.
func BenchmarkScanner(b *testing.B) {
	chunk := []byte(strings.Repeat("some output of a build, with colours \x1b[32mok\x1b[0m\r\n", 32<<10/54))
	begin := []byte("\x1etok:b:" + base64.StdEncoding.EncodeToString([]byte("make")) + "\x1e")
	end := []byte("\x1etok:e:0:/home/isabell\x1e")
	b.SetBytes(int64(32*len(chunk) + len(begin) + len(end)))
	sc := newScanner("tok")
	for b.Loop() {
		var c executor.Capture
		write := func(p []byte) { c.Write(p) }
		sc.feed(begin, write, func(event) {})
		for range 32 {
			sc.feed(chunk, write, func(event) {})
		}
		sc.feed(end, write, func(event) {})
	}
}
