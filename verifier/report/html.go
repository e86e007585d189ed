package report

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// htmlPage is what the HTML template shows: the totals, one row per guide,
// and the steps that need attention.
type htmlPage struct {
	Guides    int
	Total     Summary
	Bar       []htmlSegment
	Broken    int    // guides that need attention
	Attention string // Broken in words
	Changes   jsonChanges
	Rows      []htmlRow
}

// htmlRow is one guide of the page.
type htmlRow struct {
	Anchor   string
	Guide    string
	Title    string
	Summary  Summary
	Bar      []htmlSegment
	Verdicts string // the verdicts present, for the filters
	Error    string
	Change   Change
	Why      string     // the first problem: verdict, file:line and reason
	Steps    []htmlStep // the steps that are not ok
}

// htmlSegment is one coloured part of a guide's bar.
type htmlSegment struct {
	Verdict string
	Count   int
	Percent float64
}

// htmlStep is one step that was not ok, with its diff split into lines
// that the page colours.
type htmlStep struct {
	Verdict     string
	Pos         string
	Description string
	Reason      string
	Notes       []string
	Simulated   bool
	Change      Change
	Diff        []htmlDiffLine
}

type htmlDiffLine struct {
	Class, Text string
}

// writeHTML writes one self-contained page (no external assets): a table of
// the guides with their verdict counts and a bar each, filters by verdict,
// and under each guide its drifted, failed, skipped and manual steps with
// their file:line, reason and diff.
func writeHTML(w io.Writer, reports []Report) error {
	page := htmlPage{Guides: len(reports), Total: Total(reports), Changes: jsonChanges{Broken: []string{}, Fixed: []string{}}}
	page.Bar = bar(page.Total)
	for i, r := range reports {
		row := htmlRow{Anchor: "g" + strconv.Itoa(i+1), Guide: r.Guide, Title: r.Title, Summary: r.Summary(), Error: r.Error, Change: r.Change}
		row.Bar = bar(row.Summary)
		if p, ok := firstProblem(r); ok {
			row.Why = fmt.Sprintf("%s at %s: %s", p.verdict, p.pos, shorten(strings.Join(strings.Fields(p.reason), " "), 160))
		}
		var present []string
		for _, seg := range row.Bar {
			present = append(present, seg.Verdict)
		}
		if r.Error != "" {
			present = append(present, "error")
		}
		if r.Change != Unchanged {
			present = append(present, string(r.Change))
		}
		row.Verdicts = strings.Join(present, " ")
		for _, s := range r.steps() {
			if s.verdict != runbook.OK {
				row.Steps = append(row.Steps, toHTMLStep(s))
			}
		}
		if r.Broken() {
			page.Broken++
		}
		switch r.Change {
		case Broken:
			page.Changes.Broken = append(page.Changes.Broken, r.Guide)
		case Fixed:
			page.Changes.Fixed = append(page.Changes.Fixed, r.Guide)
		}
		page.Rows = append(page.Rows, row)
	}
	page.Attention = attention(page.Broken)
	return htmlTemplate.Execute(w, page)
}

// bar splits a guide's steps into coloured segments, in verdict order.
func bar(s Summary) []htmlSegment {
	counts := []htmlSegment{{"ok", s.OK, 0}, {"drift", s.Drift, 0}, {"failed", s.Failed, 0},
		{"skipped", s.Skipped, 0}, {"manual", s.Manual, 0}}
	total := s.OK + s.Drift + s.Failed + s.Skipped + s.Manual
	var out []htmlSegment
	for _, c := range counts {
		if c.Count > 0 {
			c.Percent = 100 * float64(c.Count) / float64(total)
			out = append(out, c)
		}
	}
	return out
}

