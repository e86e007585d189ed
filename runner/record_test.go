package runner

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// castEvents parses a recording, checking its header, and returns the output it replays.
func castEvents(t *testing.T, data []byte) (header map[string]any, output string) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() {
		t.Fatal("empty recording")
	}
	if err := json.Unmarshal(sc.Bytes(), &header); err != nil {
		t.Fatalf("header: %v", err)
	}
	if header["version"] != float64(2) || header["width"] == nil || header["height"] == nil || header["timestamp"] == nil {
		t.Fatalf("header %v", header)
	}
	var b strings.Builder
	last := -1.0
	for sc.Scan() {
		var ev []any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || len(ev) != 3 {
			t.Fatalf("event %q: %v", sc.Text(), err)
		}
		at, ok := ev[0].(float64)
		if !ok || at < last || ev[1] != "o" {
			t.Fatalf("event %q: time must grow, type must be o", sc.Text())
		}
		last = at
		b.WriteString(ev[2].(string))
	}
	return header, b.String()
}

func TestRedactorNeverReleasesASplitSecret(t *testing.T) {
	const secret = "hunter2-very-secret"
	mask := strings.NewReplacer(secret, "********").Replace
	for _, chunk := range []int{1, 2, 3, 5, 7, 64, 1000} {
		var rec, live bytes.Buffer
		w := newRedactor(mask, &rec, &live, "guide.rst", time.Now())
		text := "Password: \r\nyour password is " + secret + "\r\n" + strings.Repeat("x", 70000) + secret + "tail" + secret
		for i := 0; i < len(text); i += chunk {
			w.Write([]byte(text[i:min(i+chunk, len(text))]))
		}
		w.Flush(true)
		h, out := castEvents(t, rec.Bytes())
		if h["title"] != "guide.rst" {
			t.Errorf("title %v", h["title"])
		}
		if strings.Contains(out, "hunter") || strings.Contains(live.String(), "hunter") {
			t.Fatalf("chunk %d: secret leaked", chunk)
		}
		if want := mask(text); out != want || live.String() != want {
			t.Fatalf("chunk %d: replay differs from the masked output (len %d vs %d)", chunk, len(out), len(want))
		}
	}
}

func TestRedactorKeepsUTF8Whole(t *testing.T) {
	var rec bytes.Buffer
	w := newRedactor(func(s string) string { return s }, &rec, nil, "g", time.Now())
	text := strings.Repeat("é", 50000) // no newline: forces release in the middle of the line
	for i := 0; i < len(text); i += 333 {
		w.Write([]byte(text[i:min(i+333, len(text))]))
	}
	w.Flush(true)
	if _, out := castEvents(t, rec.Bytes()); out != text {
		t.Fatal("a multi-byte character was split between events")
	}
}

func TestRedactorRendersPrompts(t *testing.T) {
	var live, rec bytes.Buffer
	w := newRedactor(func(s string) string { return s }, &rec, &live, "g", time.Now())
	w.prompt = func(dir string) string { return "[u@h " + dir + "]$ " }
	w.Starting()
	w.Write([]byte("bash-5.2# PS1=''; PROMPT_COMMAND='...'\r\n\x1eabc123:0:/h\x1e"))
	w.Flush(false) // the first step ends before any output
	w.Write([]byte("ls\r\nfile\r\n\x1eabc1"))
	w.Write([]byte("23:1:/h/sub\x1e"))
	w.Flush(false)
	if got, want := live.String(), "[u@h /h]$ ls\r\nfile\r\n"; got != want {
		t.Fatalf("after a step: %q, want %q (the next prompt waits for its command)", got, want)
	}
	w.Flush(true)
	if got, want := live.String(), "[u@h /h]$ ls\r\nfile\r\n"; got != want {
		t.Fatalf("at the end: %q, want %q (the closing prompt is for the recording only)", got, want)
	}
	if _, replay := castEvents(t, rec.Bytes()); replay != "[u@h /h]$ ls\r\nfile\r\n[u@h /h/sub]$ \r\n" {
		t.Fatalf("recording %q", replay)
	}
}

func TestRedactorShowsMultiLineCommandsAsTyped(t *testing.T) {
	var live bytes.Buffer
	w := newRedactor(func(s string) string { return s }, nil, &live, "g", time.Now())
	w.prompt = func(dir string) string { return "[u@h " + dir + "]$ " }
	w.Write([]byte("\x1et0:0:d\x1eeval $'printf \\'%s\\\\n\\' \\\\\\n  one\\x01'\r\none\r\n"))
	want := "[u@h d]$ printf '%s\\n' \\\r\n>   one\x01\r\none\r\n"
	if got := live.String(); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	if got := unquoteANSIC(`a\'b\\c\td\x4`); got != "a'b\\c\td\\x4" {
		t.Errorf("unquote %q", got)
	}
}

func TestRedactorMasksSecretsInsideQuotedCommands(t *testing.T) {
	const secret = `it's-a\secret`
	var live bytes.Buffer
	w := newRedactor(strings.NewReplacer(secret, "****").Replace, nil, &live, "g", time.Now())
	w.prompt = func(dir string) string { return "$ " }
	w.Write([]byte("\x1et0:0:d\x1e" + `eval $'echo \'it\'s-a\\secret\'\necho'` + "\r\n"))
	w.Flush(true)
	if got := live.String(); strings.Contains(got, "secret") || !strings.Contains(got, "****") {
		t.Fatalf("%q", got)
	}
}
