package main

// The "current" scenario: what Nomad 1.7 to 2.0 send and expect beyond Nomad 1.1's protocol,
// read and sent the way those versions do: Driver.Init and Driver.Shutdown (2.0.4+),
// capabilities as plugins/drivers/client.go reads them in 1.11 (group network isolation), the
// cgroup Nomad makes for a task (LinuxResources.cpuset_cgroup, 1.7+) and the group network
// namespace of `network { mode = "bridge" }`. The cgroups and the namespace are made here the
// way Nomad's client makes them, under names of the harness's own.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/golang/protobuf/ptypes"

	drivers "swiftdriver/proto/drivers"
)

func runCurrent(rep *reporter, opts options) {
	root, err := os.MkdirTemp("", "swift-conformance-current-")
	if !rep.checkErr(err, "create a temporary alloc root") {
		return
	}
	defer os.RemoveAll(root)

	s, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "launch, SetConfig, streams open") {
		return
	}
	socket := ""
	if rc := s.plugin.client.ReattachConfig(); rc != nil && rc.Addr != nil {
		socket = rc.Addr.String()
	}

	rep.checkErr(s.call("Init", &drivers.InitRequest{}, &drivers.InitResponse{}, 5*time.Second),
		"Driver.Init answers OK, as Nomad 2.0.4+ calls it after dispensing the plugin")

	var caps drivers.CapabilitiesResponse
	if rep.checkErr(s.call("Capabilities", &drivers.CapabilitiesRequest{}, &caps, 10*time.Second), "Capabilities answers") && caps.Capabilities != nil {
		modes := map[drivers.NetworkIsolationSpec_NetworkIsolationMode]bool{}
		for _, m := range caps.Capabilities.NetworkIsolationModes {
			modes[m] = true
		}
		rep.check(modes[drivers.NetworkIsolationSpec_HOST] && modes[drivers.NetworkIsolationSpec_GROUP],
			"network isolation modes include host and group (a bridge-mode group is refused without group): %v", caps.Capabilities.NetworkIsolationModes)
		rep.check(!caps.Capabilities.MustCreateNetwork, "must_create_network is false: Nomad makes the group's namespace itself")
	}

	checkNomadCgroup(rep, s, root, opts)
	checkGroupNetwork(rep, s, root, opts)
	checkShutdownLeavesTasks(rep, s, root, opts, socket)
}

// startCurrentTask starts a fixture task with the given changes to its TaskConfig.
func startCurrentTask(rep *reporter, s *session, root string, opts options, file string, adjust func(*allocation, *drivers.TaskConfig)) (*allocation, *drivers.TaskConfig, int, bool) {
	tf, err := loadTaskFixture(filepath.Join(opts.fixtures, "task", "valid", file))
	if !rep.checkErr(err, "load task fixture %s", file) {
		return nil, nil, 0, false
	}
	a, err := newAllocation(root, tf.name)
	if !rep.checkErr(err, "create alloc dir for %s", tf.name) {
		return nil, nil, 0, false
	}
	cfg, diags := buildTaskConfig(a, tf, s.taskSpec, nil)
	if !rep.check(!diags.HasErrors(), "task %s decodes%s", tf.name, diagSuffix(diagText(diags))) {
		return nil, nil, 0, false
	}
	adjust(a, cfg)
	resp, err := s.startTask(cfg)
	if !rep.checkErr(err, "StartTask %s", tf.name) {
		return nil, nil, 0, false
	}
	return a, cfg, handlePID(resp), true
}

// handlePID is the task's pid from the driver_state a StartTask handle carries.
func handlePID(resp *drivers.StartTaskResponse) int {
	var state struct {
		TaskPID int `json:"taskPID"`
	}
	if resp == nil || resp.Handle == nil || json.Unmarshal(resp.Handle.DriverState, &state) != nil {
		return 0
	}
	return state.TaskPID
}

// cgroupOf is the cgroup of pid in the hierarchy whose /proc/<pid>/cgroup line matches.
func cgroupOf(pid int, controller string) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", pid))
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		if controller == "" && f[0] == "0" && f[1] == "" {
			return f[2]
		}
		for _, c := range strings.Split(f[1], ",") {
			if c == controller && controller != "" {
				return f[2]
			}
		}
	}
	return ""
}

func readTrimmed(path string) string {
	b, _ := os.ReadFile(path)
	return strings.TrimSpace(string(b))
}

