// Package runbook holds the model that every stage shares: a Guide parsed
// from an install guide, its Steps, Params and Diagnostics, and the Outcome and
// Verdict of running and checking each step. It does no I/O, so that the
// parser, executor, verifier and report writers can all depend on it.
package runbook
