package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	runbook "github.com/runbookdev/runbook"
	"github.com/runbookdev/runbook/internal/ansi"
	"github.com/runbookdev/runbook/verifier/report"
)

// hostGaps are the programs that the real host has and the sandbox does not,
// each with the reason, as the profile lists them in its unavailable.yaml
// (a mail server that receives mail from outside, an editor, a tool of the
// reader's own computer). A step that fails because one is missing cannot run
// here; it says nothing about the guide.
type hostGaps map[string]string

// gapsFile is the file of a profile folder that lists its gaps.
const gapsFile = "unavailable.yaml"

// readProfileYAML decodes the file name of a profile folder into v and
// returns its path; "" when the profile has no such file.
func readProfileYAML(dir, name string, v any) (string, error) {
	if dir == "" {
		return "", nil
	}
	path := filepath.Join(dir, name)
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", usageErrorf("%s: %v", path, unwrapPath(err))
	}
	if err := yaml.Unmarshal(src, v); err != nil {
		return "", usageErrorf("%s: %v", path, err)
	}
	return path, nil
}

// profileGaps reads the gaps of the --profile the sandboxes use.
func profileGaps(profile string) (hostGaps, error) {
	dir, err := profileDir(profile)
	if err != nil {
		return nil, err
	}
	return loadHostGaps(dir)
}

// loadHostGaps reads the gaps of a profile folder; a profile without the file has none.
func loadHostGaps(dir string) (hostGaps, error) {
	var doc struct {
		Programs map[string]string `yaml:"programs"`
	}
	path, err := readProfileYAML(dir, gapsFile, &doc)
	if path == "" || err != nil {
		return nil, err
	}
	for name, why := range doc.Programs {
		if strings.TrimSpace(why) == "" {
			return nil, usageErrorf("%s: %s has no reason", path, name)
		}
	}
	return hostGaps(doc.Programs), nil
}

// noNetwork matches what programs print when a name does not resolve or
// no route leads out: the sandbox has only its loopback.
var noNetwork = regexp.MustCompile(`(?i)unable to resolve host|could not resolve host|temporary failure in name resolution|` +
	`name or service not known|network is unreachable|getaddrinfo (ENOTFOUND|EAI_AGAIN)|` +
	`failed to establish a new connection|could not resolve hostname|php_network_getaddresses|no address associated with hostname|` +
	`ENOTCACHED`)

// saysCannotRun is what a profile's program prints when it cannot do what
// was asked in a sandbox (crontab -e, which opens an editor nobody can use);
// it exits 0 when the steps after it can still run.
var saysCannotRun = regexp.MustCompile(`(?m)cannot run here: (.+)$`)

// notFound finds the program bash could not find.
var notFound = regexp.MustCompile(`(?m)(?:^|: )([^\s:]+): command not found`)

// whyCannotRun says why a failed step could not run here, or "" when its
// failure may be the guide's own.
func whyCannotRun(r runbook.Result, gaps hostGaps, offline bool) string {
	if r.Outcome == nil || r.Verdict == runbook.ManualStep || r.Verdict == runbook.Skipped {
		return ""
	}
	text := ansi.Strip(r.Outcome.Output + "\n" + r.Reason)
	if m := saysCannotRun.FindStringSubmatch(text); m != nil {
		return "cannot run here: " + strings.TrimSpace(m[1])
	}
	if r.Verdict != runbook.Failed {
		return ""
	}
	if m := notFound.FindStringSubmatch(text); m != nil {
		if why, ok := gaps[filepath.Base(m[1])]; ok {
			return fmt.Sprintf("cannot run here: %s is not in this sandbox (%s)", m[1], why)
		}
		return ""
	}
	if loc := noNetwork.FindStringIndex(text); loc != nil {
		return "cannot run here: it needs the internet, which the sandbox does not have (" + lineAt(text, loc[0]) + ")"
	}
	if offline && offlineIndex.MatchString(text) {
		return "cannot run here: it needs the internet (the package index), which the sandbox does not have (" +
			lineAt(text, offlineIndex.FindStringIndex(text)[0]) + ")"
	}
	return ""
}

// offlineIndex is pip finding nothing to install: with no internet, its
// index is the sandbox's offline one, which has only the stand-ins. (With
// the internet it would mean the guide names a package that does not exist.)
var offlineIndex = regexp.MustCompile(`No matching distribution found for`)

// lineAt is the line of text that holds byte i, trimmed, from its last
// carriage return on (a spinner redraws the line before it).
func lineAt(text string, i int) string {
	start := max(strings.LastIndexByte(text[:i], '\n'), strings.LastIndexByte(text[:i], '\r')) + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		end = len(text) - i
	}
	return strings.TrimSpace(text[start : i+end])
}

// markCannotRun turns the steps of a guide's report that failed for a
// reason of the place they ran in (no network, a program the real host has
// and the sandbox lacks) into manual steps with that reason; the steps
// skipped because of one say so. Their failure is not the guide's. offline
// says the guide ran in a sandbox, which has no internet at all.
func markCannotRun(rep *report.Report, gaps hostGaps, offline bool) {
	cannot := map[int]bool{}
	for i := range rep.Results {
		r := &rep.Results[i]
		if why := whyCannotRun(*r, gaps, offline); why != "" {
			r.Verdict, r.Reason, r.Diff = runbook.ManualStep, why, ""
			cannot[r.Step.Head().ID] = true
			continue
		}
		var id int
		if r.Verdict == runbook.Skipped {
			if _, err := fmt.Sscanf(r.Reason, "not run: step %d failed", &id); err == nil && cannot[id] {
				r.Reason = fmt.Sprintf("not run: step %d cannot run here", id)
			}
		}
	}
}
