package main

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// hostSecret is a secret the real host already has and a guide only shows
// in a command's output (Uberspace's MySQL password, which
// `my_print_defaults client` prints): the sandbox is given the guide's value
// for it, in env, so that the host's secret is the one the guide writes into
// its files and the documented output matches.
type hostSecret struct {
	command string         // the program whose output shows it
	output  *regexp.Regexp // its documented line; group 1 is the secret as documented
	env     string         // the variable the sandbox's profile reads it from
}

// hostSecretsFile is the file of a profile folder that lists its host secrets.
const hostSecretsFile = "secrets.yaml"

// loadHostSecrets reads a profile's secrets.yaml; a profile without one has none.
func loadHostSecrets(dir string) ([]hostSecret, error) {
	var doc struct {
		Secrets []struct{ Command, Output, Env string } `yaml:"secrets"`
	}
	path, err := readProfileYAML(dir, hostSecretsFile, &doc)
	if path == "" || err != nil {
		return nil, err
	}
	var out []hostSecret
	for i, s := range doc.Secrets {
		re, err := regexp.Compile(s.Output)
		if err == nil && re.NumSubexp() < 1 {
			err = errors.New("it captures nothing: put the secret in ( )")
		}
		if err != nil || s.Command == "" || s.Env == "" {
			return nil, usageErrorf("%s: secret %d: want command, output (a pattern that captures the secret) and env: %v", path, i+1, err)
		}
		out = append(out, hostSecret{command: s.Command, output: re, env: s.Env})
	}
	return out, nil
}

// hostSecretEnv is the sandbox's environment for one guide: for each host
// secret the guide documents, its variable set to the value of the guide's
// secret parameter with that example (after --set or --generate-secrets).
func hostSecretEnv(g *runbook.Guide, ps []runbook.Param, secrets []hostSecret) []string {
	var env []string
	for _, hs := range secrets {
		if v := documentedSecret(g, ps, hs); v != "" {
			env = append(env, hs.env+"="+v)
		}
	}
	return env
}

// documentedSecret finds the value of the secret one host secret's documented output shows.
func documentedSecret(g *runbook.Guide, ps []runbook.Param, hs hostSecret) string {
	for _, st := range g.Steps {
		c, ok := st.(*runbook.Command)
		if !ok || firstWord(c.Text) != hs.command {
			continue
		}
		for _, line := range c.Expect {
			m := hs.output.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			for _, p := range ps {
				if p.Secret && p.Example == m[1] && p.Value != "" {
					return p.Value
				}
			}
		}
	}
	return ""
}

// firstWord is the program a command line starts with.
func firstWord(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return ""
	}
	return filepath.Base(f[0])
}

// profileHostSecrets reads the host secrets of the --profile the sandboxes use.
func profileHostSecrets(profile string) ([]hostSecret, error) {
	dir, err := profileDir(profile)
	if err != nil {
		return nil, err
	}
	return loadHostSecrets(dir)
}
