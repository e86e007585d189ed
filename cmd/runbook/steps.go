package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	runbook "github.com/runbookdev/runbook"
)

// previewLines is how many lines of documented output or file content the
// text form of `steps` shows before "… N more lines".
const previewLines = 3

func newStepsCmd(e env) *cobra.Command {
	var pf paramFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "steps GUIDE",
		Short: "Show what a guide would do, step by step, without running anything",
		Long: `Show the steps runbook found in a guide: each command with its prompt and
documented output, each file it would create, merge into or append to, the
answers it would type, and the steps left to you. Nothing runs.

Values set with --set, --params or the sidecar GUIDE.runbook.yaml are applied,
so you see the commands as they would run. Secret values are never printed.

Parser warnings go to stderr and do not change the exit code. When the guide has
errors (such as a missing include) they are printed, the steps that could be read
are still shown, and the exit code is 2.

Examples:
  runbook steps guides/synapse.rst
  runbook steps guides/synapse.rst --set isabell=alice --set example.org=alice.dev
  runbook steps guides/synapse.rst --json | jq '.steps[] | select(.kind=="file")'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showGuide(e, args[0], &pf, func(applied *runbook.Guide, ps []runbook.Param) error {
				sec := newSecrets(runbook.NewReplacer(ps), ps)
				if asJSON {
					return writeStepsJSON(e.stdout, applied, ps, sec)
				}
				return writeStepsText(e.stdout, applied, ps, sec)
			})
		},
	}
	pf.register(cmd.Flags())
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object: guide, title, params and steps")
	return cmd
}

// The JSON form of `steps`, as DESIGN.md fixes it: each step kind carries only its own fields.
type guideJSON struct {
	Guide    string        `json:"guide"`
	Title    string        `json:"title"`
	Params   []paramJSON   `json:"params"`
	Sections []sectionJSON `json:"sections"`
	Steps    []any         `json:"steps"`
	Flows    []flowJSON    `json:"flows"`
}

// flowJSON is a value a step prints that later steps repeat: the guide's
// example of it, where it is printed (step and index into its expect lines)
// and the steps run puts the real value into.
type flowJSON struct {
	Example string `json:"example"`
	From    int    `json:"from"`
	Line    int    `json:"line"`
	To      []int  `json:"to"`
	Secret  bool   `json:"secret"`
}

// sectionJSON is one section with its role: "install" for the path run and
// check follow, else maintenance, alternative, optional or troubleshooting,
// with what gave it that role.
type sectionJSON struct {
	Title string   `json:"title"`
	Path  []string `json:"path"`
	Pos   string   `json:"pos"`
	Level int      `json:"level"`
	Role  string   `json:"role"`
	Why   string   `json:"why,omitempty"`
}

type paramJSON struct {
	Name    string   `json:"name"`
	Example string   `json:"example"`
	Value   string   `json:"value"`
	Kind    string   `json:"kind"`
	Secret  bool     `json:"secret"`
	Uses    []string `json:"uses"`
	Derived string   `json:"derived,omitempty"`
}

type stepHeadJSON struct {
	ID      int      `json:"id"`
	Kind    string   `json:"kind"`
	Pos     string   `json:"pos"`
	Section []string `json:"section"`
	Role    string   `json:"role"` // its section's role; "install" runs by default
}

type promptJSON struct {
	User string `json:"user"`
	Host string `json:"host"`
	Dir  string `json:"dir"`
}

type answerJSON struct {
	Prompt string `json:"prompt"`
	Text   string `json:"text"`
	Secret bool   `json:"secret"`
	Kind   string `json:"kind"`
	// Unasked: the guide shows no such prompt; typed only if the program asks.
	Unasked bool `json:"unasked,omitempty"`
}

type commandJSON struct {
	stepHeadJSON
	Prompt  promptJSON   `json:"prompt"`
	Command string       `json:"command"`
	Expect  string       `json:"expect"`
	Answers []answerJSON `json:"answers"`
}

type fileJSON struct {
	stepHeadJSON
	Path    string   `json:"path"`
	Mode    string   `json:"mode"`
	Format  string   `json:"format"`
	Content string   `json:"content"`
	Key     []string `json:"key,omitempty"`
}

type manualJSON struct {
	stepHeadJSON
	Reason  string `json:"reason"`
	Path    string `json:"path,omitempty"`
	Format  string `json:"format,omitempty"`
	Content string `json:"content,omitempty"`
}

func writeStepsJSON(w io.Writer, g *runbook.Guide, ps []runbook.Param, sec *secrets) error {
	out := guideJSON{Guide: g.Name, Title: g.Title, Params: paramsJSON(ps), Sections: []sectionJSON{}, Steps: []any{}}
	for _, s := range g.Sections {
		out.Sections = append(out.Sections, sectionJSON{Title: s.Title(), Path: s.Path, Pos: s.Pos.String(),
			Level: s.Level, Role: roleName(s.Role), Why: s.RoleWhy})
	}
	for _, s := range g.Steps {
		out.Steps = append(out.Steps, stepJSON(g, s, sec))
	}
	out.Flows = []flowJSON{}
	for _, f := range g.Flows {
		out.Flows = append(out.Flows, flowJSON{Example: sec.redact(f.Example), From: f.From, Line: f.Line, To: f.To, Secret: f.Secret})
	}
	return writeJSON(w, out)
}

// writeJSON prints v indented, with <, > and & as they are: the output is
// read by people and by scripts, never embedded in HTML.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// showGuide reads a guide, prints its diagnostics, applies the values set
// and hands the result to show; it is the body of steps and params.
func showGuide(e env, path string, pf *paramFlags, show func(applied *runbook.Guide, ps []runbook.Param) error) error {
	g, loadErr := pf.load(path)
	if g == nil {
		return loadErr
	}
	printDiagnostics(e.stderr, g)
	applied, ps, err := pf.apply(g)
	if err != nil {
		return err
	}
	if err := show(applied, ps); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	return loadErr
}

func paramsJSON(ps []runbook.Param) []paramJSON {
	out := []paramJSON{}
	for _, p := range ps {
		j := paramJSON{Name: p.Name, Example: p.Example, Value: p.Value, Kind: string(p.Kind),
			Secret: p.Secret, Uses: []string{}, Derived: p.Derived}
		if p.Secret {
			j.Value = ""
		}
		for _, u := range p.Uses {
			j.Uses = append(j.Uses, u.String())
		}
		out = append(out, j)
	}
	return out
}

// roleName is a role as JSON shows it: the install path is "install".
func roleName(r runbook.SectionRole) string {
	if r == runbook.RoleInstall {
		return "install"
	}
	return string(r)
}

func stepJSON(g *runbook.Guide, s runbook.Step, sec *secrets) any {
	h := s.Head()
	head := stepHeadJSON{ID: h.ID, Kind: string(s.Kind()), Pos: h.Pos.String(), Section: h.Section, Role: roleName(g.RoleOf(s))}
	if head.Section == nil {
		head.Section = []string{}
	}
	switch s := s.(type) {
	case *runbook.Command:
		c := commandJSON{stepHeadJSON: head,
			Prompt:  promptJSON{User: s.Prompt.User, Host: s.Prompt.Host, Dir: s.Prompt.Dir},
			Command: sec.redact(s.Text),
			Expect:  sec.redact(strings.Join(s.Expect, "\n")),
			Answers: []answerJSON{},
		}
		for _, a := range s.Answers {
			text := sec.redact(a.Text)
			if a.Secret() {
				text = ""
			}
			c.Answers = append(c.Answers, answerJSON{Prompt: a.Prompt, Text: text, Secret: a.Secret(), Kind: a.Kind.String(), Unasked: a.Unasked})
		}
		return c
	case *runbook.File:
		return fileJSON{stepHeadJSON: head, Path: sec.redact(s.Path), Mode: string(s.Mode), Format: s.Format,
			Content: sec.redact(s.Content), Key: s.Key}
	case *runbook.Manual:
		return manualJSON{stepHeadJSON: head, Reason: s.Reason, Path: sec.redact(s.Path), Format: s.Format,
			Content: sec.redact(s.Content)}
	}
	return head
}

// writeStepsText prints the guide for a person who wants to know what will
// happen before anything runs.
func writeStepsText(w io.Writer, g *runbook.Guide, ps []runbook.Param, sec *secrets) error {
	var b strings.Builder
	writeStepsHeader(&b, g, ps)
	var last string
	for _, s := range g.Steps {
		if title := sectionTitle(g, s.Head().Section); title != last {
			writeSectionHead(&b, g, s.Head().Section)
			last = title
		}
		writeStep(&b, g, s)
	}
	fmt.Fprintf(&b, "\nNothing has run. `runbook run %s` runs these steps on this host, asking before each section.\n", g.Name)
	if n := offPathSteps(g); n > 0 {
		fmt.Fprintf(&b, "It leaves out the %s of the sections marked skipped by default, unless --section TITLE or --all asks for them.\n",
			plural(n, "step"))
	}
	_, err := io.WriteString(w, sec.redact(b.String()))
	return err
}

// offPathSteps counts the steps whose section does not run by default.
func offPathSteps(g *runbook.Guide) int {
	n := 0
	for _, s := range g.Steps {
		if !g.RoleOf(s).Runs() {
			n++
		}
	}
	return n
}

// writeSectionHead prints a section's title, and for one off the install
// path its role, how to run it and what gave it the role.
func writeSectionHead(b *strings.Builder, g *runbook.Guide, path []string) {
	fmt.Fprintf(b, "\n%s%s\n", sectionTitle(g, path), roleNote(g, path))
	if s := g.Section(path); s != nil && s.RoleWhy != "" {
		fmt.Fprintf(b, "  (why: %s)\n", s.RoleWhy)
	}
}

func writeStepsHeader(b *strings.Builder, g *runbook.Guide, ps []runbook.Param) {
	title := g.Title
	if title == "" {
		title = "(untitled guide)"
	}
	counts := map[runbook.Kind]int{}
	for _, s := range g.Steps {
		counts[s.Kind()]++
	}
	var kinds []string
	if n := counts[runbook.KindCommand]; n > 0 {
		kinds = append(kinds, plural(n, "command"))
	}
	if n := counts[runbook.KindFile]; n > 0 {
		kinds = append(kinds, plural(n, "file"))
	}
	if n := counts[runbook.KindManual]; n > 0 {
		kinds = append(kinds, plural(n, "step")+" by hand")
	}
	fmt.Fprintf(b, "%s (%s): %s", title, g.Name, plural(len(g.Steps), "step"))
	if len(kinds) > 0 {
		fmt.Fprintf(b, ": %s", strings.Join(kinds, ", "))
	}
	b.WriteString("\n")
	var set []string
	unset := false
	shared := map[string]int{}
	for _, p := range ps {
		shared[p.Example]++
	}
	for _, p := range ps {
		label := paramLabel(p, shared[p.Example] > 1)
		switch {
		case p.Secret && p.Value != "":
			set = append(set, fmt.Sprintf("%s = (secret, set)", label))
		case p.Secret:
			set = append(set, fmt.Sprintf("%s = (secret, not set)", label))
			unset = true
		case p.Value != "" && p.Value != p.Example:
			set = append(set, fmt.Sprintf("%s = %s%s", label, p.Value, defaultNote(p)))
		}
	}
	if unset {
		set = append(set, "(run asks for secrets without a value, or makes them with --generate-secrets)")
	}
	fmt.Fprintf(b, "%s", plural(len(ps), "parameter"))
	if len(ps) > 0 {
		fmt.Fprintf(b, " (runbook params %s lists them; change them with --set OLD=NEW)", g.Name)
	}
	b.WriteString("\n")
	for _, s := range set {
		fmt.Fprintf(b, "  %s\n", s)
	}
}

// paramLabel names a param by its documented text, or by its name when the
// guide shows none (the secret typed at a hidden prompt) or when several
// params share the text (SERVICE of two programs).
func paramLabel(p runbook.Param, shared bool) string {
	// A <placeholder> goes by its name: one placeholder may be split per
	// inclusion (<port> as port and port-2), and --set takes the name.
	if p.Example == "" || (p.Name != "" && (shared || strings.HasPrefix(p.Example, "<"))) {
		return p.Name
	}
	return p.Example
}

// defaultNote says where a value the guide gives itself comes from, so a
// reader sees that runbook chose it: " (the first choice)", " (the guide's default)".
func defaultNote(p runbook.Param) string {
	switch {
	case p.Default == "" || p.Value != p.Default:
		return ""
	case p.Kind == runbook.ParamChoice:
		return " (the first choice; --set " + p.Name + "=… picks another)"
	}
	return " (the guide's default)"
}

// sectionTitle joins a step's section path for a heading, leaving out the
// document title that every path starts with.
func sectionTitle(g *runbook.Guide, path []string) string {
	if len(path) > 1 && path[0] == g.Title {
		path = path[1:]
	}
	if len(path) == 0 {
		return "(before the first section)"
	}
	return strings.Join(path, " › ")
}

// writeStep prints one step: number, position, what it does, and the
// values it passes on to later steps or takes from earlier ones.
func writeStep(b *strings.Builder, g *runbook.Guide, s runbook.Step) {
	h := s.Head()
	num := fmt.Sprintf("%d/%d", h.ID, len(g.Steps))
	fmt.Fprintf(b, "  %-7s %s\n", num, h.Pos)
	const ind = "          "
	switch s := s.(type) {
	case *runbook.Command:
		writeCommand(b, ind, s)
	case *runbook.File:
		fmt.Fprintf(b, "%s%s\n", ind, fileAction(s))
		writePreview(b, ind+"| ", lines(s.Content))
	case *runbook.Manual:
		fmt.Fprintf(b, "%sby hand: %s\n", ind, s.Reason)
		if s.Path != "" {
			fmt.Fprintf(b, "%sfile %s (%s, %s)\n", ind, s.Path, orText(s.Format), plural(len(lines(s.Content)), "line"))
		}
		writePreview(b, ind+"| ", lines(s.Content))
	}
	writeFlows(b, ind, g, h.ID)
}

// writeFlows says which values a step prints that later steps use, and
// which it uses from earlier steps: run puts the real value in their place.
func writeFlows(b *strings.Builder, ind string, g *runbook.Guide, id int) {
	for _, f := range g.FlowsFrom(id) {
		fmt.Fprintf(b, "%sprints %s, which %s %s: run captures the real value and uses it there%s\n",
			ind, shortValue(f.Example), runbook.StepNames(f.To), verb(len(f.To), "uses", "use"), secretNote(f))
	}
	for _, f := range g.FlowsInto(id) {
		fmt.Fprintf(b, "%suses %s, which step %d prints: run puts in the value that step really printed%s\n",
			ind, shortValue(f.Example), f.From, secretNote(f))
	}
}

// shortValue shows the start of a documented value, enough to find it.
func shortValue(v string) string {
	if r := []rune(v); len(r) > 16 {
		return string(r[:16]) + "…"
	}
	return v
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func secretNote(f runbook.Flow) string {
	if f.Secret {
		return " (a secret: the step reads a hidden answer, so the value is masked)"
	}
	return ""
}

func writeCommand(b *strings.Builder, ind string, c *runbook.Command) {
	prompt := promptText(c.Prompt)
	cmdLines := strings.Split(c.Text, "\n")
	fmt.Fprintf(b, "%s%s %s\n", ind, prompt, cmdLines[0])
	pad := strings.Repeat(" ", len([]rune(prompt))+1)
	for _, l := range cmdLines[1:] {
		fmt.Fprintf(b, "%s%s%s\n", ind, pad, l)
	}
	writePreview(b, ind+"  ", c.Expect)
	for _, a := range c.Answers {
		fmt.Fprintf(b, "%s%s\n", ind, answerText(a))
	}
}

// promptText renders a documented prompt in the guide's usual form.
func promptText(p runbook.Prompt) string {
	sign := "$"
	if p.Root {
		sign = "#"
	}
	var s string
	switch {
	case p.User == "" && p.Host == "":
		s = sign
		if p.Dir != "" {
			s = p.Dir + sign
		}
	default:
		s = "[" + p.User
		if p.Host != "" {
			s += "@" + p.Host
		}
		if p.Dir != "" {
			s += " " + p.Dir
		}
		s += "]" + sign
	}
	if p.Venv != "" {
		s = "(" + p.Venv + ") " + s
	}
	return s
}

func answerText(a runbook.Answer) string {
	if a.Unasked {
		return documentedAnswerText(a) + " (unasked: not in the guide; typed only if the program asks)"
	}
	return documentedAnswerText(a)
}

func documentedAnswerText(a runbook.Answer) string {
	switch a.Kind {
	case runbook.Hidden:
		if a.Param != "" {
			return fmt.Sprintf("answers %q with (secret from %s)", a.Prompt, a.Param)
		}
		return fmt.Sprintf("answers %q with (secret)", a.Prompt)
	case runbook.Input:
		return fmt.Sprintf("types %q at %s", a.Text, a.Prompt)
	case runbook.EndInput:
		return fmt.Sprintf("ends the input at %s", a.Prompt)
	}
	return fmt.Sprintf("answers %q with %s", a.Prompt, a.Text)
}

// fileAction says in one line what a file step does to its target.
func fileAction(f *runbook.File) string {
	n := plural(len(lines(f.Content)), "line")
	switch f.Mode {
	case runbook.Merge:
		under := ""
		if len(f.Key) > 0 {
			under = " under " + strings.Join(f.Key, ".")
		}
		return fmt.Sprintf("merge into %s%s (%s, %s)", f.Path, under, orText(f.Format), n)
	case runbook.Append:
		return fmt.Sprintf("append to %s (%s, %s)", f.Path, orText(f.Format), n)
	}
	return fmt.Sprintf("%s %s (%s, %s)", orDefault(string(f.Mode), "create"), f.Path, orText(f.Format), n)
}

// writePreview prints the first lines of ls and how many more there are.
func writePreview(b *strings.Builder, prefix string, ls []string) {
	for i, l := range ls {
		if i == previewLines && len(ls) > previewLines+1 {
			fmt.Fprintf(b, "%s… %s\n", prefix, plural(len(ls)-previewLines, "more line"))
			return
		}
		fmt.Fprintf(b, "%s%s\n", prefix, l)
	}
}

// lines splits content into lines without the empty one after a final newline.
func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func orText(format string) string { return orDefault(format, "text") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
