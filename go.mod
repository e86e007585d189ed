module github.com/runbookdev/runbook

go 1.26
