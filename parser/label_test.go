package parser

import "testing"

// TestAdmonitionLabel: the first paragraph of an admonition carries its
// name, for the renderer; the rest of it, the main text and a generic
// admonition (whose argument is its own title) carry none.
func TestAdmonitionLabel(t *testing.T) {
	src := "Title\n=====\n\n.. note:: Keep in mind that you need a domain:\n\n * ``example.org``\n\n" +
		"Main text.\n\n.. admonition:: Own title\n\n  Body.\n\n.. warning::\n\n  Do not.\n\n" +
		"::\n\n [isabell@stardust ~]$ true\n [isabell@stardust ~]$\n"
	g, err := Parse("t.rst", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Steps) != 1 {
		t.Fatalf("%d steps, want 1", len(g.Steps))
	}
	var got []string
	for _, p := range g.Steps[0].Head().Prose {
		got = append(got, p.Label+"|"+p.Text)
	}
	want := []string{"note|Keep in mind that you need a domain:", "|* ``example.org``", "|Main text.",
		"|Own title", "|Body.", "warning|Do not."}
	if len(got) != len(want) {
		t.Fatalf("prose %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("paragraph %d: %q, want %q", i+1, got[i], want[i])
		}
	}
}
