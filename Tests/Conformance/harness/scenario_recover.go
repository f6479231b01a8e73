package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/golang/protobuf/proto"

	drivers "swiftdriver/proto/drivers"
)

var tickPattern = regexp.MustCompile(`tick-(\d+)`)

// lastTick returns the highest tick number in the log so far.
func lastTick(text string) int {
	best := 0
	for _, m := range tickPattern.FindAllStringSubmatch(text, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n > best {
			best = n
		}
	}
	return best
}

// waitTickAbove waits for a tick greater than n.
func waitTickAbove(f *fifoLog, n int, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if t := lastTick(f.text()); t > n {
			return t
		}
		time.Sleep(50 * time.Millisecond)
	}
	return lastTick(f.text())
}

// runRecover kills the plugin with SIGKILL while a task runs, launches a new plugin and
// recovers the task from the stored handle the way the task runner does after a plugin crash.
func runRecover(rep *reporter, opts options) {
	root, err := os.MkdirTemp("", "swift-conformance-")
	if !rep.checkErr(err, "create a temporary alloc root") {
		return
	}
	defer os.RemoveAll(root)

	first, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "launch the first plugin") {
		return
	}
	a, err := newAllocation(root, "counter")
	if !rep.checkErr(err, "create alloc dir and FIFOs") {
		first.close()
		return
	}
	tf, err := loadTaskFixture(filepath.Join(opts.fixtures, "task", "valid", "counter.hcl"))
	if !rep.checkErr(err, "load task fixture counter.hcl") {
		first.close()
		return
	}
	cfg, diags := buildTaskConfig(a, tf, first.taskSpec, nil)
	if !rep.check(!diags.HasErrors(), "job config decodes%s", diagSuffix(diagText(diags))) {
		first.close()
		return
	}
	resp, err := first.startTask(cfg)
	if !rep.checkErr(err, "StartTask %s", cfg.Id) || resp.Handle == nil {
		rep.fail("no handle returned")
		first.close()
		return
	}
	// The client keeps the handle it was given; after an agent restart the raw driver config
	// is gone from it (an unexported field in Nomad's Go struct), so recover without it.
	stored := proto.Clone(resp.Handle).(*drivers.TaskHandle)
	if stored.Config != nil {
		stored.Config.MsgpackDriverConfig = nil
	}
	firstWait := first.waitTask(cfg.Id)
	before := waitTickAbove(a.stdout, 2, 5*time.Second)
	rep.check(before > 2, "task ticks into the stdout FIFO before the crash (tick-%d)", before)

	oldPid := first.plugin.pid()
	rep.checkErr(first.plugin.killHard(), "kill -9 the plugin (pid %d)", oldPid)
	first.cancel()
	select {
	case r := <-firstWait:
		rep.check(r.err != nil, "the old WaitTask fails when the plugin dies (%s)", describeErr(r.err))
	case <-time.After(5 * time.Second):
		rep.fail("the old WaitTask did not end within 5 s of the plugin's death")
	}
	during := waitTickAbove(a.stdout, before, 3*time.Second)
	rep.check(during > before, "the task keeps running and logging with no plugin alive (tick-%d → tick-%d)", before, during)
	rep.check(!a.stdout.closed(), "the stdout FIFO was never closed by the writer (logmon would stop copying)")

	second, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "launch a new plugin, SetConfig, streams open") {
		return
	}
	defer second.finish(rep, "new plugin exits by itself after Shutdown", "every stderr line is hclog JSON")
	rep.check(second.plugin.pid() != oldPid, "a new plugin process (pid %d)", second.plugin.pid())

	err = second.call("RecoverTask", &drivers.RecoverTaskRequest{Handle: stored}, &drivers.RecoverTaskResponse{}, 30*time.Second)
	if !rep.checkErr(err, "RecoverTask with the stored handle (task_id unset, no msgpack config, as Nomad sends it)") {
		return
	}
	err = second.call("RecoverTask", &drivers.RecoverTaskRequest{Handle: stored}, &drivers.RecoverTaskResponse{}, 30*time.Second)
	rep.checkErr(err, "RecoverTask again is idempotent")

	id := stored.Config.GetId()
	second.track(id)
	wait := second.waitTask(id)
	var in drivers.InspectTaskResponse
	if rep.checkErr(second.call("InspectTask", &drivers.InspectTaskRequest{TaskId: id}, &in, 10*time.Second), "InspectTask after recovery") {
		rep.check(in.Task != nil && in.Task.State == drivers.TaskState_RUNNING, "recovered task is RUNNING (%v)", in.Task)
	}
	after := waitTickAbove(a.stdout, during, 3*time.Second)
	rep.check(after > during, "logs still flow in the FIFO after the restart (tick-%d)", after)
	select {
	case r := <-wait:
		rep.fail("WaitTask on the recovered task returned early: %s", describeExit(r))
		return
	case <-time.After(500 * time.Millisecond):
		rep.pass("WaitTask on the recovered task blocks while it runs")
	}

	err = second.stopTask(id, "SIGTERM", 5*time.Second)
	rep.checkErr(err, "StopTask SIGTERM on the recovered task")
	select {
	case r := <-wait:
		ok := r.err == nil && r.resp.Result != nil && r.resp.Result.ExitCode == 7 && r.resp.Result.Signal == 0
		rep.check(ok, "WaitTask reports the task's own exit status 7 from its TERM trap (%s)", describeExit(r))
	case <-time.After(10 * time.Second):
		rep.fail("WaitTask did not return within 10 s of StopTask")
	}
	rep.check(a.stdout.waitFor("got-term", 2*time.Second), "the TERM trap's output reached the FIFO")
	rep.checkErr(second.destroyTask(id, false), "DestroyTask the recovered task")
}
