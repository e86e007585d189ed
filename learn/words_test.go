package learn

import (
	"strings"
	"testing"
)

func TestShellWords(t *testing.T) {
	const home = "/h"
	for _, c := range []struct{ in, want string }{
		{`mkdir -p ~/synapse`, `mkdir|-p|/h/synapse`},
		{`mkdir   -p    "$HOME/synapse"`, `mkdir|-p|/h/synapse`},
		{`mkdir -p ${HOME}/synapse`, `mkdir|-p|/h/synapse`},
		{`mkdir -p '~/synapse'`, `mkdir|-p|~/synapse`},
		{`echo $HOMEDIR ~x`, `echo|$HOMEDIR|~x`},
		{`echo 'hello world' > ~/g.txt`, `echo|hello world|>op|/h/g.txt`},
		{`echo "hello world">~/g.txt`, `echo|hello world|>op|/h/g.txt`},
		{`echo hello\ world`, `echo|hello world`},
		{`echo $'a\tb'`, "echo|a\tb"},
		{`make 2>&1 | tee log  # build`, `make|2>&op|1|\|op|tee|log`},
		{"python3 -m x \\\n  --server-name example.org \\\n  --generate-config", `python3|-m|x|--server-name|example.org|--generate-config`},
		{"cat > ~/x.ini <<'EOF'\n[a]\nb = 1  \nEOF\n", "cat|>op|/h/x.ini|<<op|[a]\nb = 1"},
		{"cat > ~/x.ini <<EOF\n[a]\nb = 1\nEOF", "cat|>op|/h/x.ini|<<op|[a]\nb = 1"},
		{"cd ~ && ls;", `cd|/h|&&op|ls`},
		{"a=1 b=2 prog x", `a=1|b=2|prog|x`},
		{`echo "unclosed`, `echo|unclosed`},
		{`echo "see you, $(basename "$PWD")"`, `echo|see you, $(basename "$PWD")`},
		{"n=$(ls ~ | wc -l) && echo `date` $((1+2))", "n=$(ls ~ | wc -l)|&&op|echo|`date`|$((1+2))"},
		{`echo $(unclosed`, `echo|$(unclosed`},
	} {
		var got []string
		for _, w := range shellWords(c.in, home) {
			s := w.text
			if w.op {
				s = strings.ReplaceAll(s, "|", `\|`) + "op"
			}
			got = append(got, s)
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("shellWords(%q) = %q, want %q", c.in, g, c.want)
		}
	}
}

func TestCompareCommands(t *testing.T) {
	const home = "/home/alice"
	for _, c := range []struct {
		guide, typed string
		want         commandMatch
		diff         difference
	}{
		{"mkdir -p ~/synapse", "mkdir  -p  $HOME/synapse", sameCommand, difference{}},
		{"mkdir -p ~/synapse", "mkdir -p /home/alice/synapse", sameCommand, difference{}},
		{"mkdir -p ~/synapse", "mkdir ~/synapse", differentArgs, difference{guide: "-p", after: "mkdir"}},
		{"mkdir -p ~/synapse", "mkdir -p ~/synapse ~/x", differentArgs, difference{typed: "~/x", after: "~/synapse"}},
		{"cat ~/notes/today/g.txt", "cat ~/notes/g.txt", differentArgs, difference{guide: "~/notes/today/g.txt", typed: "~/notes/g.txt", after: "cat"}},
		{"echo 'hello world'", "echo hello world", differentArgs, difference{guide: "'hello world'", typed: "hello world", after: "echo"}},
		{"cd ~/synapse && ls", "cd ~/synapse", differentArgs, difference{guide: "&& ls", after: "~/synapse"}},
		{"mkdir -p ~/synapse", "ls -la", unrelated, difference{}},
		{"FOO=1 prog", "prog", differentArgs, difference{guide: "FOO=1"}},
		{"VERSION=4.8.1", "VERSION=4.8.2", differentArgs, difference{guide: "VERSION=4.8.1", typed: "VERSION=4.8.2"}},
		{"(crontab -l; echo x) | crontab -", "crontab -l", differentArgs, difference{guide: "(", typed: ""}},
		{"LD_LIBRARY_PATH=~/tor ~/tor/tor", "LD_LIBRARY_PATH=$HOME/tor $HOME/tor/tor", sameCommand, difference{}},
		{"mkdir -p ~/synapse", "", unrelated, difference{}},
	} {
		got, d := compareCommands(c.guide, c.typed, home)
		if got != c.want || d != c.diff {
			t.Errorf("compareCommands(%q, %q) = %v %+v, want %v %+v", c.guide, c.typed, got, d, c.want, c.diff)
		}
	}
}

// FuzzShellWords checks that no command line makes the splitter panic, and
// that every word it returns comes with the text it was typed as.
func FuzzShellWords(f *testing.F) {
	for _, s := range []string{`echo "a`, "cat <<EOF\nx", `a\`, `$'\`, "2>&1", "~", "${HOME", "# c\nls"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range shellWords(s, "/h") {
			if w.src == "" && w.text != "" && !strings.Contains(s, w.text) {
				t.Fatalf("word %q has no source in %q", w.text, s)
			}
		}
	})
}
