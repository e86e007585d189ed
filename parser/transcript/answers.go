package transcript

import (
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// findAnswers reads a command's documented output for what the person typed:
// REPL input, hidden password prompts, and visible answers to questions.
// It is conservative: a line is an answer only when its shape says so
// (a bracketed default or choice before the answer, an inquirer "? ", a
// password prompt), or when it is a short "Label: value" line right next to
// such an answer (Django's "Email address:" beside "Password:").
func findAnswers(expect []string) []runbook.Answer {
	f := finder{expect: expect, lastNonBlank: -1}
	params := 0
	for i, l := range expect {
		if strings.TrimSpace(l) != "" {
			f.lastNonBlank = i
		}
		if paramPrompt.MatchString(strings.TrimSpace(l)) {
			params++
		}
	}
	f.paramDialog = params >= minParamPrompts
	for i := range expect {
		f.line(i)
	}
	return f.resolve()
}

// candidate is a possible answer; weak ones count only beside strong ones.
type candidate struct {
	answer runbook.Answer
	weak   bool
}

// finder holds the per-command state of answer detection.
type finder struct {
	expect       []string
	lastNonBlank int
	cands        []candidate
	repl         string // the REPL prompt seen last ("synapse=>", ">>>"), if any
	pyOpen       bool   // the last python input opened or continued a block
	paramDialog  bool   // the output asks for parameters, "key (default): value", one after another
}

// line classifies expect[i].
func (f *finder) line(i int) {
	t := strings.TrimSpace(f.expect[i])
	if t == "" {
		return
	}
	if f.replLine(i, t) {
		return
	}
	if p, ok := f.hidden(t); ok {
		f.add(runbook.Answer{Kind: runbook.Hidden, Prompt: p, Line: i}, false)
		return
	}
	if f.askedAgain(i, t) {
		return // an inquirer menu's question; the answer comes with it again below
	}
	if f.typedBelow(i, t) {
		return
	}
	if p, text, ok := enterReply(t); ok {
		f.add(runbook.Answer{Kind: runbook.Reply, Prompt: p, Text: text, Line: i}, false)
		return
	}
	if p, text, ok := f.paramReply(t); ok {
		f.add(runbook.Answer{Kind: runbook.Reply, Prompt: p, Text: text, Line: i}, false)
		return
	}
	if p, text, ok := arrowQuestion(t); ok {
		f.add(runbook.Answer{Kind: runbook.Reply, Prompt: p, Text: text, Line: i}, false)
		return
	}
	if p, text, ok := reply(t); ok {
		if strings.HasPrefix(p, "? ") && strings.Trim(text, "*") == "" {
			// "? Password **********": inquirer masks what was typed.
			f.add(runbook.Answer{Kind: runbook.Hidden, Prompt: p, Line: i}, false)
			return
		}
		f.add(runbook.Answer{Kind: runbook.Reply, Prompt: p, Text: text, Line: i}, false)
		return
	}
	if f.arrowBelow(i, t) {
		return
	}
	if p, text, ok := weakReply(t); ok {
		f.add(runbook.Answer{Kind: runbook.Reply, Prompt: p, Text: text, Line: i}, true)
	}
}

// askedAgain reports whether an inquirer question ("? Choose your
// database client") is printed again further down with its answer after
// it ("? Choose your database client SQLite"): the first line only opens
// the menu. The search is bounded, as menus are short.
func (f *finder) askedAgain(i int, t string) bool {
	if !strings.HasPrefix(t, "? ") {
		return false
	}
	for j := i + 1; j < len(f.expect) && j <= i+30; j++ {
		if u := strings.TrimSpace(f.expect[j]); len(u) > len(t) && strings.HasPrefix(u, t+" ") {
			return true
		}
	}
	return false
}

func (f *finder) add(a runbook.Answer, weak bool) {
	f.cands = append(f.cands, candidate{answer: a, weak: weak})
}

// replPrompt matches the prompts of interactive programs: psql (db=> db=#
// and the continuations db-> db(# db'>), python (>>> ...), sqlite3,
// mysql/MariaDB (and their "->" continuation), iex, irb, redis-cli, and the
// shell a program opened ("[nix-shell:~]$").
var replPrompt = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*[=\-('"][>#]|>>>|\.\.\.|->|sqlite>|mysql>|MariaDB \[[^\]]*\]>|iex\(\d+\)>|irb\([^)]*\):\d+:\d+>|redis[\w.:-]*>|127\.0\.0\.1:\d+>|\[[^\s@:\[\]]+:[^\]\s]*\][$#])(?:[ \t](.*))?$`)

// replLine records input typed at a REPL prompt; a bare prompt as the last
// line means the program got EOF when the shell prompt came back.
func (f *finder) replLine(i int, t string) bool {
	m := replPrompt.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	p, text := m[1], strings.TrimSpace(m[2])
	if p == "->" && !strings.HasPrefix(f.repl, "mysql") && !strings.HasPrefix(f.repl, "MariaDB") {
		return false // "-> origin/main" and the like, outside a mysql session
	}
	if p == "..." {
		if f.repl != ">>>" || (text == "" && !f.pyOpen) {
			return false // an elision line, or "..." outside python
		}
		f.pyOpen = text != ""
	} else if p != "->" {
		f.repl = p
		if p == ">>>" {
			f.pyOpen = strings.HasSuffix(text, ":")
		}
	}
	kind := runbook.Input
	if text == "" && i == f.lastNonBlank && p != "..." {
		kind = runbook.EndInput
	}
	f.add(runbook.Answer{Kind: kind, Prompt: p, Text: text, Line: i}, false)
	return true
}

// passwordWords mark a prompt that does not echo.
var passwordWords = []string{"password", "passphrase", "passwort", "kennwort", "pass phrase"}

// maxPromptWords bounds a password prompt: the longest in the lab has six
// words; longer lines that mention a password are messages about one.
const maxPromptWords = 8

// confirmWords mark the second prompt of a "type it twice" pair.
var confirmWords = []string{"again", "confirm", "retype", "re-type", "reenter", "re-enter", "repeat", "verify"}

// hidden recognises "Password:", "Enter password for new role:",
// "Password: [hidden]", "? Password:", and "Enter it again:" after a
// hidden prompt; it returns the prompt as the terminal shows it.
func (f *finder) hidden(t string) (string, bool) {
	s := t
	if strings.HasSuffix(s, "[hidden]") {
		s = strings.TrimSpace(strings.TrimSuffix(s, "[hidden]"))
	} else if trimmed := strings.TrimRight(s, "*"); trimmed != s && strings.HasSuffix(strings.TrimSpace(trimmed), ":") {
		s = strings.TrimSpace(trimmed)
	}
	if !strings.HasSuffix(s, ":") || len(s) > 100 {
		return "", false
	}
	label := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(s, "? "), "[sudo] "), "[ ?? ] ")
	// A prompt starts with a capital, but restic asks in lower case:
	// "enter password for new repository:".
	if label == "" || !(label[0] >= 'A' && label[0] <= 'Z' || strings.HasPrefix(s, "[sudo] ") || strings.HasPrefix(label, "enter ")) {
		return "", false
	}
	lower := strings.ToLower(label)
	if len(strings.Fields(label)) > maxPromptWords {
		return "", false // "Signing file 'Release' with gpg, please enter your passphrase when prompted:" is a message
	}
	if strings.HasSuffix(lower, " is:") || strings.HasSuffix(lower, " are:") || strings.HasSuffix(lower, " was:") {
		return "", false // "The setup password is:" introduces the value printed next
	}
	if containsAny(lower, passwordWords) {
		return s, true
	}
	if containsAny(lower, confirmWords) && len(strings.Fields(label)) <= 5 && f.lastHidden() {
		return s, true
	}
	return "", false
}

// lastHidden reports whether the previous answer found was a hidden one.
func (f *finder) lastHidden() bool {
	return len(f.cands) > 0 && f.cands[len(f.cands)-1].answer.Kind == runbook.Hidden
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// bracketColon: a question that shows a default or choice in brackets,
// then a colon, then the answer: "New user localpart [isabell]: USER",
// "Make admin [no]: no", `(default is "N"): Y`, "? Include sample games? (y or n): y",
// Symfony's "* Username [wallabag]: admin", ZNC's "[ ?? ] Nick [myUsername]: myNick".
var bracketColon = regexp.MustCompile(`^((?:\? |\* |\[ \?\? \] )?[A-Z][^\[\]()]*(?:\[[^\[\]:]{0,40}\]|\([^():]{0,40}\)):)[ \t]+(\S.{0,59})$`)

// choice: a yes/no choice, then the answer: "Proceed? [Y/n] Y",
// ssh's "continue connecting (yes/no)? yes", gpg's German "(j/N) j".
var choice = regexp.MustCompile(`^(.*[\[(][ \t]*[YyNnJj](?:es|o|a)?[ \t]*(?:/|or)[ \t]*[YyNnJj](?:es|o|ein)?[ \t]*[\])](?:[ \t]*\[[^\[\]]{0,20}\])?[:?]?)[ \t]+(\S.{0,59})$`)

// inquirer: "? Question: answer", "? Question? answer" or "? Choose x ANSWER".
var inquirer = regexp.MustCompile(`^(\? .*[:?])[ \t]+(\S.*)$`)

// version is a bracket that holds a version, as in "- Installing x (4.7.7):".
var version = regexp.MustCompile(`[\[(]v?\d+(?:\.\d+)+[\])]:$`)

// reply recognises a visible answer shown after its question on one line.
func reply(t string) (string, string, bool) {
	p, text, ok := replyParts(t)
	if !ok || text[0] == '[' || text[0] == '(' || strings.HasSuffix(text, ":") || version.MatchString(p) {
		return "", "", false // "(yes/no) [no]:" is the rest of a question, not its answer
	}
	return p, text, true
}

// questionDefault: a question, its default in brackets, then the answer
// (Elixir's mix: "What is the name of your database? [pleroma]  pleroma").
var questionDefault = regexp.MustCompile(`^((?:\? )?[A-Z][^\[\]]*\?[^\[\]]*\[[^\[\]]{0,60}\]:?)[ \t]+(\S.{0,79})$`)

// psChoice: PowerShell's choice line, `[Y] Yes  [N] No ... (default is "N"): Y`,
// and the last line of Symfony Flex's recipe menu, "(defaults to n): y".
var psChoice = regexp.MustCompile(`^(\[[A-Z?]\] .*\(default is "[^"]*"\):|\(defaults to [^()]{1,20}\):)[ \t]+(\S+)$`)

// replyParts splits a question line from the answer shown after it.
func replyParts(t string) (string, string, bool) {
	if !strings.ContainsAny(t, "])") && !strings.HasPrefix(t, "? ") {
		return "", "", false // every shape below has a bracket or the inquirer "? "
	}
	for _, re := range []*regexp.Regexp{questionDefault, psChoice} {
		if m := re.FindStringSubmatch(t); m != nil {
			return m[1], m[2], true
		}
	}
	if m := choice.FindStringSubmatch(t); m != nil {
		return m[1], m[2], true
	}
	if m := bracketColon.FindStringSubmatch(t); m != nil {
		return m[1], m[2], true
	}
	if !strings.HasPrefix(t, "? ") {
		return "", "", false
	}
	if m := inquirer.FindStringSubmatch(t); m != nil {
		return m[1], m[2], true
	}
	if i := strings.LastIndexByte(t, ' '); i > 2 && !strings.HasSuffix(t, ")") {
		return t[:i], t[i+1:], true // "? Choose your database client SQLite"
	}
	return "", "", false
}

// arrowReply recognises "> yes" typed on its own line under a question
// (Laravel's "Do you really wish to run this command? (yes/no) [no]:");
// it also returns the index of the question's line.
func (f *finder) arrowReply(i int, t string) (string, string, int, bool) {
	if !strings.HasPrefix(t, "> ") {
		return "", "", 0, false
	}
	text := strings.TrimSpace(t[2:])
	if text == "" || len(strings.Fields(text)) > 3 {
		return "", "", 0, false
	}
	for j := i - 1; j >= 0; j-- {
		q := strings.TrimSpace(f.expect[j])
		if q == "" {
			continue
		}
		if strings.HasSuffix(q, ":") || strings.HasSuffix(q, "?") || strings.HasSuffix(q, "]") {
			return q, text, j, true
		}
		return "", "", 0, false
	}
	return "", "", 0, false
}

// typedBelow records a one-word answer typed under a "Please enter ..."
// request; it reports whether line i was one.
func (f *finder) typedBelow(i int, t string) bool {
	p, j, ok := f.belowPlease(i, t)
	if !ok {
		return false
	}
	if n := len(f.cands); n > 0 && f.cands[n-1].answer.Line == j && f.cands[n-1].answer.Kind == runbook.Hidden {
		f.cands[n-1].answer.Line = i // the secret typed under its prompt, shown as typed
		return true
	}
	if containsAny(strings.ToLower(p), passwordWords) {
		f.add(runbook.Answer{Kind: runbook.Hidden, Prompt: p, Line: i}, false)
		return true
	}
	f.add(runbook.Answer{Kind: runbook.Reply, Prompt: p, Text: t, Line: i}, false)
	return true
}

// arrowBelow records "> answer" typed under its question; it reports
// whether line i was one.
func (f *finder) arrowBelow(i int, t string) bool {
	p, text, j, ok := f.arrowReply(i, t)
	if !ok {
		return false
	}
	if n := len(f.cands); n > 0 && f.cands[n-1].answer.Line == j {
		// The question line was taken for an answer with nothing after
		// it ("Name:", "Password:"); the "> isabell" below is that answer.
		c := &f.cands[n-1]
		c.weak, c.answer.Line = false, i
		if c.answer.Kind != runbook.Hidden {
			c.answer.Kind, c.answer.Prompt, c.answer.Text = runbook.Reply, p, text
		}
		return true
	}
	f.add(runbook.Answer{Kind: runbook.Reply, Prompt: p, Text: text, Line: i}, false)
	return true
}

// belowPlease recognises a one-word answer typed on the line under a
// "Please enter ..." request (TS3AudioBot's "Please enter an admin uid"
// then "YourAdminUID"); it returns the request and its line.
func (f *finder) belowPlease(i int, t string) (string, int, bool) {
	if strings.ContainsAny(t, " \t") || i == 0 {
		return "", 0, false
	}
	q := strings.TrimSpace(f.expect[i-1])
	if !strings.HasPrefix(q, "Please enter ") || len(strings.Fields(q)) > 16 {
		return "", 0, false
	}
	return q, i - 1, true
}

// enterQuestion is a prompt that asks for a value by name, with the value
// typed after it: "Enter the email of the person running the list: x".
var enterQuestion = regexp.MustCompile(`^(Enter (?:[\w'-]+ ){0,9}[\w'-]+:)[ \t]+(\S+(?: \S+){0,3})$`)

// pressEnter is a program waiting for the Enter key: "Hit enter to notify
// test owner...", "Press [Enter] to continue".
var pressEnter = regexp.MustCompile(`(?i)^(?:hit|press) (?:enter|return|\[enter\]|<enter>|\[return\])\b`)

// enterReply recognises "Enter X: value" and a wait for the Enter key,
// which is answered with an empty line.
func enterReply(t string) (string, string, bool) {
	if m := enterQuestion.FindStringSubmatch(t); m != nil && !strings.Contains(strings.ToLower(m[1]), "pass") {
		return m[1], m[2], true
	}
	if pressEnter.MatchString(t) {
		return t, "", true
	}
	return "", "", false
}

// paramPrompt is a parameter asked for with its default, as Symfony's
// installers do: "database_name (wallabag): isabell_wallabag", or with
// nothing after the colon to keep the default.
var paramPrompt = regexp.MustCompile(`^([a-z][a-z0-9_.]*[ \t]+\([^()]{0,60}\):)(?:[ \t]+(\S.{0,79}))?$`)

// minParamPrompts is how many parameter prompts make a parameter dialog;
// one such line alone is as likely a log line.
const minParamPrompts = 3

// zncQuestion marks the questions ZNC's --makeconf asks.
const zncQuestion = "[ ?? ] "

// paramReply recognises a parameter prompt in a parameter dialog, and a
// ZNC question answered with Enter ("[ ?? ] Alternate nick [myNick_]:");
// an empty text keeps the default.
func (f *finder) paramReply(t string) (string, string, bool) {
	if f.paramDialog {
		if m := paramPrompt.FindStringSubmatch(t); m != nil {
			return m[1], strings.TrimSpace(m[2]), true
		}
	}
	if strings.HasPrefix(t, zncQuestion) && strings.HasSuffix(t, ":") {
		return t, "", true
	}
	return "", "", false
}

// arrowQuestion recognises a question that a "> " prompt asks and the
// answer typed after it on the same line (pelican-quickstart's
// "> What is your time zone? [Europe/Paris] Europe/Berlin"); "<enter>"
// stands for pressing Enter, an empty answer.
func arrowQuestion(t string) (string, string, bool) {
	if !strings.HasPrefix(t, "> ") || len(t) < 4 || !(t[2] >= 'A' && t[2] <= 'Z') {
		return "", "", false
	}
	k := -1
	for _, end := range []string{"? ", "] ", ") "} {
		if j := strings.LastIndex(t, end); j > k {
			k = j
		}
	}
	if k < 0 {
		return "", "", false
	}
	text := strings.TrimSpace(t[k+1:])
	if text == "" || len(strings.Fields(text)) > 3 {
		return "", "", false
	}
	if strings.EqualFold(text, "<enter>") {
		text = ""
	}
	return t[:k+1], text, true
}

// weakReply recognises a short "Label: value" or "Label:" line, which is an
// answer only beside another answer ("Email address: isabell@uber.space").
func weakReply(t string) (string, string, bool) {
	label, value, ok := strings.Cut(t, ":")
	if !ok || label == "" || label[0] < 'A' || label[0] > 'Z' {
		return "", "", false
	}
	outside := label
	if i := strings.IndexByte(label, '('); i >= 0 {
		j := strings.LastIndexByte(label, ')')
		if j < i {
			return "", "", false
		}
		outside = label[:i] + label[j+1:]
	}
	if len(strings.Fields(outside)) > 3 || strings.ContainsAny(outside, "=/\\[]{}<>@.,;") {
		return "", "", false
	}
	value = strings.TrimSpace(value)
	if len(strings.Fields(value)) > 2 {
		return "", "", false
	}
	return label + ":", value, true
}

// question reports whether candidate i answers a question (not REPL input).
func (f *finder) question(i int) bool {
	k := f.cands[i].answer.Kind
	return k == runbook.Reply || k == runbook.Hidden
}

// resolve keeps the strong candidates and the weak ones connected to a
// strong question through adjacent lines: one pass forward, one backward.
func (f *finder) resolve() []runbook.Answer {
	keep := make([]bool, len(f.cands))
	for i, c := range f.cands {
		keep[i] = !c.weak
	}
	linked := func(i, j int) bool { // j is kept, a question, on the line next to i
		d := f.cands[i].answer.Line - f.cands[j].answer.Line
		return keep[j] && f.question(j) && (d == 1 || d == -1)
	}
	for i := 1; i < len(f.cands); i++ {
		if !keep[i] && linked(i, i-1) {
			keep[i] = true
		}
	}
	for i := len(f.cands) - 2; i >= 0; i-- {
		if !keep[i] && linked(i, i+1) {
			keep[i] = true
		}
	}
	var out []runbook.Answer
	for i, c := range f.cands {
		if keep[i] {
			out = append(out, c.answer)
		}
	}
	return out
}
