package learn

import (
	"fmt"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// Look is how the trainee's terminal shows text: its width in columns and
// whether it takes colour (not with NO_COLOR, not on a dumb terminal).
type Look struct {
	Width int
	Color bool
}

// width is the usable width: a line exactly as wide as the terminal makes
// some terminals wrap early, so one column stays free.
func (k Look) width() int { return max(k.Width-1, 30) }

// paint renders one line of spans without wrapping it.
func (k Look) paint(t Text) string {
	var b strings.Builder
	for _, sp := range merged(t) {
		b.WriteString(paint(sp, k.Color))
	}
	return b.String()
}

// Screen renders the current step as it begins: the title bar with the
// section path, the progress bars, the guide's prose before the step with
// its inline markup rendered, the step with the trainee's values, and the
// keys.
func (l *Lesson) Screen(k Look) string {
	ps := l.current()
	if ps == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n" + l.titleBar(ps, k) + "\n")
	b.WriteString(l.progressBars(k) + "\n\n")
	for _, p := range ps.step.Head().Prose {
		b.WriteString(l.paragraph(l.show(p.Text), p.Label, k))
		b.WriteByte('\n')
	}
	b.WriteString(l.stepBlock(ps.step, k))
	b.WriteString("\n" + l.Footer(k) + "\n")
	return b.String()
}

// paragraph renders one paragraph of prose, after its admonition's name
// ("Note:") when it opens one. The parser joins a list's lines into one
// paragraph ("* a * b"); a paragraph that starts with a bullet is shown as
// the list it was, an item a line.
func (l *Lesson) paragraph(text, label string, k Look) string {
	var head Text
	if label != "" {
		if label == "seealso" {
			label = "see also"
		}
		head = Text{{Text: strings.ToUpper(label[:1]) + label[1:] + ":", Style: Strong}, {Text: " "}}
	}
	for _, bullet := range []string{"* ", "- ", "+ "} {
		if !strings.HasPrefix(text, bullet) {
			continue
		}
		var b strings.Builder
		if head != nil {
			b.WriteString(Render(head, k.width(), "", k.Color))
		}
		for _, item := range strings.Split(text[len(bullet):], " "+bullet) {
			lines := strings.SplitN(Render(ProseText(item, l.markdown), k.width(), "  ", k.Color), "\n", 2)
			b.WriteString(bullet + lines[0][2:] + "\n" + lines[1])
		}
		return b.String()
	}
	return Render(append(head, ProseText(text, l.markdown)...), k.width(), "", k.Color)
}

// titleBar is "== Step 3 of 9 == Section > Subsection ====...", cut from
// the left when the path is too long for the width.
func (l *Lesson) titleBar(ps *lessonStep, k Look) string {
	i, n := l.Position()
	head := fmt.Sprintf("== Step %d of %d == ", i, n)
	path := strings.Join(ps.step.Head().Section, " > ")
	if room := k.width() - len(head) - 3; len([]rune(path)) > room {
		r := []rune(path)
		path = "..." + string(r[len(r)-max(room-3, 0):])
	}
	line := head + path + " "
	if fill := k.width() - len([]rune(line)); fill > 0 {
		line += strings.Repeat("=", fill)
	}
	return k.paint(Text{{Text: line, Style: Heading}})
}

// progressBars shows the steps and the sections done so far.
func (l *Lesson) progressBars(k Look) string {
	done, secDone := 0, 0
	for _, ps := range l.steps {
		if ps.status != Open {
			done++
		}
	}
	for _, sec := range l.sections {
		if l.sectionDone(sec) {
			secDone++
		}
	}
	barWidth := max(min((k.width()-44)/2, 30), 8)
	return k.paint(Text{{Text: fmt.Sprintf("steps %s %d/%d   sections %s %d/%d",
		bar(done, len(l.steps), barWidth), done, len(l.steps),
		bar(secDone, len(l.sections), barWidth), secDone, len(l.sections)), Style: Dim}})
}

func (l *Lesson) sectionDone(sec []string) bool {
	for _, ps := range l.steps {
		if sameStrings(ps.step.Head().Section, sec) && ps.status == Open {
			return false
		}
	}
	return true
}

// bar is a progress bar of width cells, ASCII so any terminal shows it.
func bar(done, total, width int) string {
	fill := 0
	if total > 0 {
		fill = done * width / total
	}
	return "[" + strings.Repeat("#", fill) + strings.Repeat(".", width-fill) + "]"
}

// stepBlock shows the step itself, indented, with the trainee's values.
func (l *Lesson) stepBlock(st runbook.Step, k Look) string {
	var b strings.Builder
	switch s := st.(type) {
	case *runbook.Command:
		prompt := PromptText(s.Prompt)
		lines := commandLines(l.r.Redact(s.Text), k.width()-4-len([]rune(prompt)), k.width()-6)
		b.WriteString("    " + k.paint(Text{{Text: prompt, Style: Dim}, {Text: lines[0], Style: Strong}}) + "\n")
		for _, more := range lines[1:] {
			b.WriteString("    " + k.paint(Text{{Text: "> ", Style: Dim}, {Text: more, Style: Strong}}) + "\n")
		}
		b.WriteString(l.answers(s, k))
	case *runbook.File:
		b.WriteString(Render(l.fileIntro(s), k.width(), "    ", k.Color))
		b.WriteString(l.quoted(s.Content, k))
	case *runbook.Manual:
		b.WriteString(Render(say("By hand: %s.", l.r.Redact(s.Reason)), k.width(), "    ", k.Color))
		if s.Content != "" {
			b.WriteString(l.quoted(s.Content, k))
		}
	}
	return b.String()
}

// fileIntro says what a file step does with its file.
func (l *Lesson) fileIntro(f *runbook.File) Text {
	p := lit(l.r.Redact(f.Path))
	switch f.Mode {
	case runbook.Merge:
		return say("The file %s, with this merged into it (the rest kept):", p)
	case runbook.Append:
		return say("The file %s, with this appended:", p)
	}
	return say("The file %s, created with:", p)
}

// quoted shows file content under a bar, secrets masked.
func (l *Lesson) quoted(content string, k Look) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(l.r.Redact(content), "\n"), "\n") {
		b.WriteString("    " + k.paint(Text{{Text: "| ", Style: Dim}}) + line + "\n")
	}
	return b.String()
}

