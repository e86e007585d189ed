package params

import (
	"regexp"
	"strings"

	runbook "github.com/runbookdev/runbook"
)

// A placeholder that occurs only in the steps of a file included more than
// once ("<port>" in the web-backend include, read once for the homeserver
// and once for the sliding-sync proxy) stands for a different value at each
// inclusion. Detect makes one param per inclusion: the first keeps the
// placeholder's name ("port"), the others get "-2", "-3", ... ("port-2"), in
// the order the includes are read. Each takes as its default Value what the
// paragraph right before its include directive names for the placeholder's
// words ("… the listener on port 8008." gives 8008), else its Example.

// inclusionScopes returns, for each placeholder example that is split, the
// include instances (Header.Inclusion) it occurs in, in reading order.
func inclusionScopes(g *runbook.Guide, sp []span, ps []runbook.Param) map[string][]int {
	if len(g.Inclusions) < 2 {
		return nil
	}
	out := map[string][]int{}
	for _, p := range ps {
		if !splittable(p) || out[p.Example] != nil {
			continue
		}
		if scope := splitScope(g, sp, p.Example); scope != nil {
			out[p.Example] = scope
		}
	}
	return out
}

// splittable reports whether a param can be one per inclusion: a
// placeholder that is not a secret (one value however often it is typed).
// SERVICE is split by program instead (see service).
func splittable(p runbook.Param) bool {
	return p.Kind == runbook.ParamPlaceholder && !p.Secret && !p.Local && p.Example != ""
}

// splitScope returns the include instances example occurs in when every
// occurrence is in the steps of one include file and that file's text was
// read at least twice; nil otherwise.
func splitScope(g *runbook.Guide, sp []span, example string) []int {
	var scope []int
	seen := map[int]bool{}
	file := ""
	for _, s := range sp {
		if !hasToken(s.text, example) {
			continue
		}
		k := g.Steps[s.step].Head().Inclusion
		if k <= 0 || k > len(g.Inclusions) {
			return nil
		}
		f := g.Inclusions[k-1].File
		if file != "" && f != file {
			return nil
		}
		file = f
		if !seen[k] {
			seen[k] = true
			scope = append(scope, k)
		}
	}
	if len(scope) < 2 {
		return nil
	}
	return scope
}

// splitInclusions replaces each split placeholder param by one param per
// inclusion, keeping the order of d.ps; it runs after uses, so each new
// param gets the uses and steps of its own inclusion.
func (d *detector) splitInclusions(g *runbook.Guide, sp []span) {
	scopes := inclusionScopes(g, sp, d.ps)
	if len(scopes) == 0 {
		return
	}
	var ps []runbook.Param
	var steps []map[int]bool
	for i, p := range d.ps {
		scope := scopes[p.Example]
		if scope == nil {
			ps, steps = append(ps, p), append(steps, d.steps[i])
			continue
		}
		for n, k := range scope {
			q := p
			if n > 0 {
				q.Name = d.unique(p.Name)
			}
			q.Default = inclusionDefault(g, k, p)
			q.Value = orExample(q.Default, p.Example)
			q.Uses, q.Derived = nil, ""
			own := map[int]bool{}
			for _, s := range sp {
				if g.Steps[s.step].Head().Inclusion != k {
					continue
				}
				for c := countToken(s.text, p.Example); c > 0; c-- {
					q.Uses = append(q.Uses, runbook.Pos{File: stepFile(g, s.step), Line: s.line})
				}
				if d.steps[i][s.step] {
					own[s.step] = true
				}
			}
			ps, steps = append(ps, q), append(steps, own)
		}
	}
	d.ps, d.steps = ps, steps
	d.byExample = map[string]int{}
	for i := len(d.ps) - 1; i >= 0; i-- {
		if ex := d.ps[i].Example; ex != "" {
			d.byExample[ex] = i
		}
	}
}

// inclusionDefault is the value the paragraph before inclusion k names for
// a split placeholder, or "" when it names none.
func inclusionDefault(g *runbook.Guide, k int, p runbook.Param) string {
	if v := proseValue(g.Inclusions[k-1].Prose, p.Example); v != p.Example {
		return v
	}
	return ""
}

// orExample returns v, or the example when v is empty.
func orExample(v, example string) string {
	if v == "" {
		return example
	}
	return v
}

// proseValueRe finds a value written after words: "port 8008", "port: 8008",
// "port is 8008", "port “8008“".
const proseValueRe = `(?:\s*[:=]\s*|\s+(?:is\s+|of\s+)?)(?:(\d+)\b|` + "``([^`]+)``" + `)`

// proseValue returns the value that prose names for a placeholder's words
// ("on port 8008" for <port>), else the placeholder itself.
func proseValue(prose, example string) string {
	words := strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(strings.Trim(example, "<>")))
	if prose == "" || len(words) == 0 {
		return example
	}
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	re, err := regexp.Compile(`(?i)(?:^|\W)` + strings.Join(words, `[\s_-]+`) + proseValueRe)
	if err != nil {
		return example
	}
	m := re.FindStringSubmatch(prose)
	switch {
	case m == nil:
		return example
	case m[1] != "":
		return m[1]
	default:
		return strings.TrimSpace(m[2])
	}
}

// inclusionParams returns, per include instance, the params that apply to
// its steps: of the params split from one placeholder, only the one for
// that inclusion (the first one for any other step, where the placeholder
// does not occur). The split is found again from the guide, and the params
// of one example are matched to its inclusions in order; when their number
// differs (a params list not made by Detect) nothing is split. The int
// returned with the params is k when they are particular to k, else 0, so
// callers build one replacer for all the steps that share the params.
func inclusionParams(g *runbook.Guide, ps []runbook.Param) func(k int) ([]runbook.Param, int) {
	scopes := inclusionScopes(g, spans(g), ps)
	byExample := map[string][]int{}
	for i, p := range ps {
		if scopes[p.Example] != nil {
			byExample[p.Example] = append(byExample[p.Example], i)
		}
	}
	drop := map[int]map[int]bool{} // inclusion → indexes of ps left out
	for ex, idx := range byExample {
		scope := scopes[ex]
		if len(idx) != len(scope) {
			continue
		}
		for n, k := range scope {
			if drop[k] == nil {
				drop[k] = map[int]bool{}
			}
			for m, i := range idx {
				if m != n {
					drop[k][i] = true
				}
			}
		}
		for m, i := range idx {
			if m > 0 {
				if drop[0] == nil {
					drop[0] = map[int]bool{}
				}
				drop[0][i] = true
			}
		}
	}
	return func(k int) ([]runbook.Param, int) {
		d := drop[k]
		if d == nil {
			d, k = drop[0], 0
		}
		if d == nil {
			return ps, 0
		}
		out := make([]runbook.Param, 0, len(ps))
		for i, p := range ps {
			if !d[i] {
				out = append(out, p)
			}
		}
		return out, k
	}
}
