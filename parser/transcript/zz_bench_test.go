package transcript

import "testing"

func BenchmarkParsePrompt(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		parsePrompt("[isabell@stardust ~]$ pip3.9 install --user matrix-synapse")
	}
}
