package learn

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/golden"
	"github.com/runbookdev/runbook/parser"
	"github.com/runbookdev/runbook/parser/params"
)

// TestScreens renders the screen of every step of each testdata/screens
// guide, skipping through them, at the width its "width" file gives (80
// when it has none), without colour, and compares with "want". Its "set"
// file holds OLD=NEW lines for the trainee's values.
func TestScreens(t *testing.T) {
	golden.Run(t, "testdata/screens/*.txtar", "want", func(t *testing.T, a *txtar.Archive) string {
		fsys := fstest.MapFS{}
		var name string
		width := 80
		var sets []string
		for _, f := range a.Files {
			switch f.Name {
			case "want":
			case "width":
				width, _ = strconv.Atoi(strings.TrimSpace(string(f.Data)))
			case "set":
				sets = strings.Fields(string(f.Data))
			default:
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
				if name == "" {
					name = f.Name
				}
			}
		}
		g, _ := parser.Parse(name, fsys[name].Data, fsys)
		ps := params.Detect(g)
		for _, kv := range sets {
			k, v, _ := strings.Cut(kv, "=")
			if err := params.Set(ps, k, v); err != nil {
				t.Fatal(err)
			}
		}
		l, err := New(g, params.Apply(g, ps), runbook.NewReplacer(ps), "/home/x")
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for !l.Finished() {
			fmt.Fprintf(&b, "%s", l.Screen(Look{Width: width}))
			l.Skip()
		}
		return b.String()
	})
}
