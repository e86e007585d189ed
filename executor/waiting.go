package executor

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// readState says whether the foreground job is blocked reading the terminal.
type readState int

const (
	notReading readState = iota
	reading
	unknownRead // /proc could not tell; silence is the only evidence left
)

// readSyscalls are the system calls that block on a terminal read.
var readSyscalls = map[int]bool{unix.SYS_READ: true, unix.SYS_READV: true, unix.SYS_PREAD64: true}

// pollSyscalls wait for input on several descriptors; readline and REPLs use them.
var pollSyscalls = map[int]bool{unix.SYS_PSELECT6: true, unix.SYS_PPOLL: true}

func init() {
	for _, nr := range extraPollSyscalls {
		pollSyscalls[nr] = true
	}
}

// foreground returns the terminal's foreground process group.
func foreground(master int) (int, error) {
	return unix.IoctlGetInt(master, unix.TIOCGPGRP)
}

// groupMembers lists the processes of a process group, by scanning /proc.
func groupMembers(pgid int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if g, ok := procGroup(pid); ok && g == pgid {
			pids = append(pids, pid)
		}
	}
	return pids
}

// procStat returns a process's state letter and process group from /proc/PID/stat.
func procStat(pid int) (state byte, pgrp int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 {
		return 0, 0, false
	}
	g, err := strconv.Atoi(f[2])
	if err != nil || len(f[0]) != 1 {
		return 0, 0, false
	}
	return f[0][0], g, true
}

// groupCPU is the CPU time the processes of a process group have used so
// far, in clock ticks (utime and stime of /proc/PID/stat), and whether one
// of them is running or waiting for the disk right now (state R or D);
// ticks is -1 when /proc cannot tell.
func groupCPU(pgid int) (ticks int64, active bool) {
	pids := groupMembers(pgid)
	if len(pids) == 0 {
		return -1, false
	}
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue // it has gone
		}
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			return -1, false
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 13 {
			return -1, false
		}
		active = active || f[0] == "R" || f[0] == "D"
		for _, v := range f[11:13] { // utime, stime
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return -1, false
			}
			ticks += n
		}
	}
	return ticks, active
}

func procGroup(pid int) (int, bool) {
	_, g, ok := procStat(pid)
	return g, ok
}

// waitingForInput reports whether some process of the terminal's foreground
// job is blocked reading the terminal: in read(2) on a tty descriptor, or
// asleep in the tty driver's read. It is asked only after the output has
// gone quiet, never per chunk.
func waitingForInput(master int) (readState, int) {
	pgid, err := foreground(master)
	if err != nil || pgid <= 0 {
		return unknownRead, 0
	}
	pids := groupMembers(pgid)
	if len(pids) == 0 {
		return unknownRead, pgid
	}
	state := notReading
	for _, pid := range pids {
		switch processReading(pid) {
		case reading:
			return reading, pgid
		case unknownRead:
			state = unknownRead
		}
	}
	return state, pgid
}

// processReading classifies one process by its wchan and current system call.
func processReading(pid int) readState {
	st, _, ok := procStat(pid)
	if !ok {
		return notReading // it has gone
	}
	if st != 'S' {
		return notReading
	}
	dir := "/proc/" + strconv.Itoa(pid)
	wchan, werr := os.ReadFile(dir + "/wchan")
	sc, serr := os.ReadFile(dir + "/syscall")
	if werr != nil && serr != nil {
		return unknownRead
	}
	if w := string(wchan); w == "n_tty_read" || w == "wait_woken" && serr != nil {
		return reading
	}
	f := strings.Fields(string(sc))
	if len(f) == 1 && f[0] == "running" {
		return notReading
	}
	if len(f) < 2 {
		if werr == nil && string(wchan) != "0" {
			return notReading
		}
		return unknownRead
	}
	nr, err := strconv.Atoi(f[0])
	if err != nil {
		return notReading
	}
	switch {
	case readSyscalls[nr]:
		fd, err := strconv.ParseInt(strings.TrimPrefix(f[1], "0x"), 16, 32)
		if err == nil && isTTY(dir, int(fd)) {
			return reading
		}
	case pollSyscalls[nr]:
		// A REPL at its prompt waits in select or poll with no timeout and the
		// terminal on stdin; a server's poll loop has a timeout or no terminal.
		if waitsForever(nr, f) && isTTY(dir, 0) {
			return reading
		}
	}
	return notReading
}

// isTTY reports whether a process's descriptor is a terminal.
func isTTY(procDir string, fd int) bool {
	target, err := os.Readlink(filepath.Join(procDir, "fd", strconv.Itoa(fd)))
	if err != nil {
		return false
	}
	return strings.HasPrefix(target, "/dev/pts/") || target == "/dev/tty" ||
		strings.HasPrefix(target, "/dev/tty") || target == "/dev/console" || target == "/dev/ptmx"
}

// waitsForever reports whether a select or poll call has no timeout.
func waitsForever(nr int, f []string) bool {
	arg := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	switch nr {
	case unix.SYS_PSELECT6:
		return arg(5) == "0x0"
	case unix.SYS_PPOLL:
		return arg(3) == "0x0"
	}
	return waitsForeverLegacy(nr, arg)
}
