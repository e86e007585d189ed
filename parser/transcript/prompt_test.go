package transcript

import (
	"strings"
	"testing"

	runbook "github.com/runbookdev/runbook"
)

func TestIsPromptLine(t *testing.T) {
	yes := []string{
		"[isabell@stardust ~]$ ls",
		"[isabell@stardust ~]$",
		"[isabell@stardust]$ cd ~/sliding-sync",
		"(venv) [isabell@stardust otree]$ otree",
		"  [isabell@local ~]$ ssh x",
		"[root@stardust ~]# id",
		"$ taskd config",
		"$",
		"isabell@laptop:~/src$ git status",
		"root@laptop:/etc# cat hostname",
		"PS /home/isabell> Install-Module DatedMail",
		"PS /home/isabell>",
		"[isabell@stardust ~] wget x", // sigil missing: read as a prompt, with a warning
		"[isabell@stardust ~]",
		"[isabell@stardust ~] $ spaced",
		// Prompts of guides written elsewhere.
		"localuser@localhost ~ $ touch ~/.ssh/config",
		"you@laptop ~/src $ git status",
		"user@local$ ssh isabell@stardust.uber.space",
		"user@host:~ $ spaced login",
		"root@box /etc # cat hostname",
		"PS C:\\> Get-ChildItem",
		"PS C:\\Users\\me> dir",
		"C:\\Users\\me> dir",
		"[nix-shell:~]$ hello",
		"[nix-shell:~/src]$",
	}
	no := []string{
		"", "# update synapse and restart the service", "#!/bin/bash", "# apt-get install x",
		"$HOME/bin/synapse-update", "  $ indented bare", "[program:synapse]", "[isabell@stardust ~]x glued",
		"[+] example added", "[isabell@uber.space] text",
		"Collecting jinja2", "isabell@uber.space", "https://user@host:8080/$x", "PSA: read this",
		"(venv) $ bare after venv", "[isabell stardust ~]$ no at", "[@stardust ~]$ no user",
		"isabell@laptop:~/src$x glued", "PS /home/isabell>glued",
		"Mail isabell@uber.space#1 now", "isabell@uber.space#anchor", "[note:x] text", "[program:x]",
		"C:\\path\\without prompt", "http://user@host/$x", "(venv) [nix-shell:~]$ nested venv",
	}
	for _, l := range yes {
		if !IsPromptLine(l) {
			t.Errorf("IsPromptLine(%q) = false", l)
		}
	}
	for _, l := range no {
		if IsPromptLine(l) {
			t.Errorf("IsPromptLine(%q) = true", l)
		}
	}
}

func TestPromptFields(t *testing.T) {
	cases := map[string]runbook.Prompt{
		"[isabell@stardust synape]$ x":     {User: "isabell", Host: "stardust", Dir: "synape"},
		"(venv) [isabell@stardust otree]$": {User: "isabell", Host: "stardust", Dir: "otree", Venv: "venv"},
		"[isabell@stardust ~/.config]$ ls": {User: "isabell", Host: "stardust", Dir: "~/.config"},
		"[root@stardust ~]# id":            {User: "root", Host: "stardust", Dir: "~", Root: true},
		"isabell@laptop:~/src$ ls":         {User: "isabell", Host: "laptop", Dir: "~/src"},
		"PS /home/isabell> ls":             {Dir: "/home/isabell", Shell: "PowerShell"},
		"PS C:\\> dir":                     {Dir: "C:\\", Shell: "PowerShell"},
		"C:\\Users\\me> dir":               {Dir: "C:\\Users\\me", Shell: "cmd.exe"},
		"localuser@localhost ~ $ touch x":  {User: "localuser", Host: "localhost", Dir: "~"},
		"user@local$ ls":                   {User: "user", Host: "local"},
		"root@box /etc # cat hostname":     {User: "root", Host: "box", Dir: "/etc", Root: true},
		"user@host:~ $ ls":                 {User: "user", Host: "host", Dir: "~"},
		"[nix-shell:~/src]$ make":          {Dir: "~/src", Venv: "nix-shell"},
		"# apt-get install x":              {Root: true},
	}
	for line, want := range cases {
		p, ok := parsePrompt(line)
		if !ok || p.prompt != want {
			t.Errorf("parsePrompt(%q) = %+v, %v; want %+v", line, p.prompt, ok, want)
		}
	}
	if p, _ := parsePrompt("[isabell@stardust synapse]$  python3.9 -m x \\"); p.command != `python3.9 -m x \` {
		t.Errorf("command = %q", p.command)
	}
}

func TestIsSessionRule(t *testing.T) {
	cases := []struct {
		block string
		want  bool
	}{
		{"# apt-get install x\nok\n#", true},
		{"# systemctl restart nginx", true},
		{"# frobnicate --all\n#", true},
		{"# frobnicate --all", false},
		{"# The database engine name\nname: x", false},
		{"# your user name\nuser: x\n#", false},
		{"#!/bin/bash\n# cd /tmp\nls", false},
		{"# port: 1883", false},
		{"$ echo hi\nhi", true},
		{"echo hi\n$ echo hi", false},
		{"text first\n[isabell@stardust ~]$ ls", true},
		{"\n\n", false},
		{"", false},
	}
	for _, c := range cases {
		if got := IsSession(strings.Split(c.block, "\n")); got != c.want {
			t.Errorf("IsSession(%q) = %v, want %v", c.block, got, c.want)
		}
	}
}
