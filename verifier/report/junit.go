package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	runbook "github.com/runbookdev/runbook"
)

// The JUnit XML form that CI servers (Jenkins, GitLab, GitHub actions) read.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// writeJUnit writes one testsuite per guide and one testcase per step;
// drift and failed are failures, skipped and manual are skipped.
func writeJUnit(w io.Writer, reports []Report) error {
	all := junitSuites{Name: "runbook"}
	var total time.Duration
	for _, r := range reports {
		suite := junitSuite{Name: r.Guide}
		var d time.Duration
		for _, s := range r.steps() {
			suite.Cases = append(suite.Cases, junitTestcase(r, s))
			d += s.duration
		}
		sum := r.Summary()
		suite.Tests, suite.Failures, suite.Skipped = len(suite.Cases), sum.Drift+sum.Failed, sum.Skipped+sum.Manual
		suite.Time = secondsAttr(d)
		all.Tests += suite.Tests
		all.Failures += suite.Failures
		all.Skipped += suite.Skipped
		total += d
		all.Suites = append(all.Suites, suite)
	}
	all.Time = secondsAttr(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitTestcase renders one step, named by its section and line.
func junitTestcase(r Report, s step) junitCase {
	c := junitCase{
		Name: caseName(r, s), Classname: r.Guide, File: s.pos.File, Line: s.pos.Line,
		Time: secondsAttr(s.duration),
	}
	detail := strings.TrimSpace(strings.Join(append([]string{s.description}, s.notes...), "\n"))
	switch s.verdict {
	case runbook.Drift, runbook.Failed:
		text := s.diff
		if text == "" {
			text = s.reason
		}
		c.Failure = &junitFailure{Message: s.reason, Type: string(s.verdict), Text: text}
	case runbook.Skipped, runbook.ManualStep:
		msg := s.reason
		if s.verdict == runbook.ManualStep {
			msg = "manual: " + s.reason
		}
		c.Skipped = &junitSkipped{Message: msg}
	}
	if s.simulated {
		detail += "\nsimulated: a stand-in ran instead of the real thing"
	}
	c.SystemOut = detail
	return c
}

// caseName is "Section › Subsection (line 42)", or the step's own description
// when it has no section.
func caseName(r Report, s step) string {
	name := strings.Join(s.section, " › ")
	if name == "" {
		name = s.description
	}
	if s.pos.File != "" && s.pos.File != r.Guide {
		return fmt.Sprintf("%s (%s)", name, s.pos)
	}
	return fmt.Sprintf("%s (line %d)", name, s.pos.Line)
}

func secondsAttr(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
