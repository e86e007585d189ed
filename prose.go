package runbook

// Paragraph is one paragraph of a guide's prose as a reader sees it: its
// lines joined with single spaces, inline markup (“literals“, links,
// roles) kept as written, so that each front end's renderer can show it.
type Paragraph struct {
	Pos  Pos
	Text string
}
