package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// writeGitHub prints workflow commands that annotate the guide's lines:
// an error for a failed step, a warning (with the diff) for drift.
func writeGitHub(w io.Writer, reports []Report) error {
	bw := bufio.NewWriter(w)
	for _, r := range reports {
		for _, s := range r.steps() {
			var level string
			switch s.verdict {
			case runbook.Failed:
				level = "error"
			case runbook.Drift:
				level = "warning"
			default:
				continue
			}
			msg := s.reason
			if s.diff != "" {
				msg += "\n" + s.diff
			}
			title := fmt.Sprintf("runbook: step %d %s", s.id, s.verdict)
			fmt.Fprintf(bw, "::%s file=%s,line=%d,title=%s::%s\n", level,
				escapeProperty(s.pos.File), s.pos.Line, escapeProperty(title), escapeData(strings.TrimSuffix(msg, "\n")))
		}
	}
	return bw.Flush()
}

// escapeData encodes an annotation's message as the runner expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty encodes a property value, which also may not hold ":" or ",".
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
