package executor

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// feedAll feeds chunks to a stream and returns the output and sentinels seen.
func feedAll(token string, echo []byte, chunks ...[]byte) (string, []*sentinel) {
	var out bytes.Buffer
	st := newStream(token, echo, func(p []byte) { out.Write(p) })
	var sents []*sentinel
	for _, c := range chunks {
		for len(c) > 0 {
			s, rest := st.feed(c)
			if s == nil {
				break
			}
			sents = append(sents, s)
			c = rest
		}
	}
	return out.String(), sents
}

func TestStreamSentinel(t *testing.T) {
	tok := "abc123"
	whole := []byte("ls\r\nfile\r\n\x1eFAKE:0:/\x1e\x1eabc12:1:/x\x1e\x1eabc123:7:/srv/a:b\x1e")
	// Every way of cutting the stream into two chunks gives the same result.
	for cut := 0; cut <= len(whole); cut++ {
		out, sents := feedAll(tok, echoOf("ls\n"), whole[:cut], whole[cut:])
		if want := "file\r\n\x1eFAKE:0:/\x1e\x1eabc12:1:/x\x1e"; out != want {
			t.Fatalf("cut %d: output %q, want %q", cut, out, want)
		}
		if len(sents) != 1 || sents[0].status != 7 || sents[0].dir != "/srv/a:b" {
			t.Fatalf("cut %d: sentinels %+v", cut, sents)
		}
	}
	// Byte by byte.
	var chunks [][]byte
	for i := range whole {
		chunks = append(chunks, whole[i:i+1])
	}
	if _, sents := feedAll(tok, echoOf("ls\n"), chunks...); len(sents) != 1 {
		t.Fatalf("byte by byte: %d sentinels", len(sents))
	}
}

func TestStreamEchoMismatch(t *testing.T) {
	// No echo at all (stty -echo): nothing is lost.
	out, _ := feedAll("t", echoOf("secret-cmd\n"), []byte("sec"), []byte("ond\r\n"))
	if out != "second\r\n" {
		t.Fatalf("output %q", out)
	}
}

func TestStreamNotASentinel(t *testing.T) {
	long := "\x1et:1:" + strings.Repeat("d", maxPwd+10) + "\x1e"
	out, sents := feedAll("t", nil, []byte(long), []byte("\x1etf3:0:/ok\x1e"))
	if len(sents) != 1 || sents[0].dir != "/ok" || sents[0].fence != "3" || out != long {
		t.Fatalf("sentinels %+v, output %d bytes", sents, len(out))
	}
	out, sents = feedAll("t", nil, []byte("\x1et:12345:/x\x1e\x1e\x1et::/\x1etf:0:/\x1etf1234567890:0:/\x1etfx:0:/\x1ez"))
	if len(sents) != 0 || out != "\x1et:12345:/x\x1e\x1e\x1et::/\x1etf:0:/\x1etf1234567890:0:/\x1etfx:0:/\x1ez" {
		t.Fatalf("sentinels %+v, output %q", sents, out)
	}
}

func TestCaptureBounds(t *testing.T) {
	var c capture
	n := headLines + tailLines + 500
	for i := 1; i <= n; i++ {
		c.write([]byte(fmt.Sprintf("%d\r\n", i)))
	}
	c.write([]byte("tail-partial"))
	got := strings.Split(c.String(), "\n")
	if len(got) != headLines+tailLines+1 || c.omitted != 500 {
		t.Fatalf("%d lines kept, %d omitted", len(got), c.omitted)
	}
	if got[0] != "1" || got[headLines-1] != fmt.Sprint(headLines) ||
		got[headLines] != fmt.Sprint(headLines+501) || got[len(got)-2] != fmt.Sprint(n) ||
		got[len(got)-1] != "tail-partial" {
		t.Fatalf("unexpected lines: %q ... %q", got[:2], got[len(got)-3:])
	}
	var long capture
	long.write(bytes.Repeat([]byte("x"), 3*lineBytes))
	long.write([]byte("\n"))
	if long.cut != 2*lineBytes || len(long.String()) != lineBytes+1 {
		t.Fatalf("cut %d, kept %d", long.cut, len(long.String()))
	}
}

