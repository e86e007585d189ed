package transcript

// heredoc is one "<<WORD" (or <<-WORD, <<'WORD', << "WORD") in a command.
type heredoc struct {
	word  string
	strip bool // <<- : bash strips leading tabs from the body
}

// scanner walks shell text tracking quotes and comments, which is all that
// is needed to find heredocs and unclosed quotes the way bash would.
type scanner struct {
	s      string
	i      int
	quote  byte // 0, '\'' or '"'
	inComm bool
}

// step advances over one byte and reports whether it is live shell syntax
// (outside quotes, escapes and comments).
func (sc *scanner) step() bool {
	c := sc.s[sc.i]
	sc.i++
	switch {
	case sc.inComm:
		if c == '\n' {
			sc.inComm = false
		}
		return false
	case sc.quote == '\'':
		if c == '\'' {
			sc.quote = 0
		}
		return false
	case c == '\\' && sc.quote != '\'':
		if sc.i < len(sc.s) {
			sc.i++
		}
		return false
	case sc.quote == '"':
		if c == '"' {
			sc.quote = 0
		}
		return false
	case c == '\'' || c == '"':
		sc.quote = c
		return false
	case c == '#' && (sc.i == 1 || isBlank(sc.s[sc.i-2])):
		sc.inComm = true
		return false
	}
	return true
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&'
}

// heredocDelims lists the heredocs a command opens, in order.
func heredocDelims(cmd string) []heredoc {
	var hs []heredoc
	sc := scanner{s: cmd}
	for sc.i < len(sc.s) {
		at := sc.i
		if !sc.step() || cmd[at] != '<' || at+1 >= len(cmd) || cmd[at+1] != '<' {
			continue
		}
		if at+2 < len(cmd) && cmd[at+2] == '<' { // <<< here-string
			sc.i = at + 3
			continue
		}
		h, end, ok := readDelim(cmd, at+2)
		if ok {
			hs = append(hs, h)
		}
		sc.i = end
	}
	return hs
}

// readDelim reads the delimiter word after "<<" at i: an optional "-",
// blanks, and a word that may be quoted.
func readDelim(s string, i int) (heredoc, int, bool) {
	var h heredoc
	if i < len(s) && s[i] == '-' {
		h.strip = true
		i++
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	var q byte
	if i < len(s) && (s[i] == '\'' || s[i] == '"') {
		q = s[i]
		i++
	}
	start := i
	for i < len(s) && (isWordChar(s[i]) || (q != 0 && s[i] != q && s[i] != '\n')) {
		i++
	}
	h.word = s[start:i]
	if q != 0 && i < len(s) && s[i] == q {
		i++
	}
	if h.word == "" || !(h.word[0] == '_' || h.word[0] >= 'A' && h.word[0] <= 'Z' || h.word[0] >= 'a' && h.word[0] <= 'z') {
		return h, i, false
	}
	return h, i, true
}

func isWordChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// openQuoteAfter reports whether shell text leaves a quote open at its end.
func openQuoteAfter(s string) bool {
	sc := scanner{s: s}
	for sc.i < len(sc.s) {
		sc.step()
	}
	return sc.quote != 0
}
