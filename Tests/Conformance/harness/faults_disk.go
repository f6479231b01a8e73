package main

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"google.golang.org/grpc/codes"

	drivers "swiftdriver/proto/drivers"
)

// drillDiskFull: a task whose alloc dir and driver state files sit on a tmpfs that fills to
// 100 %. The plugin must stay up, report the node Unhealthy, refuse new work clearly, and
// still stop the task and report its real exit status.
func drillDiskFull(rep *reporter, opts options, tf *taskFixture) {
	disk, err := mountSmallDisk(64)
	if err != nil {
		rep.skip("disk-full drill skipped: %v", err)
		return
	}
	defer disk.unmount()
	root := filepath.Join(disk.dir, "allocs")
	if !rep.checkErr(os.Mkdir(root, 0o755), "disk-full drill: alloc root on the 64 MiB tmpfs %s", disk.dir) {
		return
	}
	cfg, err := diskPluginConfig(opts.fixtures, disk.dir)
	if !rep.checkErr(err, "disk-full drill: plugin config watching the tmpfs") {
		return
	}
	// This drill is about surviving a full disk; eviction (the disk scenario) would end the task.
	if ev, ok := cfg["eviction"].([]interface{}); ok && len(ev) == 1 {
		if block, ok := ev[0].(map[string]interface{}); ok {
			block["enabled"] = false
		}
	}
	s, err := openSession(rep, opts, cfg)
	if !rep.checkErr(err, "disk-full drill: launch the plugin with the disk watch (eviction off)") {
		return
	}
	defer closeSession(rep, s, "disk-full drill: the plugin")
	_, ok := s.waitHealth(drivers.FingerprintResponse_HEALTHY, 3*time.Second)
	rep.check(ok, "disk-full drill: Healthy while the tmpfs is empty")

	t, err := startTicker(s, root, tf, nil)
	if !rep.checkErr(err, "disk-full drill: start a ticker in an alloc dir on the tmpfs") {
		return
	}
	rep.check(strings.HasPrefix(t.state.StateDirectory, disk.dir+"/") && strings.HasPrefix(t.state.ExitFilePath, disk.dir+"/"),
		"disk-full drill: the driver's state files for the task are on the tmpfs too (%s)", t.state.StateDirectory)
	wait := s.waitTask(t.id())
	rep.check(t.alloc.stdout.waitFor("tick-2", 5*time.Second), "disk-full drill: the task ticks")

	free, err := disk.fillCompletely()
	if !rep.check(err == nil && free == 0, "disk-full drill: the tmpfs is 100 %% full (%d bytes free, %v)", free, err) {
		return
	}
	fp, ok := s.waitHealth(drivers.FingerprintResponse_UNHEALTHY, 3*time.Second)
	rep.check(ok, "disk-full drill: Fingerprint turns Unhealthy (%q)", descOf(fp))
	st, err := inspectState(s, t.id())
	rep.check(err == nil && st == drivers.TaskState_RUNNING, "disk-full drill: the plugin still serves and the task still runs (InspectTask %v, %v)", st, err)
	mark := lastTick(t.alloc.stdout.text())
	rep.check(waitTickAbove(t.alloc.stdout, mark, 3*time.Second) > mark, "disk-full drill: logs still flow to the FIFO (it needs no disk space)")

	// The client has already made the alloc dir and FIFOs (directories and FIFOs need no
	// blocks on tmpfs); the plugin must refuse the task clearly.
	if a2, err := newAllocation(root, "late"); rep.checkErr(err, "disk-full drill: prepare a second alloc dir on the full tmpfs") {
		late, diags := buildTaskConfig(a2, tf, s.taskSpec, nil)
		if !diags.HasErrors() {
			_, err := s.startTask(late)
			rep.check(grpcCode(err) == codes.ResourceExhausted && grpcMessage(err) != "",
				"disk-full drill: StartTask on the full disk is refused with RESOURCE_EXHAUSTED: %s", describeErr(err))
			if err == nil {
				_ = s.stopTask(late.Id, "SIGKILL", time.Second)
				_ = s.destroyTask(late.Id, true)
			}
		}
	}

	stopAndDestroyTicker(rep, s, t, wait, "disk-full drill", ", not a lost one", "FIFO")
	_, err = os.Stat(t.state.StateDirectory)
	rep.check(os.IsNotExist(err), "disk-full drill: DestroyTask removed the task's state directory (%v)", err)
	left := waitGone(3*time.Second, map[int]uint64{t.state.TaskPID: t.state.TaskStartTime, t.state.SupervisorPID: t.state.SupervisorStartTime})
	rep.check(len(left) == 0, "disk-full drill: no task or supervisor process is left (%v)", left)
	rep.checkErr(disk.free(), "disk-full drill: free the tmpfs")
}
