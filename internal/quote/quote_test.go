package quote

import (
	"encoding/json"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

var values = []string{"plain", `ab"c` + "\t" + `d'e$f%g\h`, "a\nb\r\x00\x01\x7f", "ü\u2028ß", "\xff", "", "'", `\`, "%%"}

// TestYAMLDouble: the escaped value inside "…" reads back as itself.
func TestYAMLDouble(t *testing.T) {
	for _, v := range values {
		var got string
		doc := `"` + YAMLDouble(v) + `"`
		if err := yaml.Unmarshal([]byte(doc), &got); err != nil {
			t.Errorf("%q: %s: %v", v, doc, err)
		} else if want := strings.ToValidUTF8(v, ""); got != v && !(v == "\xff" && got == "\u00ff") && got != want {
			t.Errorf("%q: %s reads %q", v, doc, got)
		}
	}
}

// TestYAMLSingle: where single quotes can hold a value, it reads back as itself.
func TestYAMLSingle(t *testing.T) {
	held := 0
	for _, v := range values {
		if !YAMLSingleOK(v) {
			continue
		}
		held++
		var got string
		doc := `'` + YAMLSingle(v) + `'`
		if err := yaml.Unmarshal([]byte(doc), &got); err != nil || got != v {
			t.Errorf("%q: %s reads %q, %v", v, doc, got, err)
		}
	}
	if held != 5 || YAMLSingleOK("a\tb") || YAMLSingleOK("a\nb") {
		t.Errorf("YAMLSingleOK accepted %d values, want 5 (no tab, line break or control character)", held)
	}
}

// TestJSON: the escaped value inside "…" reads back as itself.
func TestJSON(t *testing.T) {
	for _, v := range values {
		var got string
		doc := `"` + JSON(v) + `"`
		if err := json.Unmarshal([]byte(doc), &got); err != nil || got != strings.ToValidUTF8(v, "\ufffd") {
			t.Errorf("%q: %s reads %q, %v", v, doc, got, err)
		}
	}
	if JSON("<a&b>") != "<a&b>" {
		t.Errorf("JSON escapes HTML characters: %s", JSON("<a&b>"))
	}
}

// TestShellForms pins the bash escapes; runner and params tests run them in bash.
func TestShellForms(t *testing.T) {
	v := `a'b"c$d` + "`e\\f"
	for got, want := range map[string]string{
		ShellSingle(v):                `a'\''b"c$d` + "`e\\f",
		ShellDouble(v):                `a'b\"c\$d` + "\\`e\\\\f",
		HereDoc(v):                    `a'b"c\$d` + "\\`e\\\\f",
		ANSIC(v + "\t"):               `a\'b"c$d` + "`e\\\\f\\x09",
		Shlex(v):                      `a'b\"c$d` + "`e\\\\f",
		ShellWord("x.y-z@1:2,3=4+5%"): "x.y-z@1:2,3=4+5%",
		ShellWord("~/a b"):            `'~/a b'`,
		ShellWord(""):                 `''`,
		ShellWord("it's"):             `'it'\''s'`,
		Percent("%(x)s"):              "%%(x)s",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

// TestForms lists each escaped form once and never the value itself.
func TestForms(t *testing.T) {
	if f := Forms("plain"); len(f) != 0 {
		t.Errorf("Forms(plain) = %q", f)
	}
	v := `ab"c'd%e`
	fs := Forms(v)
	seen := map[string]bool{}
	for _, f := range fs {
		if f == v || seen[f] {
			t.Errorf("Forms(%s) repeats %s", v, f)
		}
		seen[f] = true
	}
	for _, want := range []string{`ab\"c'd%e`, `ab"c''d%e`, `ab"c'\''d%e`, `ab"c'd%%e`, `ab"c'\''d%%e`} {
		if !seen[want] {
			t.Errorf("Forms(%s) lacks %s: %q", v, want, fs)
		}
	}
}
