package runbook

// Manual is a step runbook cannot automate; it is shown with the reason.
type Manual struct {
	Header
	Reason  string // one sentence: why this is not automated
	Path    string // the file the block belongs to, if known
	Format  string
	Content string // the block to show the person
}

// Kind reports KindManual.
func (*Manual) Kind() Kind { return KindManual }
