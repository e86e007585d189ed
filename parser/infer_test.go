package parser

import (
	"strings"
	"testing"
)

// TestLooksLikePath covers what counts as a file in backticks.
func TestLooksLikePath(t *testing.T) {
	for text, want := range map[string]bool{
		"~/synapse/homeserver.yaml":                                    true,
		"/var/www/virtual/$USER/example.org/.well-known/matrix/server": true,
		"$HOME/bin/x":                    true,
		".htaccess":                      true,
		"config.php":                     true,
		"~/etc/services.d/":              true,
		"/admin":                         false, // a route
		"listeners:":                     false,
		"port: 8008":                     false,
		"https://example.org/x.json":     false,
		"example.org/.well-known/matrix": false,
		"--generate-config":              false,
		"example.org":                    false,
		"RUNNING":                        false,
	} {
		if got := looksLikePath(text); got != want {
			t.Errorf("looksLikePath(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestVerbAt covers the verb nearest before a path, else the first after.
func TestVerbAt(t *testing.T) {
	for _, c := range []struct {
		sentence string
		want     verb
	}{
		{"Create ``P`` with the following content:", verbCreate},
		{"Edit ``P`` and add:", verbEdit},
		{"Automate the update process with a bash script called ``P`` containing:", verbCreate},
		{"Append the following to ``P``:", verbAppend},
		{"Add this at the end of ``P``:", verbAppend},
		{"Allow users in the config file ``P``:", verbEdit},
		{"The file ``P`` looks like this:", verbNone},
		{"``P`` must contain the following content:", verbCreate},
	} {
		at := len(c.sentence)
		if i := strings.Index(c.sentence, "``P``"); i >= 0 {
			at = i
		}
		if got := verbAt(c.sentence, at); got != c.want {
			t.Errorf("verbAt(%q) = %v, want %v", c.sentence, got, c.want)
		}
	}
}
