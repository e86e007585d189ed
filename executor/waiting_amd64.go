package executor

import "golang.org/x/sys/unix"

// extraPollSyscalls are the architecture's older select and poll calls.
var extraPollSyscalls = []int{unix.SYS_SELECT, unix.SYS_POLL}

// waitsForeverLegacy reads the timeout of select(2) and poll(2).
func waitsForeverLegacy(nr int, arg func(int) string) bool {
	switch nr {
	case unix.SYS_SELECT:
		return arg(5) == "0x0"
	case unix.SYS_POLL:
		t := arg(3)
		return t == "0xffffffff" || t == "0xffffffffffffffff"
	}
	return false
}
