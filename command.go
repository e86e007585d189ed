package runbook

// Command is a shell command from a console session, with the output and the
// answers the guide documents for it.
type Command struct {
	Header
	Prompt Prompt
	// Text is the command as typed; continuation lines and heredoc bodies are
	// kept, joined with "\n", exactly as the shell must receive them.
	Text string
	// Expect is the documented output, one entry per line, elisions and
	// answer lines kept as written.
	Expect []string
	// Answers are typed in order when the running program waits for input.
	Answers []Answer
	// ExpectLine is the source line of Expect[0] (or where it would be), and
	// Indent the block's indentation, so `update` can rewrite output in place.
	ExpectLine int
	Indent     string
	// OutputIndent is the extra indentation the author gave every output
	// line beyond the prompt's (often two spaces); it was stripped from
	// Expect, and `update` puts it back when it rewrites output.
	OutputIndent string
	// First marks the first command of its console block: a reader starts
	// each block from the prompt it shows, which matters for the prompt dir.
	First bool
	// Closing is the bare prompt that ends the console block right after
	// this command's output, when this is the block's last command; its
	// directory is where the reader is told the shell now is.
	Closing *Closing
}

// Closing is a block's closing bare prompt, e.g. `[isabell@stardust synapse]$`.
type Closing struct {
	Prompt
	Pos Pos
}

// Kind reports KindCommand.
func (*Command) Kind() Kind { return KindCommand }

// Prompt is the shell prompt documented before a command.
type Prompt struct {
	User string // "isabell"; empty for a bare "$ "
	Host string // "stardust"
	Dir  string // "~", "synapse", exactly as written (typos included)
	Venv string // "venv" for "(venv) [isabell@stardust ~]$"; "nix-shell" for "[nix-shell:~]$"
	Root bool   // the prompt ended in "#"
	// Shell names the shell when it is not a POSIX one: "PowerShell" for
	// "PS C:\>", "cmd.exe" for "C:\>". runbook's bash cannot run its commands.
	Shell string
}

// AnswerKind distinguishes what is typed into a waiting program.
type AnswerKind int

const (
	// Reply is a visible answer typed at a question, e.g. "Make admin [no]: no".
	Reply AnswerKind = iota
	// Hidden is a secret typed at a prompt that does not echo, e.g. "Password:".
	Hidden
	// Input is a line typed at a REPL's prompt, e.g. "synapse=> UPDATE ...".
	Input
	// EndInput closes a REPL (EOF) where the transcript shows its bare prompt last.
	EndInput
)

// String names the answer kind for dumps and JSON.
func (k AnswerKind) String() string {
	switch k {
	case Hidden:
		return "hidden"
	case Input:
		return "input"
	case EndInput:
		return "eof"
	}
	return "reply"
}

// Answer is text the guide shows being typed into a running program.
type Answer struct {
	Kind   AnswerKind
	Prompt string // the prompt text as documented, e.g. "New user localpart [isabell]:" or "synapse=>"
	Text   string // what is typed; empty for Hidden (the value comes from Param) and EndInput
	Param  string // for Hidden: the name of the secret Param that supplies the value, if known
	Line   int    // index into Command.Expect of the line that shows this answer; -1 for an Unasked one
	// Unasked marks an answer the guide does not show but its program is
	// known to need (psql's password prompt, a way out of its prompt):
	// typed only if the program shows that prompt, skipped otherwise.
	Unasked bool
}

// Secret reports whether the answer's value must never be shown.
func (a Answer) Secret() bool { return a.Kind == Hidden }

// Map returns the prompt with f applied to each of its texts, as parameter
// substitution and its reverse do.
func (p Prompt) Map(f func(string) string) Prompt {
	p.User, p.Host, p.Dir, p.Venv = f(p.User), f(p.Host), f(p.Dir), f(p.Venv)
	return p
}

// Map returns a copy of the closing prompt with f applied to its texts; a
// nil one stays nil, so a copied command never shares it.
func (c *Closing) Map(f func(string) string) *Closing {
	if c == nil {
		return nil
	}
	return &Closing{Prompt: c.Prompt.Map(f), Pos: c.Pos}
}
