package sandbox

import "fmt"

// MissingError says a program the sandbox needs is not installed.
type MissingError struct {
	Program string // the command, e.g. "bwrap"
	Package string // the Debian package that has it, e.g. "bubblewrap"
}

// Error renders the message, with the command that installs the package.
func (e *MissingError) Error() string {
	return fmt.Sprintf("the sandbox needs %s, which is not installed: apt-get install %s "+
		"(or pass --no-sandbox to run on this host for real)", e.Program, e.Package)
}
