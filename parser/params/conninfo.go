package params

import (
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/quote"
)

// conninfoBefore is the start of a PostgreSQL connection string up to a
// value: "user=syncv3 dbname=syncv3 sslmode=disable password=" with an
// optional opening quote. Such a string sits inside a shell or supervisord
// string, so its value needs libpq's escapes first.
var conninfoBefore = regexp.MustCompile(`(?:^|[\s"'=])(?:user|dbname|host|port|sslmode)=\S*(?:\s+\w+=\S*)*\s+\w+=('?)$`)

// conninfoValue returns a value as the connection string that holds it
// needs it (backslash escapes; quotes for an empty bare value), or the
// value itself where no connection string is.
func conninfoValue(text string, m runbook.Match) string {
	line := text[strings.LastIndexByte(text[:m.Start], '\n')+1 : m.Start]
	sm := conninfoBefore.FindStringSubmatch(line)
	switch {
	case sm == nil:
		return m.Value
	case sm[1] != "":
		return quote.Libpq(m.Value)
	case m.Value == "":
		return "''"
	}
	return quote.LibpqWord(m.Value)
}
