package lint

import (
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// synapseLike is a hand-built model of the defective parts of
// guides/synapse.rst, with the source lines the steps came from, so the
// checks can be tested without the parser.
func synapseLike() (*runbook.Guide, Source) {
	src := strings.Join([]string{
		"Users can be added from the CLI:",     // 1
		"",                                     // 2
		".. code-block:: console",              // 3
		"",                                     // 4
		"  [isabell@stardust ~]$ cd ~/synapse", // 5
		"  [isabell@stardust synape]$ register_new_matrix_user -c homeserver.yaml https://matrix.example.org", // 6
		"  Success!",                    // 7
		"  [isabell@stardust synapse]$", // 8
		"",                              // 9
		"Create the file ``client``:",   // 10
		"",                              // 11
		".. code-block:: console",       // 12
		"",                              // 13
		"  {",                           // 14
		`    "m.homeserver": {`,         // 15
		`        "base_url": "https:/matrix.example.org"`, // 16
		"    }", // 17
		"  }",   // 18
		"",      // 19
		"Create ``~/etc/services.d/syncv3.ini``:", // 20
		"",                    // 21
		".. code-block:: ini", // 22
		"",                    // 23
		"  [program:syncv3]",  // 24
		"  Environment=SYNCV3_SECRET=MySuperSecret",  // 25
		"  command=%(ENV_HOME)s/sliding-sync/syncv3", // 26
		"  autostart=yes",         // 27
		"",                        // 28
		".. code-block:: console", // 29
		"",                        // 30
		"  [isabell@stardust ~]$ uberspace web backend set / --port <port>", // 31
		"  [isabell@stardust ~]$", // 32
		"",                        // 33
		".. code-block:: console", // 34
		"",                        // 35
		"  [isabell@stardust ~]$ psql synapse synapse", // 36
		"", // 37
	}, "\n")
	p := func(line int) runbook.Pos { return runbook.Pos{File: "synapse.rst", Line: line} }
	home := runbook.Prompt{User: "isabell", Host: "stardust", Dir: "~"}
	typo := runbook.Prompt{User: "isabell", Host: "stardust", Dir: "synape"}
	g := &runbook.Guide{Name: "synapse.rst", Steps: []runbook.Step{
		&runbook.Command{Header: runbook.Header{Pos: p(5), Lang: "console"}, Prompt: home, Text: "cd ~/synapse", ExpectLine: 6, Indent: "  ", First: true},
		&runbook.Command{Header: runbook.Header{Pos: p(6), Lang: "console"}, Prompt: typo, Text: "register_new_matrix_user -c homeserver.yaml https://matrix.example.org", Expect: []string{"Success!"}, ExpectLine: 7, Indent: "  ",
			Closing: &runbook.Closing{Prompt: runbook.Prompt{User: "isabell", Host: "stardust", Dir: "synapse"}, Pos: p(8)}},
		&runbook.File{Header: runbook.Header{Pos: p(12), Lang: "console"}, Path: "client", Mode: runbook.Create, Format: "json",
			Content: "{\n  \"m.homeserver\": {\n      \"base_url\": \"https:/matrix.example.org\"\n  }\n}\n"},
		&runbook.File{Header: runbook.Header{Pos: p(22), Lang: "ini"}, Path: "~/etc/services.d/syncv3.ini", Mode: runbook.Create, Format: "ini",
			Content: "[program:syncv3]\nEnvironment=SYNCV3_SECRET=MySuperSecret\ncommand=%(ENV_HOME)s/sliding-sync/syncv3\nautostart=yes\n"},
		&runbook.Command{Header: runbook.Header{Pos: p(31), Lang: "console"}, Prompt: home, Text: "uberspace web backend set / --port <port>", ExpectLine: 32, Indent: "  ", First: true,
			Closing: &runbook.Closing{Prompt: home, Pos: p(32)}},
		&runbook.Command{Header: runbook.Header{Pos: p(36), Lang: "console"}, Prompt: home, Text: "psql synapse synapse", ExpectLine: 37, Indent: "  ", First: true},
	}}
	return g, Source{"synapse.rst": []byte(src)}
}

func TestLintSynapseLike(t *testing.T) {
	g, src := synapseLike()
	got := map[string]bool{}
	for _, d := range LintSource(g, src) {
		got[d.Pos.String()+" "+d.ID] = true
		t.Logf("%s: %s: %s", d.Pos, d.ID, d.Message)
	}
	for _, want := range []string{
		"synapse.rst:6 prompt-dir",
		"synapse.rst:16 bad-url",
		"synapse.rst:14 content-in-console",
		"synapse.rst:25 supervisord-key",
		"synapse.rst:31 unexplained-placeholder",
		"synapse.rst:36 no-closing-prompt",
	} {
		if !got[want] {
			t.Errorf("missing finding %s", want)
		}
	}
	// The closing prompt on line 8 agrees with the cd; the typo is reported once, at 6.
	if len(got) != 6 {
		t.Errorf("got %d findings, want 6", len(got))
	}
}
