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
		state, ppid, ok := procStateAndParent(child)
		if ok && ppid == pid {
			u.children++
			if state == 'Z' {
				u.zombies++
			}
		}
	}
	return u, nil
}

// procStateAndParent reads the state letter and parent pid from /proc/<pid>/stat.
func procStateAndParent(pid int) (state byte, ppid int, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, false
	}
	// The command name may hold spaces and parentheses; the fields start after the last ")".
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, 0, false
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 2 {
		return 0, 0, false
	}
	ppid, err = strconv.Atoi(fields[1])
	if err != nil || len(fields[0]) != 1 {
		return 0, 0, false
	}
	return fields[0][0], ppid, true
}