func toHTMLStep(s step) htmlStep {
	hs := htmlStep{Verdict: string(s.verdict), Pos: s.pos.String(), Description: s.description, Reason: s.reason,
		Notes: s.notes, Simulated: s.simulated, Change: s.change}
	if s.diff == "" {
		return hs
	}
	for _, d := range strings.Split(strings.TrimSuffix(s.diff, "\n"), "\n") {
		class := ""
		switch {
		case strings.HasPrefix(d, "@@"):
			class = "hunk"
		case strings.HasPrefix(d, "-"):
			class = "del"
		case strings.HasPrefix(d, "+"):
			class = "add"
		case strings.HasSuffix(d, "documented=-, actual=+"):
			class = "head"
		}
		hs.Diff = append(hs.Diff, htmlDiffLine{class, d})
	}
	return hs
}

var htmlTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>runbook check: {{.Guides}} guide{{if ne .Guides 1}}s{{end}}, {{.Attention}}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#1f2328;background:#fff}
h1{font-size:1.4em;margin:0 0 .3em}
h2{font-size:1.1em;margin:1.6em 0 .4em}
code,pre,.pos{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d0d7de;vertical-align:middle}
th{background:#f6f8fa;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums;width:3.5em}
td.n.zero{color:#8c959f}
.bar{display:flex;height:12px;min-width:140px;border-radius:3px;overflow:hidden;background:#eaeef2}
.bar span{display:block;height:100%}
.ok{background:#2da44e}.drift{background:#d4a72c}.failed{background:#cf222e}.skipped{background:#8c959f}.manual{background:#0969da}
.badge{display:inline-block;padding:0 6px;border-radius:10px;color:#fff;font-size:12px;font-weight:600}
.change{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;font-weight:600;border:1px solid}
.change.broken{color:#cf222e;border-color:#cf222e;background:#fff}
.change.fixed{color:#1a7f37;border-color:#1a7f37;background:#fff}
.error{color:#cf222e}
.filters{margin:1em 0}
.filters button{font:inherit;margin-right:4px;padding:3px 10px;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;cursor:pointer}
.filters button.on{background:#0969da;color:#fff;border-color:#0969da}
.step{border:1px solid #d0d7de;border-radius:6px;margin:.5em 0;padding:.5em .8em}
.step .why{margin:.2em 0}
pre.diff{background:#f6f8fa;padding:.5em;overflow-x:auto;margin:.4em 0 0}
pre.diff .add{color:#1a7f37;background:#dafbe1}
pre.diff .del{color:#cf222e;background:#ffebe9}
pre.diff .hunk{color:#8250df}
pre.diff .head{font-weight:600}
.hidden{display:none}
.muted{color:#59636e}
td.why{font-size:12.5px;max-width:34em}
td.why a{color:inherit;text-decoration:none}
</style>
</head>
<body>
<h1>runbook check: {{.Guides}} guide{{if ne .Guides 1}}s{{end}}</h1>
<p>{{.Attention}} ·
{{.Total.OK}} ok · {{.Total.Drift}} drift · {{.Total.Failed}} failed · {{.Total.Skipped}} skipped · {{.Total.Manual}} manual · {{.Total.Simulated}} simulated</p>
<div class="bar" title="all steps">{{range .Bar}}<span class="{{.Verdict}}" style="width:{{printf "%.2f" .Percent}}%" title="{{.Count}} {{.Verdict}}"></span>{{end}}</div>
{{if .Changes.Broken}}<p><span class="change broken">newly broken</span> {{range $i, $g := .Changes.Broken}}{{if $i}}, {{end}}<code>{{$g}}</code>{{end}}</p>{{end}}
{{if .Changes.Fixed}}<p><span class="change fixed">newly fixed</span> {{range $i, $g := .Changes.Fixed}}{{if $i}}, {{end}}<code>{{$g}}</code>{{end}}</p>{{end}}
<div class="filters" id="filters">Show:
<button type="button" data-filter="" class="on">all</button>
<button type="button" data-filter="attention">needs attention</button>
<button type="button" data-filter="drift">drift</button>
<button type="button" data-filter="failed">failed</button>
<button type="button" data-filter="skipped">skipped</button>
<button type="button" data-filter="manual">manual</button>
<button type="button" data-filter="broken">newly broken</button>
<button type="button" data-filter="fixed">newly fixed</button>
<button type="button" data-filter="ok-only">all ok</button>
</div>
<table id="guides">
<thead><tr><th>guide</th><th>steps</th><th>ok</th><th>drift</th><th>failed</th><th>skipped</th><th>manual</th><th>simulated</th><th>first problem</th></tr></thead>
<tbody>
{{range .Rows}}<tr data-verdicts="{{.Verdicts}}">
<td><a href="#{{.Anchor}}"><code>{{.Guide}}</code></a>{{if .Title}}<br><span class="muted">{{.Title}}</span>{{end}}</td>
<td><div class="bar">{{range .Bar}}<span class="{{.Verdict}}" style="width:{{printf "%.2f" .Percent}}%" title="{{.Count}} {{.Verdict}}"></span>{{end}}</div></td>
<td class="n{{if not .Summary.OK}} zero{{end}}">{{.Summary.OK}}</td><td class="n{{if not .Summary.Drift}} zero{{end}}">{{.Summary.Drift}}</td><td class="n{{if not .Summary.Failed}} zero{{end}}">{{.Summary.Failed}}</td><td class="n{{if not .Summary.Skipped}} zero{{end}}">{{.Summary.Skipped}}</td><td class="n{{if not .Summary.Manual}} zero{{end}}">{{.Summary.Manual}}</td><td class="n{{if not .Summary.Simulated}} zero{{end}}">{{.Summary.Simulated}}</td>
<td class="why">{{if .Change}}<span class="change {{.Change}}">{{.Change.Label}}</span> {{end}}{{if .Error}}<span class="error">{{.Error}}</span>{{else if .Why}}<a href="#{{.Anchor}}">{{.Why}}</a>{{end}}</td>
</tr>
{{end}}</tbody>
</table>
{{range .Rows}}{{if or .Steps .Error}}
<section class="guide" id="{{.Anchor}}" data-verdicts="{{.Verdicts}}">
<h2><code>{{.Guide}}</code>{{if .Title}} · {{.Title}}{{end}} {{if .Change}}<span class="change {{.Change}}">{{.Change.Label}}</span>{{end}}</h2>
{{if .Error}}<p class="error">{{.Error}}</p>{{end}}
{{range .Steps}}<div class="step" data-verdict="{{.Verdict}}" data-change="{{.Change}}">
<span class="badge {{.Verdict}}">{{.Verdict}}</span> <span class="pos">{{.Pos}}</span> <code>{{.Description}}</code>{{if .Simulated}} <span class="muted">(simulated)</span>{{end}}{{if .Change}} <span class="change {{.Change}}">{{.Change.Label}}</span>{{end}}
{{if .Reason}}<div class="why">{{.Reason}}</div>{{end}}
{{range .Notes}}<div class="why muted">note: {{.}}</div>{{end}}
{{if .Diff}}<pre class="diff">{{range .Diff}}<span class="{{.Class}}">{{.Text}}</span>
{{end}}</pre>{{end}}
</div>
{{end}}</section>
{{end}}{{end}}
<script>
(function(){
  var buttons = document.querySelectorAll('#filters button');
  function matches(verdicts, f){
    var v = ' ' + verdicts + ' ';
    if (f === '') return true;
    if (f === 'attention') return /\s(drift|failed|skipped|error)\s/.test(v);
    if (f === 'ok-only') return !/\s(drift|failed|skipped|error)\s/.test(v);
    return v.indexOf(' ' + f + ' ') >= 0;
  }
  function apply(f){
    document.querySelectorAll('#guides tbody tr, section.guide').forEach(function(el){
      el.classList.toggle('hidden', !matches(el.getAttribute('data-verdicts'), f));
    });
    document.querySelectorAll('section.guide .step').forEach(function(el){
      var show = f === '' || f === 'attention' || f === 'ok-only' ||
        el.getAttribute('data-verdict') === f || el.getAttribute('data-change') === f;
      el.classList.toggle('hidden', !show);
    });
    buttons.forEach(function(b){ b.classList.toggle('on', b.getAttribute('data-filter') === f); });
  }
  buttons.forEach(function(b){ b.addEventListener('click', function(){ apply(b.getAttribute('data-filter')); }); });
})();
</script>
</body>
</html>
`))
