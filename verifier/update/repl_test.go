package update

import (
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

// A REPL closed at its bare prompt prints its quit on a line of its own
// under readline 8; update must see the output as the verifier does (the quit
// back on the prompt line) or it would write a "\q" line into the guide that
// the closing prompt then fails to match.
func TestREPLQuitStaysOnPromptLine(t *testing.T) {
	src := "[isabell@stardust ~]$ psql synapse\npsql (15.18)\nsynapse=> SELECT 1;\n 1\nsynapse=>\n"
	cmd := &runbook.Command{
		Header: runbook.Header{Pos: runbook.Pos{File: "g.rst", Line: 1}},
		Prompt: runbook.Prompt{User: "isabell", Host: "stardust", Dir: "~"},
		Text:   "psql synapse", ExpectLine: 2, First: true,
		Expect: []string{"psql (15.18)", "synapse=> SELECT 1;", " 1", "synapse=>"},
		Answers: []runbook.Answer{
			{Kind: runbook.Input, Prompt: "synapse=>", Text: "SELECT 1;", Line: 1},
			{Kind: runbook.EndInput, Prompt: "synapse=>", Line: 3},
		},
	}
	out := "psql (15.18)\r\nType \"help\" for help.\r\nsynapse=> SELECT 1;\r\n 1\r\nsynapse=> \r\n\\q\r\n"
	rs := []runbook.Result{{Step: cmd, Verdict: runbook.Drift, Outcome: &runbook.Outcome{Output: out, Dir: "/home/isabell"}}}
	got, err := Rewrite([]byte(src), "g.rst", rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(src, "\nsynapse=> SELECT", "\nType \"help\" for help.\nsynapse=> SELECT", 1)
	if string(got) != want {
		t.Errorf("rewrite differs:\n%s", Patch([]byte(want), got, "g.rst"))
	}
}
