package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// procUsage is what the load scenario watches of the plugin process: resources that leak
// one by one per task (descriptors, unreaped children) and memory.
type procUsage struct {
	fds      int // entries in /proc/<pid>/fd
	rssKiB   int // VmRSS
	threads  int // Threads in /proc/<pid>/status
	children int // processes whose parent is the plugin (supervisors), zombies included
	zombies  int // of those, the ones in state Z (exited, not reaped)
}

func (u procUsage) String() string {
	return fmt.Sprintf("fds=%d rss=%d KiB threads=%d children=%d zombies=%d", u.fds, u.rssKiB, u.threads, u.children, u.zombies)
}

// measureProcess reads the figures from /proc; an error means the process is gone.
func measureProcess(pid int) (procUsage, error) {
	var u procUsage
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return u, err
	}
	u.fds = len(fds)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		switch fields[0] {
		case "VmRSS:":
			u.rssKiB, _ = strconv.Atoi(fields[1])
		case "Threads:":
			u.threads, _ = strconv.Atoi(fields[1])
		}
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return u, err
	}
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		p, ok := readProc(child)
		if ok && p.ppid == pid {
			u.children++
			if p.state == 'Z' {
				u.zombies++
			}
		}
	}
	return u, nil
}

// procInfo is what /proc/<pid>/stat says about a process.
type procInfo struct {
	state     byte
	ppid      int
	startTime uint64
}

// readProc reads /proc/<pid>/stat; false when the process is gone or the line is not understood.
func readProc(pid int) (procInfo, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procInfo{}, false
	}
	// The command name may hold spaces and parentheses; the fields start after the last ")".
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 || len(f[0]) != 1 {
		return procInfo{}, false
	}
	ppid, err1 := strconv.Atoi(f[1])
	start, err2 := strconv.ParseUint(f[19], 10, 64)
	if err1 != nil || err2 != nil {
		return procInfo{}, false
	}
	return procInfo{state: f[0][0], ppid: ppid, startTime: start}, true
}
