// Package transcript parses the console sessions of a guide: prompts,
// continuation lines, heredocs, output, elisions, answers and REPL input.
//
// The prompt line has a grammar (participle, in prompt.go); the rest of a
// session is line structure: every line up to the next prompt is output.
package transcript

import (
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Parse turns the dedented lines of one console block into commands.
// file and firstLine give the position of lines[0]; indent is the block's
// indentation in the source. ID and Section are left for the caller.
// A block that IsSession rejects is still read as a session of its
// unambiguous prompts, since the caller has decided it is one.
func Parse(file string, firstLine int, indent string, lines []string) ([]*runbook.Command, []runbook.Diagnostic) {
	return NewReader().Parse(file, firstLine, indent, lines)
}

// Reader parses the blocks of one guide, remembering the prompts it has
// parsed: a guide writes the same few prompts hundreds of times, and the
// grammar need see each once. It is not safe for concurrent use.
type Reader struct {
	memo map[string]*promptLine
}

// maxMemo bounds the prompts a Reader remembers, so a hostile guide with a
// million different prompts costs time, not memory.
const maxMemo = 4096

// NewReader returns a Reader with nothing remembered.
func NewReader() *Reader { return &Reader{memo: map[string]*promptLine{}} }

// IsSession is the package's IsSession, with the Reader's memory.
func (r *Reader) IsSession(lines []string) bool {
	return styleOf(lines, nil, nil, r.memory()) != noSession
}

// memory returns the memo, emptied once it holds maxMemo prompts.
func (r *Reader) memory() map[string]*promptLine {
	if len(r.memo) >= maxMemo {
		clear(r.memo)
	}
	return r.memo
}

// Parse is the package's Parse, with the Reader's memory.
func (r *Reader) Parse(file string, firstLine int, indent string, lines []string) ([]*runbook.Command, []runbook.Diagnostic) {
	b := &block{file: file, first: firstLine, indent: indent, lines: lines, orphan: -2}
	b.prompts = make([]prompt, len(lines))
	b.isPrompts = make([]bool, len(lines))
	memo := r.memory()
	for i, l := range lines {
		b.prompts[i], b.isPrompts[i] = parsePromptMemo(l, memo)
		b.undouble(i, memo)
	}
	b.style = styleOf(lines, b.prompts, b.isPrompts, nil)
	if b.style == noSession {
		b.style = normalStyle
	}
	for i, p := range b.prompts {
		if b.isPrompts[i] && p.kind == hashPrompt && b.style != hashStyle {
			b.isPrompts[i] = false
		}
	}
	b.run()
	return b.cmds, b.diags
}

// block holds the state of parsing one console block.
type block struct {
	file   string
	first  int
	indent string
	lines  []string
	style  style
	cmds   []*runbook.Command
	diags  []runbook.Diagnostic
	// prompts[i] is lines[i] parsed as a prompt, when isPrompts[i]; each
	// line is parsed once, however often the walk looks at it.
	prompts   []prompt
	isPrompts []bool
	orphan    int // the last line that belonged to no command, to warn once per run of them
}

// entry is one line of output on its way to Expect; verbatim entries (an
// elision typed at a prompt) are not dedented.
type entry struct {
	text     string
	at       int // index into block.lines
	verbatim bool
}

// pending is a command whose output is still being collected.
type pending struct {
	cmd    *runbook.Command
	kind   promptKind // the shape of its prompt
	indent int        // columns of the prompt line
	out    []entry
	next   int // index of the line after the command text
}

// undouble drops a prompt pasted twice ("[isabell@stardust x]$ [isabell@stardust x]$ wget …",
// or "[isabell@stardust x]$ $ wget …"), which bash would otherwise be asked
// to run, with a warning.
func (b *block) undouble(i int, memo map[string]*promptLine) {
	p := b.prompts[i]
	if !b.isPrompts[i] || p.kind != bracketPrompt {
		return
	}
	if rest, ok := strings.CutPrefix(p.command, "$ "); ok && strings.TrimSpace(rest) != "" {
		// "[isabell@stardust ~]$ $ mcli mb x": bash has no "$" command.
		b.prompts[i].command = strings.TrimSpace(rest)
		b.warn(i, "repeated-prompt", "the prompt is followed by a second \"$ \"; it is dropped")
		return
	}
	if !strings.HasPrefix(p.command, "[") {
		return
	}
	q, ok := parsePromptMemo(p.command, memo)
	if !ok || q.kind != bracketPrompt || q.prompt != p.prompt {
		return
	}
	b.prompts[i] = q
	b.warn(i, "repeated-prompt", "the prompt is written twice; the second one is dropped")
}

// promptAt returns lines[i] as a prompt of a shape this block counts.
func (b *block) promptAt(i int) (prompt, bool) {
	return b.prompts[i], b.isPrompts[i]
}

// run walks the block: each prompt starts a command or closes the previous one.
func (b *block) run() {
	var cur *pending
	lastNonBlank := -1
	for i, l := range b.lines {
		if strings.TrimSpace(l) != "" {
			lastNonBlank = i
		}
	}
	closed := false
	for i := 0; i < len(b.lines); {
		p, ok := b.promptAt(i)
		if ok && p.kind == envPrompt && cur != nil && cur.kind != envPrompt {
			ok = false // "[nix-shell:~]$ hello" is typed into the shell the command opened
		}
		if !ok {
			if j := b.commentsBefore(i); j > i {
				i = j // "# now start it" above the next "$ " command
				continue
			}
			b.output(cur, i)
			i++
			continue
		}
		closed = false
		switch {
		case p.command == "" || isKeystroke(p.command):
			b.finish(cur)
			closed = i == lastNonBlank
			if closed && cur != nil && p.command == "" {
				b.close(cur.cmd, i, p)
			}
			cur = nil
			i++
		case runbook.IsElisionLine(p.command):
			b.elide(cur, i, p.command)
			i++
		default:
			b.finish(cur)
			cur = b.command(i, p)
			i = cur.next
		}
	}
	b.finish(cur)
	if lastNonBlank >= 0 && !closed {
		b.warn(lastNonBlank, "no-closing-prompt", "console block does not end with a bare prompt, so where its last command's output ends is a guess")
	}
}

// close records the bare prompt on line i that ends the block right after
// cmd, so that its directory can be checked against where the shell is.
func (b *block) close(cmd *runbook.Command, i int, p prompt) {
	cmd.Closing = &runbook.Closing{Prompt: p.prompt, Pos: runbook.Pos{File: b.file, Line: b.first + i}}
}

// commentsBefore returns the index after a run of "# " comment lines that
// starts at line i and ends, blank lines aside, right before a bare "$ "
// prompt (or the end of the block): in a session of "$ " prompts, the
// author's note about the next command, not the output of the last one.
// Otherwise it returns i.
func (b *block) commentsBefore(i int) int {
	if !isComment(b.lines[i]) || b.style != normalStyle {
		return i
	}
	j := i
	for j < len(b.lines) && (isComment(b.lines[j]) || strings.TrimSpace(b.lines[j]) == "") {
		j++
	}
	if j == len(b.lines) {
		return j
	}
	if p, ok := b.promptAt(j); ok && p.kind == dollarPrompt {
		return j
	}
	return i
}

// isKeystroke reports whether the text at a prompt is a control key the
// author pressed ("^C" to stop a server), not a command for bash.
func isKeystroke(cmd string) bool {
	return len(cmd) == 2 && cmd[0] == '^' && cmd[1] >= 'A' && cmd[1] <= 'Z'
}

// elide adds an elision typed at a prompt ("[isabell@stardust ~]$ [...]")
// to the output of the command before it.
func (b *block) elide(cur *pending, i int, mark string) {
	switch {
	case cur != nil:
		cur.out = append(cur.out, entry{text: mark, at: i, verbatim: true})
	case len(b.cmds) > 0:
		last := b.cmds[len(b.cmds)-1]
		last.Expect = append(last.Expect, mark)
	}
}

// output files line i as output of the current command. A line that looks
// like a prompt missing its "$" is a warning (it would not run), and so is
// text before the block's first prompt.
func (b *block) output(cur *pending, i int) {
	t := strings.TrimSpace(b.lines[i])
	broken := t != "" && (t[0] == '[' || t[0] == '(') && brokenPrompt.MatchString(t)
	if broken {
		b.warn(i, "malformed-prompt", "line looks like a prompt without its \"$\", so it is taken as output, not run")
	}
	switch {
	case cur != nil:
		cur.out = append(cur.out, entry{text: b.lines[i], at: i})
	case t == "" || broken:
	case len(b.cmds) == 0:
		if !b.warnedBefore() {
			b.warn(i, "text-before-prompt", "console block has text before its first prompt; it is not part of any command")
		}
	case b.orphan != i-1:
		b.warn(i, "orphan-output", "text after a bare prompt belongs to no command; it is not checked")
	}
	if cur == nil && t != "" {
		b.orphan = i
	}
}

// brokenPrompt is "[isabell@stardust ~] cmd": a bracket prompt with no sigil.
var brokenPrompt = regexp.MustCompile(`^(?:\([^()\s]+\) )?\[[^\s@\[\]]+@[^\s\[\]]+(?: [^\]]*)?\](?: |$)`)

// warnedBefore reports whether the text before the first prompt was already warned about.
func (b *block) warnedBefore() bool {
	for _, d := range b.diags {
		if d.ID == "text-before-prompt" || d.ID == "malformed-prompt" {
			return true
		}
	}
	return false
}

// warn adds a warning at lines[i].
func (b *block) warn(i int, id, msg string) {
	b.diags = append(b.diags, runbook.Diagnostic{
		Pos: runbook.Pos{File: b.file, Line: b.first + i}, Severity: runbook.Warning, ID: id, Message: msg,
	})
}

// command reads the command that starts at prompt line i: the prompt's
// text, continuation lines, heredoc bodies and lines inside open quotes.
func (b *block) command(i int, p prompt) *pending {
	ind := leadingSpace(b.lines[i])
	if p.noSigil {
		b.warn(i, "malformed-prompt", "prompt has no \"$\" after its \"]\"; it is read as a prompt anyway")
	}
	cmd := &runbook.Command{
		Header: runbook.Header{Pos: runbook.Pos{File: b.file, Line: b.first + i}},
		Prompt: p.prompt,
		Indent: b.indent,
		First:  len(b.cmds) == 0,
	}
	text := []string{p.command}
	j := i + 1
	for continued(text[len(text)-1]) && j < len(b.lines) && !b.isPrompt(j) {
		text = append(text, trimIndent(b.lines[j], ind))
		j++
	}
	j = b.heredocs(i, j, ind, &text)
	j = b.ps2(j, ind, &text)
	j = b.openQuote(j, ind, &text)
	cmd.Text = strings.Join(text, "\n")
	return &pending{cmd: cmd, kind: p.kind, indent: ind, next: j}
}

// isPrompt reports whether lines[j] is a prompt this block counts.
func (b *block) isPrompt(j int) bool {
	_, ok := b.promptAt(j)
	return ok
}

// continued reports whether a command line ends with an unescaped backslash.
func continued(line string) bool {
	t := strings.TrimRight(line, " \t")
	n := 0
	for n < len(t) && t[len(t)-1-n] == '\\' {
		n++
	}
	return n%2 == 1
}

// heredocs appends the bodies of the heredocs that the command text opens,
// each up to its delimiter line, and returns the index after the last.
func (b *block) heredocs(at, j, ind int, text *[]string) int {
	for _, h := range heredocDelims(strings.Join(*text, "\n")) {
		end := -1
		for k := j; k < len(b.lines); k++ {
			if isDelimiter(b.lines[k], h) {
				end = k
				break
			}
			if b.isPrompt(k) {
				break
			}
		}
		if end < 0 {
			b.warn(at, "unterminated-heredoc", "heredoc <<"+h.word+" has no line "+h.word+" before the next prompt; the rest is taken as output")
			return j
		}
		ps2 := strings.HasPrefix(strings.TrimSpace(b.lines[end]), ">")
		for k := j; k <= end; k++ {
			l := trimIndent(b.lines[k], ind)
			if ps2 {
				l = strings.TrimPrefix(strings.TrimPrefix(strings.TrimLeft(l, " \t"), ">"), " ")
			}
			*text = append(*text, l)
		}
		j = end + 1
	}
	return j
}

// isDelimiter reports whether a line ends heredoc h, leniently: authors
// indent the delimiter with the body and transcripts may show bash's "> ".
func isDelimiter(line string, h heredoc) bool {
	t := strings.TrimSpace(line)
	if t == h.word {
		return true
	}
	return strings.HasPrefix(t, ">") && strings.TrimSpace(t[1:]) == h.word
}

// openQuote appends the lines that a quote left open on the command line
// swallows (as bash would), when the quote closes within a few lines and
// before the next prompt; otherwise the lines are output.
func (b *block) openQuote(j, ind int, text *[]string) int {
	joined := strings.Join(*text, "\n")
	if !openQuoteAfter(joined) {
		return j
	}
	for k := j; k < len(b.lines) && k < j+maxQuoteLines; k++ {
		if b.isPrompt(k) {
			return j
		}
		joined += "\n" + b.lines[k]
		if !openQuoteAfter(joined) {
			for m := j; m <= k; m++ {
				*text = append(*text, trimIndent(b.lines[m], ind))
			}
			return k + 1
		}
	}
	return j
}

// ps2 appends the lines bash showed with its continuation prompt "> "
// when the command is unfinished (an open quote, or a last line ending in
// "do", "then", "{", "|", "&&", ...), without the "> ".
func (b *block) ps2(j, ind int, text *[]string) int {
	if !unfinished(strings.Join(*text, "\n")) {
		return j
	}
	for ; j < len(b.lines) && !b.isPrompt(j); j++ {
		t := strings.TrimLeft(trimIndent(b.lines[j], ind), " \t")
		if t != ">" && !strings.HasPrefix(t, "> ") {
			break
		}
		*text = append(*text, strings.TrimPrefix(strings.TrimPrefix(t, ">"), " "))
	}
	return j
}

// openers end a line that bash cannot run yet.
var openers = []string{" do", " then", " else", "{", "|", "&&", "||", "(", " in"}

// unfinished reports whether bash would ask for more after this text.
func unfinished(text string) bool {
	if openQuoteAfter(text) {
		return true
	}
	last := text[strings.LastIndexByte(text, '\n')+1:]
	last = " " + strings.TrimRight(last, " \t;")
	for _, o := range openers {
		if strings.HasSuffix(last, o) {
			return true
		}
	}
	return false
}

// maxQuoteLines bounds how far a quote opened on a command line may reach.
const maxQuoteLines = 40

// finish turns the collected output of a command into Expect and Answers.
func (b *block) finish(p *pending) {
	if p == nil {
		return
	}
	out := trimBlankEntries(p.out)
	k, pad := outputIndent(out, p.indent, b.lines)
	cmd := p.cmd
	cmd.OutputIndent = pad
	cmd.ExpectLine = b.first + p.next
	if len(out) > 0 {
		cmd.ExpectLine = b.first + out[0].at
	}
	cmd.Expect = make([]string, len(out))
	for i, e := range out {
		if e.verbatim {
			cmd.Expect[i] = e.text
		} else {
			cmd.Expect[i] = trimIndent(e.text, p.indent+k)
		}
	}
	cmd.Answers = findAnswers(cmd.Expect)
	b.cmds = append(b.cmds, cmd)
}

// trimBlankEntries drops blank lines before and after the output: they are
// layout in the guide, not something the program prints.
func trimBlankEntries(out []entry) []entry {
	for len(out) > 0 && strings.TrimSpace(out[0].text) == "" {
		out = out[1:]
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1].text) == "" {
		out = out[:len(out)-1]
	}
	return out
}

// outputIndent finds how many columns every non-blank output line is
// indented beyond the prompt (k), and that indentation as written.
func outputIndent(out []entry, promptIndent int, lines []string) (int, string) {
	k := -1
	ref := ""
	for _, e := range out {
		if e.verbatim || strings.TrimSpace(e.text) == "" || runbook.IsElisionLine(e.text) {
			continue
		}
		n := leadingSpace(e.text) - promptIndent
		if n <= 0 {
			return 0, ""
		}
		if k < 0 || n < k {
			k, ref = n, e.text
		}
	}
	if k <= 0 {
		return 0, ""
	}
	return k, ref[promptIndent : promptIndent+k]
}

// leadingSpace counts the blanks (spaces and tabs) a line starts with.
func leadingSpace(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t"))
}

// trimIndent removes up to n leading blanks.
func trimIndent(s string, n int) string {
	m := leadingSpace(s)
	if m > n {
		m = n
	}
	return s[m:]
}
