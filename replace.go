package runbook

// Replacer substitutes example values with real ones and back, and hides secrets.
type Replacer struct {
	params []Param
}

// NewReplacer prepares substitution for the given params.
func NewReplacer(ps []Param) *Replacer { return &Replacer{params: ps} }

// Forward replaces example values with the values set (whole tokens, longest first).
func (r *Replacer) Forward(s string) string { return s } // STUB

// Reverse replaces the values set with the guide's example values, so actual
// output can be compared with, or written back into, the guide.
func (r *Replacer) Reverse(s string) string { return s } // STUB

// Redact replaces every secret value with a fixed mask.
func (r *Replacer) Redact(s string) string { return s } // STUB
