package params_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
)

// hostile are values a user may set that break naive pasting somewhere.
var hostile = []string{
	`ab"c` + "\t" + `d'e$f%g`, `\`, `'`, `"`, `$(id)`, "`date`", "a\nb", "--x", "1234", "~/x y",
	"ü ß", `a\"b`, "%(ENV_HOME)s", "#x", " lead", "trail ", "*", "x: y", "- a", "null", "yes",
	"@x", "\x01bell", "[a]", "{a: b}", "a #b", "!tag", "&anchor", "?", "it's", `\n`,
}

// roundTripGuide has the secret in every yaml, json and shell context.
const roundTripGuide = `Create ` + "``~/a.yaml``" + ` with the following content:

.. code-block:: yaml

 double: "<my super secure password>"
 single: '<my super secure password>'
 plain: <my super secure password>
 flow: [<my super secure password>, "<my super secure password>"]
 inner: "pw=<my super secure password>;"

Create ` + "``~/a.json``" + ` with the following content:

.. code-block:: json

 {"s": "<my super secure password>", "bare": <my super secure password>}

Run it:

::

 [isabell@stardust ~]$ printf '%s|' '<my super secure password>' "<my super secure password>" <my super secure password> $'<my super secure password>' "$(printf %s '<my super secure password>')"
`

// TestQuoteRoundTrip checks by reading them back that every hostile value
// reaches the program exactly: the yaml and json parse and hold it, and
// bash passes it to printf in every quoting.
func TestQuoteRoundTrip(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil && os.Getenv("RUNBOOK_REQUIRE_INTEGRATION") == "1" {
		t.Fatal("bash is required")
	}
	for _, v := range hostile {
		g, err := parser.Parse("guide.rst", []byte(roundTripGuide), fstest.MapFS{})
		if err != nil {
			t.Fatal(err)
		}
		if err := params.Set(g.Params, "my-super-secure-password", v); err != nil {
			t.Fatal(err)
		}
		steps := params.Apply(g, g.Params).Steps
		if len(steps) != 3 {
			t.Fatalf("%d steps, want 3", len(steps))
		}
		checkYAML(t, v, steps[0].(*runbook.File).Content)
		checkJSON(t, v, steps[1].(*runbook.File).Content)
		if bash != "" {
			checkBash(t, bash, v, steps[2].(*runbook.Command).Text)
		}
	}
	if bash == "" {
		t.Skip("bash not found: the shell half was not checked")
	}
}

func checkYAML(t *testing.T, v, content string) {
	t.Helper()
	var doc struct {
		Double, Single, Inner string
		Plain                 any
		Flow                  []any
	}
	if err := yaml.Unmarshal([]byte(content), &doc); err != nil {
		t.Errorf("%q: yaml does not parse: %v\n%s", v, err, content)
		return
	}
	got := []any{doc.Double, doc.Single, doc.Plain, doc.Inner}
	got = append(got, doc.Flow...)
	want := []any{v, v, v, "pw=" + v + ";", v, v}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != len(want) {
		t.Errorf("%q: yaml reads %q, want %q\n%s", v, got, want, content)
	}
	for _, x := range got {
		if _, ok := x.(string); !ok {
			t.Errorf("%q: yaml reads a %T, want a string\n%s", v, x, content)
		}
	}
}

func checkJSON(t *testing.T, v, content string) {
	t.Helper()
	var doc struct{ S, Bare any }
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		t.Errorf("%q: json does not parse: %v\n%s", v, err, content)
		return
	}
	if doc.S != v {
		t.Errorf("%q: json string reads %q\n%s", v, doc.S, content)
	}
	if json.Valid([]byte(v)) {
		return // a bare value that is json itself stays as it is
	}
	if doc.Bare != v {
		t.Errorf("%q: bare json value reads %q\n%s", v, doc.Bare, content)
	}
}

func checkBash(t *testing.T, bash, v, command string) {
	t.Helper()
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", command)
	cmd.Env = []string{"HOME=/nonexistent-home", "PATH=" + os.Getenv("PATH")}
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("%q: bash: %v\n%s", v, err, command)
		return
	}
	want := strings.Repeat(v+"|", 5) // a value is literal: ~/x y is not expanded
	if string(out) != want {
		t.Errorf("%q: printf got %q, want %q\n%s", v, out, want, command)
	}
}

// TestQuoteRedacted checks that whatever escaped form a secret takes in the
// commands and files Apply makes, Redact masks all of it: the redacted
// guide is the one applied with the mask as the secret's value.
func TestQuoteRedacted(t *testing.T) {
	ini := "\nCreate ``~/etc/services.d/app.ini`` with the following content:\n\n.. code-block:: ini\n\n" +
		" [program:app]\n command=app --pw \"<my super secure password>\" '<my super secure password>'\n" +
		" environment=PW=\"<my super secure password>\"\n"
	applied := func(v string) (*runbook.Guide, *runbook.Replacer) {
		g, err := parser.Parse("guide.rst", []byte(roundTripGuide+ini), fstest.MapFS{})
		if err != nil {
			t.Fatal(err)
		}
		if err := params.Set(g.Params, "my-super-secure-password", v); err != nil {
			t.Fatal(err)
		}
		return params.Apply(g, g.Params), runbook.NewReplacer(g.Params)
	}
	// A yaml '…' the value cannot stay in turns "…": the quotes may differ.
	sameQuotes := strings.NewReplacer("'"+runbook.Mask+"'", `"`+runbook.Mask+`"`).Replace
	masked, _ := applied(runbook.Mask)
	want := sameQuotes(dumpApplied(masked))
	for _, v := range []string{`ab"c` + "\t" + `d'e$f%g`, "$(id)x", "a\nb'c", "%(ENV_HOME)s", `a\"b\\c`, "x`y`"} {
		g, r := applied(v)
		got := sameQuotes(r.Redact(dumpApplied(g)))
		if got != want {
			t.Errorf("%q: redacted:\n%s\nwant:\n%s", v, got, want)
		}
	}
}
