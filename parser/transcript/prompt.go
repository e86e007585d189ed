package transcript

import (
	"regexp"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	runbook "github.com/runbookdev/runbook"
)

// promptKind is the shape of a shell prompt; it decides where the shape counts.
type promptKind int

const (
	bracketPrompt promptKind = iota + 1 // [user@host dir]$, optionally after (venv)
	loginPrompt                         // user@host:dir$
	psPrompt                            // PS /home/isabell>, PS C:\>
	dollarPrompt                        // bare "$ "
	hashPrompt                          // bare "# "
	envPrompt                           // [nix-shell:~]$: a shell a command opened, inside the guide's
	spacedPrompt                        // localuser@localhost ~ $ (Gentoo's style), user@host$
	windowsPrompt                       // C:\Users\me>
)

// promptLine is the grammar of a prompt: an optional virtualenv, then one
// of the prompt shapes. The command after the prompt is not parsed: it is
// whatever follows, as typed.
type promptLine struct {
	Venv    string         `parser:"@Venv?"`
	Bracket *bracketSyntax `parser:"( @@"`
	Login   *loginSyntax   `parser:"| @@"`
	Spaced  *spacedSyntax  `parser:"| @@"`
	PS      *psSyntax      `parser:"| @@"`
	Windows string         `parser:"| @Drive"`
	Bare    string         `parser:"| @Sigil )"`
	Rest    string         // the text after the prompt, set by parsePrompt
}

// bracketSyntax is the Uberspace prompt "[isabell@stardust ~]$", or the
// prompt of a shell a program opened, such as nix-shell's "[nix-shell:~]$"
// (User is then the environment's name).
type bracketSyntax struct {
	User   string `parser:"Open @Name"`
	Host   string `parser:"( At @Name"`
	Dir    string `parser:"  @Dir?"`
	Env    bool   `parser:"| @Colon"`
	EnvDir string `parser:"  @Name? )"`
	Close  string `parser:"@Close"`
}

// spacedSyntax is "localuser@localhost ~ $" (Gentoo's default) and the
// bare "user@host$".
type spacedSyntax struct {
	Login string `parser:"@Spaced"`
	Dir   string `parser:"@SpacedDir"`
}

// loginSyntax is the Debian-style prompt "isabell@stardust:~$".
type loginSyntax struct {
	Login string `parser:"@Login"`
	Dir   string `parser:"@LoginDir"`
}

// psSyntax is the PowerShell prompt "PS /home/isabell>".
type psSyntax struct {
	Path string `parser:"PS @PSPath"`
}

// promptLexer tokenises the prompt; the command after it never reaches the
// lexer (promptEnd cuts it off), which keeps long command lines cheap.
var promptLexer = lexer.MustStateful(lexer.Rules{
	"Root": {
		{Name: "Venv", Pattern: `\([^()\s]+\)[ \t]+`},
		{Name: "Open", Pattern: `\[`, Action: lexer.Push("Bracket")},
		{Name: "PS", Pattern: `PS[ \t]+`, Action: lexer.Push("PSPath")},
		{Name: "Login", Pattern: `[A-Za-z0-9_][A-Za-z0-9_.-]*@[A-Za-z0-9_.-]+:`, Action: lexer.Push("LoginDir")},
		{Name: "Spaced", Pattern: `[A-Za-z0-9_][A-Za-z0-9_.-]*@[A-Za-z0-9_.-]+`, Action: lexer.Push("SpacedDir")},
		{Name: "Drive", Pattern: `[A-Za-z]:\\[^>]*>`},
		{Name: "Sigil", Pattern: `[$#]`},
	},
	"Bracket": {
		{Name: "Name", Pattern: `[^\s@:\[\]]+`},
		{Name: "At", Pattern: `@`},
		{Name: "Colon", Pattern: `:`},
		{Name: "Dir", Pattern: `[ \t]+[^\]]*`},
		{Name: "Close", Pattern: `\][$#]?`, Action: lexer.Pop()},
	},
	"LoginDir": {
		{Name: "LoginDir", Pattern: `[^\s$#]*[ \t]?[$#]`, Action: lexer.Pop()},
	},
	"SpacedDir": {
		{Name: "SpacedDir", Pattern: `(?:[ \t]+[~/][^\s$#]*)?[ \t]*[$#]`, Action: lexer.Pop()},
	},
	"PSPath": {
		{Name: "PSPath", Pattern: `[^>\s][^>]*>`, Action: lexer.Pop()},
	},
})

