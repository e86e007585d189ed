package executor

// PromptMatches reports whether a terminal line (escape sequences and all)
// shows the prompt the guide documents for an answer, by the rules runbook
// answers by: so that `learn`, which types a step's answers in a shell it
// does not run through Shell, recognises the same prompts.
func PromptMatches(line, documented string) bool {
	return promptMatches([]byte(line), documented)
}
