package parser

import (
	"fmt"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Guides show some commands typed somewhere else: on the reader's own
// machine ("[localuser@localhost ~]$ ssh -L …", "you@laptop:~$ scp …"), or
// in another shell ("PS C:\> …"). runbook's shell is the guide's host, so
// such a command is a manual step that says where it runs: never run,
// never written.

// localHosts are host names that stand for the reader's own machine.
var localHosts = map[string]bool{
	"local": true, "localhost": true, "laptop": true, "desktop": true, "workstation": true,
	"pc": true, "home": true, "mybox": true, "somehost": true, "client": true,
}

// guideHost returns the host the guide's commands run on, as its prompts
// show it: the most frequent host that is not a name for the reader's own
// machine (stardust, however many "[localuser@localhost ~]$" lines a guide
// has); else "" when prompts without a host ("$ cmd") are there to be the
// guide's; else the most frequent host.
func guideHost(steps []runbook.Step) string {
	count := map[string]int{}
	for _, st := range steps {
		if c, ok := st.(*runbook.Command); ok && c.Prompt.Shell == "" {
			count[hostLabel(c.Prompt.Host)]++
		}
	}
	best := func(ok func(string) bool) string {
		b := ""
		for h, n := range count {
			if ok(h) && (b == "" || n > count[b] || n == count[b] && h < b) {
				b = h
			}
		}
		return b
	}
	if h := best(func(h string) bool { return h != "" && !localHosts[h] }); h != "" {
		return h
	}
	if count[""] > 0 {
		return ""
	}
	return best(func(h string) bool { return h != "" })
}

// hostLabel is the first label of a host name, lower-cased: stardust for
// stardust.uberspace.de.
func hostLabel(h string) string {
	h, _, _ = strings.Cut(strings.ToLower(h), ".")
	return h
}

// foreignReason says why a command does not run in the guide's shell, or
// returns "" when it does.
func foreignReason(p runbook.Prompt, host string) string {
	switch {
	case p.Shell != "":
		return fmt.Sprintf("runs in %s (the prompt %q), not in the guide's shell: do it there by hand", p.Shell, shellPrompt(p))
	case p.Host != "" && hostLabel(p.Host) != host && (host != "" || localHosts[hostLabel(p.Host)]):
		return fmt.Sprintf("runs on another machine (%s@%s), not on the guide's host %s: do it there by hand", p.User, p.Host, host)
	}
	return ""
}

// shellPrompt renders the prompt of another shell as its guide shows it.
func shellPrompt(p runbook.Prompt) string {
	if p.Shell == "PowerShell" {
		return "PS " + p.Dir + ">"
	}
	return p.Dir + ">"
}

// foreign turns every command that runs on another machine or in another
// shell into a manual step that shows it as the guide writes it.
func (b *builder) foreign() {
	host := guideHost(b.g.Steps)
	for i, st := range b.g.Steps {
		c, ok := st.(*runbook.Command)
		if !ok {
			continue
		}
		reason := foreignReason(c.Prompt, host)
		if reason == "" {
			continue
		}
		b.g.Steps[i] = &runbook.Manual{Header: c.Header, Reason: reason, Content: content(b.raw[c.ID])}
	}
}

// interactive makes the manual step for a block that reads as a terminal
// session whose prompts runbook does not know: it is not file content, and
// its commands cannot be told apart from their output.
func (b *builder) interactive(it item, head runbook.Header, prompt string) {
	b.add(&runbook.Manual{Header: head, Content: content(it.lines),
		Reason: fmt.Sprintf("the block is a terminal session with a prompt runbook does not know (%q); it is neither run nor written to a file: do it by hand", prompt)})
}