// promptParser is built once; a participle parser is immutable after Build
// and safe for concurrent use.
var promptParser = sync.OnceValue(func() *participle.Parser[promptLine] {
	return participle.MustBuild[promptLine](participle.Lexer(promptLexer))
})

// prompt is one parsed prompt line.
type prompt struct {
	kind    promptKind
	prompt  runbook.Prompt
	command string // trimmed command text; empty for a bare prompt
	noSigil bool   // a bracket prompt written without its "$"
}

// promptEnd is the cheap test that keeps participle away from the output
// lines that make up most of a guide: it returns where the prompt of a
// candidate line ends (after its "$", "#" or ">"), or -1.
func promptEnd(t string) int {
	if t == "" {
		return -1
	}
	switch t[0] {
	case '[', '(':
		return bracketEnd(t)
	case '$', '#':
		if len(t) == 1 || t[1] == ' ' || t[1] == '\t' {
			return 1
		}
		return -1
	case 'P':
		if strings.HasPrefix(t, "PS ") {
			return sigilAfter(t, ">")
		}
	}
	at := strings.IndexByte(t, '@')
	if at <= 0 {
		if len(t) > 3 && t[1] == ':' && t[2] == '\\' && isLetter(t[0]) {
			return sigilAfter(t, ">") // C:\Users\me>
		}
		return -1
	}
	if m := spacedEnd.FindStringIndex(t); m != nil {
		return m[1]
	}
	colon := strings.IndexByte(t, ':')
	if colon < at {
		return -1
	}
	if i := strings.IndexAny(t[colon:], "$#"); i >= 0 {
		return colon + i + 1
	}
	return -1
}