func TestPromptMatches(t *testing.T) {
	for _, c := range []struct {
		line, doc string
		want      bool
	}{
		{"Name [bob]: ", "Name [isabell]:", true},
		{"New user localpart [isabell]: ", "New user localpart [isabell]:", true},
		{"\x1b[?2004hsqlite> ", "sqlite>", true},
		{">>> ", ">>>", true},
		{">", ">>>", false},
		{"PASSWORD: ", "Password:", true},
		{"Password (again): ", "Password:", false},
		{"progress 10%\rPassword: ", "Password:", true},
		{"Make admin [no]: ", "Password:", false},
		{"", "Password:", false},
		{"synapse=> ", "synapse=>", true},
		{"Password for user synapse: ", "Password for user synapse:", true},
	} {
		if got := promptMatches([]byte(c.line), c.doc); got != c.want {
			t.Errorf("promptMatches(%q, %q) = %v", c.line, c.doc, got)
		}
	}
}

func TestLastDocumented(t *testing.T) {
	l := lastDocumented([]string{"Starting on port 8008", "listening on [...] port 8008", "[...]", ""})
	if l == nil {
		t.Fatal("no last line")
	}
	for line, want := range map[string]bool{
		"listening on 127.0.0.1 port 9000":       true,
		"\x1b[32mlistening on ::1 port 1\x1b[0m": true,
		"listening port 8008":                    false,
		"Starting on port 8008":                  false,
	} {
		if got := l.matches([]byte(line)); got != want {
			t.Errorf("matches(%q) = %v", line, got)
		}
	}
	m := lastDocumented([]string{"Client mosq-XXXXXXXX received PINGRESP", "^C", ""})
	if m == nil || !m.ctrlC || !m.matches([]byte("Client mosq-7fQ2xa received PINGRESP")) {
		t.Errorf("^C and XXX ids: %+v", m)
	}
	if lastDocumented([]string{"...", "[…]"}) != nil {
		t.Error("elisions only: want nil")
	}
	if l := lastDocumented([]string{"start", "[...]"}); l == nil || !l.trailing {
		t.Errorf("an elision after the last line: %+v", l)
	}
	if l := lastDocumented([]string{"start", "^C"}); l == nil || l.trailing {
		t.Errorf("^C after the last line is no elision: %+v", l)
	}
	// A table whose columns the program pads to other widths.
	tab := lastDocumented([]string{"  uuid-ossp        | 1.1     | public     | generate universally unique identifiers (UUIDs)"})
	if !tab.matches([]byte(" uuid-ossp | 1.1     | public     | generate universally unique identifiers (UUIDs)")) {
		t.Error("padding differs: want a match")
	}
	if tab.matches([]byte(" uuid-ossp | 1.1 | private | generate universally unique identifiers (UUIDs)")) {
		t.Error("a word differs: want no match")
	}
}

func TestTypedForm(t *testing.T) {
	if got := typedForm("echo hi", "t"); got != "echo hi" {
		t.Errorf("one line: %q", got)
	}
	if got := typedForm("echo 'a'\n\techo \\b\x01", "t"); got != `eval $'echo \'a\'\n\techo \\b\x01'` {
		t.Errorf("several lines: %q", got)
	}
	long := "cat <<EOF\n" + strings.Repeat("0123456789\n", 400) + "EOF"
	got := typedForm(long, "tok")
	if !strings.HasPrefix(got, "eval \"$(cat <<'__rb_tok'\n") || strings.Contains(got, "$'") {
		t.Errorf("long: %q", got[:40])
	}
	for _, text := range []string{long, "echo " + strings.Repeat("y", 5000), "a\x03\nb" + strings.Repeat("\x15", 2000), strings.Repeat("\x15", 1000)} {
		for _, l := range strings.Split(typedForm(text, "tok"), "\n") {
			if len(l) > 4000 || hasControl(l) {
				t.Fatalf("typed line of %d bytes, control characters %v", len(l), hasControl(l))
			}
		}
	}
	if got := typedForm("printf 'a\x15b'", "t"); got != `eval $'printf \'a\x15b\''` {
		t.Errorf("control character: %q", got)
	}
}