// answers lists what the command asks and what to answer.
func (l *Lesson) answers(c *runbook.Command, k Look) string {
	if len(c.Answers) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("    It asks; answer like this:\n")
	for _, a := range c.Answers {
		var t Text
		switch a.Kind {
		case runbook.Hidden:
			t = Text{{Text: a.Prompt + " "}, {Text: "(type the secret; it is not shown)", Style: Dim}}
		case runbook.EndInput:
			t = Text{{Text: a.Prompt + " "}, {Text: "(press Ctrl-D)", Style: Dim}}
		default:
			t = Text{{Text: a.Prompt + " "}, {Text: a.Text, Style: Strong}}
		}
		b.WriteString("      " + l.r.Redact(k.paint(t)) + "\n")
	}
	return b.String()
}

// PromptText is a documented prompt as the guides write it: [user@host dir]$ .
func PromptText(p runbook.Prompt) string {
	end := "$ "
	if p.Root {
		end = "# "
	}
	s := end
	switch {
	case p.User != "" && p.Host != "" && p.Dir != "":
		s = fmt.Sprintf("[%s@%s %s]%s", p.User, p.Host, p.Dir, end)
	case p.User != "" && p.Host != "":
		s = fmt.Sprintf("[%s@%s]%s", p.User, p.Host, end)
	}
	if p.Venv != "" {
		s = "(" + p.Venv + ") " + s
	}
	return s
}

// Footer is the one line of keys for the current step.
func (l *Lesson) Footer(k Look) string {
	keys := "? help  h hint  s output  n skip  r run it  q quit"
	switch l.Step().(type) {
	case *runbook.File:
		keys = "? help  e edit  r write it  h hint  n skip  q quit"
	case *runbook.Manual:
		keys = "? help  d done  s show  n skip  q quit"
	case nil:
		return ""
	}
	i, n := l.Position()
	line := fmt.Sprintf("step %d/%d, then Enter: %s", i, n, keys)
	if r := []rune(line); len(r) > k.width() {
		line = string(r[:k.width()])
	}
	return k.paint(Text{{Text: line, Style: Dim}})
}

// Say renders feedback: its message wrapped, its detail (a diff) as it is.
func (f Feedback) Say(k Look) string {
	if len(f.Message) == 0 && len(f.Detail) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(Render(f.Message, k.width(), "", k.Color))
	for _, d := range f.Detail {
		b.WriteString("    " + k.paint(Text{{Text: d, Style: diffStyle(d)}}) + "\n")
	}
	return b.String()
}

func diffStyle(line string) Style {
	switch {
	case strings.HasPrefix(line, "+"):
		return Good
	case strings.HasPrefix(line, "-"):
		return Bad
	}
	return Dim
}

// Lines renders lines of text (the documented output) indented, as they are.
func Lines(lines []string, k Look) string {
	var b strings.Builder
	for _, line := range lines {
		b.WriteString("    " + k.paint(Text{{Text: line, Style: Code}}) + "\n")
	}
	return b.String()
}

// Help is what ? shows.
func Help(k Look) string {
	t := say("This is a real shell: type each step's command yourself (editing, history and Tab work as " +
		"usual), and runbook compares what you typed, and what it printed, with the guide. Other commands " +
		"run as well and leave the step open. Typed alone on the prompt line, then Enter, these do " +
		"something else:\n")
	for _, key := range [][2]string{
		{"?", "this help"},
		{"h", "a hint: first the program, then the whole command"},
		{"s", "the output the guide documents (a file step's content)"},
		{"n", "skip the step"},
		{"r", "let runbook run the step, answering its questions, or write its file"},
		{"e", "edit a file step's file in your editor, then see how it differs from the guide's"},
		{"d", "a step you do by hand is done"},
		{"q", "save your progress and quit; runbook learn again goes on from there"},
	} {
		t = append(t, lit(key[0]), Span{Text: " " + key[1] + "\n"})
	}
	t = append(t, say("A step done after a hint, or after runbook showed what differed, counts as done with help.")...)
	return Render(t, k.width(), "", k.Color)
}