// spacedEnd matches the prompt "user@host ~ $" or "user@host$" up to its sigil.
var spacedEnd = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*@[A-Za-z0-9_.-]+(?:[ \t]+[~/][^\s$#]*)?[ \t]*[$#]`)

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// bracketEnd returns where a bracket prompt ends: after "]$" or "]#", or,
// for the sigil-less "[isabell@stardust ~] cmd" some guides write, after
// the "]" (the caller warns about those). The prompt's "]" is the line's
// first, since neither the user, the host nor the directory holds one.
func bracketEnd(t string) int {
	i := strings.IndexByte(t, ']')
	if i < 0 {
		return -1
	}
	if i+1 < len(t) && (t[i+1] == '$' || t[i+1] == '#') {
		return i + 2
	}
	if brokenPrompt.MatchString(t) && strings.ContainsAny(t[:i], " \t") {
		return i + 1 // without its "$", a prompt must show its directory
	}
	return -1
}

// sigilAfter returns the index after the first of the marks in t, or -1.
func sigilAfter(t string, marks ...string) int {
	best := -1
	for _, m := range marks {
		if i := strings.Index(t, m); i >= 0 && (best < 0 || i+len(m) < best) {
			best = i + len(m)
		}
	}
	return best
}

// parsePrompt parses a line as a prompt. Bare "$"/"#" prompts only count at
// the start of the line; the others may be indented.
func parsePrompt(line string) (prompt, bool) {
	return parsePromptMemo(line, nil)
}

// parsePromptMemo is parsePrompt with a memo of prompt texts already
// parsed, which a block passes so that its repeated prompts are parsed once.
func parsePromptMemo(line string, memo map[string]*promptLine) (prompt, bool) {
	t := strings.TrimLeft(line, " \t")
	end := promptEnd(t)
	if end < 0 {
		return prompt{}, false
	}
	head := t[:end]
	ast, seen := memo[head]
	if !seen {
		var err error
		if ast, err = promptParser().ParseString("", head); err != nil {
			ast = nil
		}
		if memo != nil {
			memo[head] = ast
		}
	}
	if ast == nil {
		return prompt{}, false
	}
	a := *ast
	a.Rest = t[end:]
	return a.toPrompt(t != line)
}

// toPrompt checks what the grammar cannot say (a space after bare sigils,
// nothing indented but bracket prompts) and fills the model's Prompt.
func (a *promptLine) toPrompt(indented bool) (prompt, bool) {
	p := prompt{command: strings.TrimSpace(a.Rest)}
	p.prompt.Venv = strings.Trim(strings.TrimSpace(a.Venv), "()")
	spaced := a.Rest == "" || a.Rest[0] == ' ' || a.Rest[0] == '\t'
	switch {
	case a.Bracket != nil:
		return a.bracket(p, spaced)
	case a.Login != nil || a.Spaced != nil:
		if !spaced {
			return p, false
		}
		login, dir := a.loginParts()
		p.kind = loginPrompt
		if a.Spaced != nil {
			p.kind = spacedPrompt
		}
		p.prompt.User, p.prompt.Host, _ = strings.Cut(login, "@")
		p.prompt.Dir = strings.TrimSpace(dir[:len(dir)-1])
		p.prompt.Root = strings.HasSuffix(dir, "#")
	case a.PS != nil || a.Windows != "":
		if !spaced {
			return p, false
		}
		p.kind, p.prompt.Shell = psPrompt, "PowerShell"
		p.prompt.Dir = strings.TrimSuffix(a.PS.dir(), ">")
		if a.Windows != "" {
			p.kind, p.prompt.Shell = windowsPrompt, "cmd.exe"
			p.prompt.Dir = strings.TrimSuffix(a.Windows, ">")
		}
	default:
		if !spaced || indented || p.prompt.Venv != "" {
			return p, false
		}
		p.kind = dollarPrompt
		if a.Bare == "#" {
			p.kind = hashPrompt
			p.prompt.Root = true
		}
	}
	return p, true
}

// bracket fills p from a bracket prompt: "[isabell@stardust ~]$", the
// sigil-less "[isabell@stardust ~] cmd" (noSigil), and "[nix-shell:~]$".
func (a *promptLine) bracket(p prompt, spaced bool) (prompt, bool) {
	if a.Bracket.Close == "]" {
		if !spaced {
			return p, false
		}
		// "[isabell@stardust ~] $ cmd": the sigil is there, spaced off.
		rest := strings.TrimLeft(a.Rest, " \t")
		if rest == "$" || strings.HasPrefix(rest, "$ ") || strings.HasPrefix(rest, "$\t") {
			p.command = strings.TrimSpace(rest[1:])
		} else {
			p.noSigil = true
		}
	}
	p.kind = bracketPrompt
	p.prompt.User, p.prompt.Host = a.Bracket.User, a.Bracket.Host
	p.prompt.Dir = strings.TrimSpace(a.Bracket.Dir)
	if a.Bracket.Env {
		if p.noSigil || p.prompt.Venv != "" {
			return p, false // "[note:x] text" is no prompt
		}
		p.kind = envPrompt
		p.prompt.User, p.prompt.Venv, p.prompt.Dir = "", a.Bracket.User, a.Bracket.EnvDir
	}
	p.prompt.Root = strings.HasSuffix(a.Bracket.Close, "#")
	return p, true
}

// loginParts returns the user@host and the directory with its sigil of a
// login or spaced prompt.
func (a *promptLine) loginParts() (string, string) {
	if a.Login != nil {
		return strings.TrimSuffix(a.Login.Login, ":"), a.Login.Dir
	}
	return a.Spaced.Login, a.Spaced.Dir
}

// dir returns the path a PowerShell prompt shows, "" for none.
func (s *psSyntax) dir() string {
	if s == nil {
		return ""
	}
	return s.Path
}

// IsPromptLine reports whether a line (already dedented) starts with a shell
// prompt that needs no context: [USER@HOST DIR]$, (venv) [USER@HOST DIR]$,
// USER@HOST:DIR$, PS DIR> and a bare "$ ". A bare "# " line is a comment as
// often as a root prompt, so it is left to IsSession, which sees the block.
func IsPromptLine(line string) bool {
	p, ok := parsePrompt(line)
	return ok && p.kind != hashPrompt
}
