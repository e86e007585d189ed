package runbook

// Kind names a step kind as it appears in JSON and text output.
type Kind string

const (
	// KindCommand is a shell command typed at a prompt.
	KindCommand Kind = "command"
	// KindFile is file content written, merged or appended to a path.
	KindFile Kind = "file"
	// KindManual is something a person has to do; runbook only shows it.
	KindManual Kind = "manual"
)

// Step is one unit of work in a guide; each kind has its own type.
type Step interface {
	// Head returns the fields every step kind shares.
	Head() *Header
	// Kind names the step kind.
	Kind() Kind
}

// Header is what every step carries, whatever its kind.
type Header struct {
	ID      int      // 1-based position in Guide.Steps
	Pos     Pos      // where the step is written (the prompt line or the block's first line)
	Section []string // section titles from the top
	Lang    string   // the block's declared language ("console", "yaml", "" for a bare ::)
	// Inclusion is the include instance the step comes from: 0 for the
	// guide itself, k for Guide.Inclusions[k-1]. A file included twice
	// gives its steps two different numbers, so params can differ per inclusion.
	Inclusion int
	// Prose is the paragraphs a reader sees right before the step's block,
	// within its section: what `learn` shows with the step. Only the
	// block's first step carries them; the others of the block have none.
	Prose []Paragraph
}

// Head returns the header itself, so types that embed Header satisfy Step.
func (h *Header) Head() *Header { return h }
