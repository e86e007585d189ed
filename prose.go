package runbook

// Paragraph is one paragraph of a guide's prose as a reader sees it: its
// lines joined with single spaces, inline markup (“literals“, links,
// roles) kept as written, so that each front end's renderer can show it.
type Paragraph struct {
	Pos  Pos
	Text string
	// Label names the admonition this paragraph opens ("note", "warning"),
	// so a renderer can show it as one; empty for the main text.
	Label string
}
