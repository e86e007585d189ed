//go:build !amd64

package executor

// extraPollSyscalls is empty where select and poll exist only as pselect6 and ppoll.
var extraPollSyscalls []int

func waitsForeverLegacy(int, func(int) string) bool { return false }
