package learn

import (
	"strings"
	"testing"
)

// show renders t without colour on one long line, with literal spans in backquotes.
func show(t Text) string { return strings.TrimSuffix(Render(t, 1000, "", false), "\n") }

func TestProseText(t *testing.T) {
	for _, c := range []struct {
		in       string
		markdown bool
		want     string
	}{
		{"Create ``~/etc/x.ini`` with the following content:", false, "Create `~/etc/x.ini` with the following content:"},
		{"See :manual:`the manual <web-backends>` and :manual:`supervisord`.", false, "See the manual and supervisord."},
		{"Edit :file:`~/.bashrc`; the `site <https://example.org>`_ or `https://x.org`__ helps.", false,
			"Edit `~/.bashrc`; the site or https://x.org helps."},
		{"A `ref`_ and `<https://a.b>`_ and **strong** and *it* and 2 * 3 and \\*x.", false,
			"A ref and https://a.b and strong and it and 2 * 3 and *x."},
		{"Unclosed ``literal and a `tick", false, "Unclosed ``literal and a `tick"},
		{"A :role:`unclosed", false, "A :role:`unclosed"},
		{"We use PHP_ and Composer__, see snake_case_name.", false, "We use PHP and Composer, see snake_case_name."},
		{"Install it with `pip`, as [the docs](https://example.org) say; see <https://x.org> and ![logo](l.png).", true,
			"Install it with `pip`, as the docs say; see https://x.org and logo."},
		{"Use ``a `b` c`` and **bold** and snake_case_name.", true, "Use `a `b` c` and bold and snake_case_name."},
	} {
		if got := show(ProseText(c.in, c.markdown)); got != c.want {
			t.Errorf("ProseText(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestRenderWraps(t *testing.T) {
	text := ProseText("Create the directory ``~/synapse/data`` for the media store, then run ``mkdir -p ~/synapse/data`` there; see :manual:`the manual <x>`.", false)
	got := Render(text, 40, "  ", false)
	want := "  Create the directory `~/synapse/data`\n" +
		"  for the media store, then run `mkdir`\n" +
		"  `-p ~/synapse/data` there; see the\n" +
		"  manual.\n"
	if got != want {
		t.Errorf("Render at 40 columns:\n%s\nwant:\n%s", got, want)
	}
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if len([]rune(line)) > 40 {
			t.Errorf("line longer than 40 columns: %q", line)
		}
	}
	colored := Render(Text{{Text: "run", Style: Plain}, {Text: "ls -l", Style: Literal}}, 80, "", true)
	if colored != "run\x1b[36mls -l\x1b[0m\n" {
		t.Errorf("coloured literal: %q", colored)
	}
	long := Render(Text{{Text: strings.Repeat("x", 50)}}, 20, "", false)
	for _, line := range strings.Split(strings.TrimSuffix(long, "\n"), "\n") {
		if len(line) > 20 {
			t.Errorf("a word longer than the width was not cut: %q", line)
		}
	}
}
