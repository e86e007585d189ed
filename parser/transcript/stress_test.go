package transcript

import (
	"strings"
	"testing"
)

// BenchmarkPathological parses blocks built to hit the slow paths: many
// heredocs, open quotes, weak answer chains, long lines, prompt floods.
func BenchmarkPathological(b *testing.B) {
	inputs := map[string]string{
		"heredocs":   strings.Repeat("[a@b c]$ cat <<A <<B <<C\nx\nA\n", 3000),
		"unterm":     strings.Repeat("[a@b c]$ cat <<A <<B <<C\nx\n", 3000),
		"quotes":     strings.Repeat("[a@b c]$ echo \"x\n", 3000),
		"weak":       "[a@b c]$ x\n" + strings.Repeat("Email address:\n", 20000) + "Password:\n",
		"longline":   "[a@b c]$ " + strings.Repeat("a<<b ", 50000) + "\n",
		"longout":    "[a@b c]$ x\n" + strings.Repeat("(y/n) [y] ", 20000) + "\n",
		"prompts":    strings.Repeat("[a@b c]$ x \\\n", 20000),
		"ps2":        strings.Repeat("[a@b c]$ for x in y; do\n> y\n", 5000),
		"bareprompt": strings.Repeat("$ x\n# y\n", 10000),
		"repl":       "[a@b c]$ python\n" + strings.Repeat(">>> if x:\n...     y\n...\n", 5000),
	}
	for name, in := range inputs {
		lines := strings.Split(in, "\n")
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				IsSession(lines)
				Parse("f", 1, "", lines)
			}
		})
	}
}
