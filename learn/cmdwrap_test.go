package learn

import (
	"slices"
	"strings"
	"testing"
)

// TestCommandLines breaks commands wider than the room at spaces outside
// quotes, with " \" so that typing them as shown gives the same words.
func TestCommandLines(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		room int
		want []string
	}{
		{"curl --silent --head https://matrix.example.org | head -n 1", 52,
			[]string{"curl --silent --head https://matrix.example.org | \\", "head -n 1"}},
		{"curl --silent --head https://matrix.example.org | head -n 1", 40,
			[]string{"curl --silent --head \\", "https://matrix.example.org | head -n 1"}},
		{"short", 4, []string{"short"}},
		{`echo 'a quoted string that is long enough' end`, 40, []string{`echo \`, `'a quoted string that is long enough' end`}},
		{"https://a-very-long-url.example.org/without/any/space/in/it", 40, []string{"https://a-very-long-url.example.org/without/any/space/in/it"}},
		{"cat <<EOF >a-file-with-a-long-name.txt\nsome body text that is long enough to break\nEOF", 40,
			[]string{"cat <<EOF >a-file-with-a-long-name.txt", "some body text that is long enough to break", "EOF"}},
	} {
		got := commandLines(c.cmd, c.room, c.room+2)
		if !slices.Equal(got, c.want) {
			t.Errorf("commandLines(%q) = %q, want %q", c.cmd, got, c.want)
		}
		if strings.Contains(c.cmd, "<<") {
			continue
		}
		joined := strings.Join(got, "\n")
		if a, b := keys(shellWords(joined, "/h")), keys(shellWords(c.cmd, "/h")); !slices.Equal(a, b) {
			t.Errorf("%q as shown has the words %q, not %q", c.cmd, a, b)
		}
	}
}