// checkNomadCgroup makes the layout Nomad 1.7+'s client makes for a task sharing cores (cgroup
// v2: nomad.slice/share.slice/<alloc>.<task>.scope; v1: cpuset/nomad/share), under a parent
// of the harness's own, and checks the task runs there with its memory limit.
func checkNomadCgroup(rep *reporter, s *session, root string, opts options) {
	if os.Geteuid() != 0 {
		rep.skip("cgroup placement: making cgroups needs root")
		return
	}
	parent := "swift-conformance-" + randomHex(3)
	var made []string
	defer func() {
		for i := len(made) - 1; i >= 0; i-- {
			_ = os.Remove(made[i])
		}
	}()
	mkdir := func(p string) bool {
		if err := os.Mkdir(p, 0o755); err != nil && !os.IsExist(err) {
			return false
		}
		made = append(made, p)
		return true
	}
	var st syscall.Statfs_t
	v2 := syscall.Statfs("/sys/fs/cgroup", &st) == nil && st.Type == 0x63677270
	var cpusetPath, memoryDir string
	var scopeName string
	adjust := func(a *allocation, cfg *drivers.TaskConfig) {
		scopeName = a.allocID + "." + a.task
		cfg.Resources.LinuxResources.MemoryLimitBytes = 96 << 20
		cfg.Resources.AllocatedResources.Memory.MemoryMb = 96
		if v2 {
			cpusetPath = filepath.Join("/sys/fs/cgroup", parent+".slice", "share.slice", scopeName+".scope")
			memoryDir = cpusetPath
		} else {
			memoryDir = filepath.Join("/sys/fs/cgroup/memory", parent, scopeName)
		}
		cfg.Resources.LinuxResources.CpusetCgroup = cpusetPath
	}
	if v2 {
		base := filepath.Join("/sys/fs/cgroup", parent+".slice")
		_ = os.WriteFile("/sys/fs/cgroup/cgroup.subtree_control", []byte("+memory +cpu"), 0o644)
		if !mkdir(base) || !mkdir(filepath.Join(base, "share.slice")) {
			rep.fail("cannot make the cgroup v2 layout under %s", base)
			return
		}
		_ = os.WriteFile(filepath.Join(base, "cgroup.subtree_control"), []byte("+memory +cpu"), 0o644)
		_ = os.WriteFile(filepath.Join(base, "share.slice", "cgroup.subtree_control"), []byte("+memory +cpu"), 0o644)
	} else {
		base := filepath.Join("/sys/fs/cgroup/cpuset", parent)
		cpusetPath = filepath.Join(base, "share")
		if !mkdir(base) || !mkdir(cpusetPath) {
			rep.skip("cgroup placement: no writable cgroup v1 cpuset hierarchy at /sys/fs/cgroup/cpuset")
			return
		}
		for _, dir := range []string{base, cpusetPath} {
			for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
				_ = os.WriteFile(filepath.Join(dir, f), []byte(readTrimmed(filepath.Join("/sys/fs/cgroup/cpuset", f))), 0o644)
			}
		}
	}
	_, cfg, pid, ok := startCurrentTask(rep, s, root, opts, "sleeper.hcl", adjust)
	if !ok {
		return
	}
	if !v2 {
		for _, c := range []string{"freezer", "cpu", "memory"} {
			made = append(made, filepath.Join("/sys/fs/cgroup", c, parent), filepath.Join("/sys/fs/cgroup", c, parent, scopeName))
		}
	} else {
		made = append(made, cpusetPath)
	}
	if v2 {
		rep.check(cgroupOf(pid, "") == strings.TrimPrefix(cpusetPath, "/sys/fs/cgroup"),
			"the task runs in the cgroup v2 scope Nomad chose (%s): /proc/%d/cgroup says %q", cpusetPath, pid, cgroupOf(pid, ""))
		rep.check(readTrimmed(filepath.Join(memoryDir, "memory.max")) == strconv.Itoa(96<<20), "memory.max of the scope is the task's limit (%s)", readTrimmed(filepath.Join(memoryDir, "memory.max")))
	} else {
		rep.check(cgroupOf(pid, "cpuset") == "/"+parent+"/share", "the task runs in the cpuset cgroup Nomad chose: %q", cgroupOf(pid, "cpuset"))
		rep.check(cgroupOf(pid, "memory") == "/"+parent+"/"+scopeName, "the task runs in its own memory cgroup under Nomad's parent: %q", cgroupOf(pid, "memory"))
		rep.check(readTrimmed(filepath.Join(memoryDir, "memory.limit_in_bytes")) == strconv.Itoa(96<<20),
			"memory.limit_in_bytes is the task's limit (%s)", readTrimmed(filepath.Join(memoryDir, "memory.limit_in_bytes")))
	}
	var ex drivers.ExecTaskResponse
	err := s.call("ExecTask", &drivers.ExecTaskRequest{TaskId: cfg.Id, Command: []string{"cat", "/proc/self/cgroup"}, Timeout: ptypes.DurationProto(10 * time.Second)}, &ex, 20*time.Second)
	if rep.checkErr(err, "ExecTask into the task") && ex.Result != nil {
		want := "/" + parent + "/share"
		if v2 {
			want = strings.TrimPrefix(cpusetPath, "/sys/fs/cgroup")
		}
		rep.check(strings.Contains(string(ex.Stdout), want), "the exec session runs in the task's cgroup too (%s)", strings.ReplaceAll(strings.TrimSpace(string(ex.Stdout)), "\n", "; "))
	}
	_ = s.stopTask(cfg.Id, "SIGKILL", time.Second)
	_ = s.destroyTask(cfg.Id, true)
}

// checkGroupNetwork makes a network namespace as Nomad does for a bridge-mode group and sends
// its path in network_isolation_spec: the task and an exec session into it must run there.
func checkGroupNetwork(rep *reporter, s *session, root string, opts options) {
	if os.Geteuid() != 0 {
		rep.skip("group network: network namespaces need root")
		return
	}
	name := "swconf-" + randomHex(3)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		rep.fail("ip netns add %s: %v %s", name, err, strings.TrimSpace(string(out)))
		return
	}
	defer func() { _ = exec.Command("ip", "netns", "del", name).Run() }()
	path := "/var/run/netns/" + name
	var st syscall.Stat_t
	if !rep.checkErr(syscall.Stat(path, &st), "stat %s", path) {
		return
	}
	want := fmt.Sprintf("net:[%d]", st.Ino)
	a, cfg, _, ok := startCurrentTask(rep, s, root, opts, "reports-netns.hcl", func(_ *allocation, cfg *drivers.TaskConfig) {
		cfg.NetworkIsolationSpec = &drivers.NetworkIsolationSpec{Mode: drivers.NetworkIsolationSpec_GROUP, Path: path}
	})
	if !ok {
		return
	}
	rep.check(a.stdout.waitFor(want, 5*time.Second), "the task runs in the group's network namespace (%s)", want)
	var ex drivers.ExecTaskResponse
	err := s.call("ExecTask", &drivers.ExecTaskRequest{TaskId: cfg.Id, Command: []string{"readlink", "/proc/self/ns/net"}, Timeout: ptypes.DurationProto(10 * time.Second)}, &ex, 20*time.Second)
	if rep.checkErr(err, "ExecTask readlink /proc/self/ns/net") {
		rep.check(strings.TrimSpace(string(ex.Stdout)) == want, "the exec session runs in the same namespace (%q)", strings.TrimSpace(string(ex.Stdout)))
	}
	_ = s.stopTask(cfg.Id, "SIGKILL", time.Second)
	_ = s.destroyTask(cfg.Id, true)
}

// checkShutdownLeavesTasks calls Driver.Shutdown as Nomad 2.0.4+ does before it stops the plugin:
// the plugin must answer OK, then exit by itself within go-plugin's 2 s grace after the
// controller's Shutdown, remove its socket directory, and leave the running task alone.
func checkShutdownLeavesTasks(rep *reporter, s *session, root string, opts options, socket string) {
	tf, err := loadTaskFixture(filepath.Join(opts.fixtures, "task", "valid", "sleeper.hcl"))
	if !rep.checkErr(err, "load task fixture sleeper.hcl") {
		return
	}
	a, err := newAllocation(root, tf.name)
	if !rep.checkErr(err, "create alloc dir") {
		return
	}
	cfg, diags := buildTaskConfig(a, tf, s.taskSpec, nil)
	if !rep.check(!diags.HasErrors(), "sleeper decodes") {
		return
	}
	// Not tracked by the session: the session's close would stop it, and the point is that it
	// outlives the plugin.
	var started drivers.StartTaskResponse
	if !rep.checkErr(s.call("StartTask", &drivers.StartTaskRequest{Task: cfg}, &started, 30*time.Second), "StartTask before Shutdown") {
		return
	}
	pid := handlePID(&started)
	rep.checkErr(s.call("Shutdown", &drivers.ShutdownRequest{}, &drivers.ShutdownResponse{}, 2*time.Second),
		"Driver.Shutdown answers OK within Nomad's 2 s")
	begun := time.Now()
	s.finish(rep, "after Driver.Shutdown the plugin exits by itself after GRPCController/Shutdown", "every stderr line is hclog JSON")
	rep.check(time.Since(begun) < 2*time.Second, "the plugin was gone %s after the controller's Shutdown (go-plugin kills it at 2 s)", time.Since(begun).Round(time.Millisecond))
	if socket != "" {
		_, err := os.Stat(filepath.Dir(socket))
		rep.check(os.IsNotExist(err), "the socket directory %s is removed", filepath.Dir(socket))
	}
	rep.check(pid > 0 && processAlive(pid), "the task (pid %d) still runs after Shutdown and the plugin's exit", pid)
	if pid > 0 {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}
