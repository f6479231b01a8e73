package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/golang/protobuf/ptypes"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"

	drivers "swiftdriver/proto/drivers"
)

// runLifecycle drives one task through everything the task runner does with it.
func runLifecycle(rep *reporter, opts options) {
	root, err := os.MkdirTemp("", "swift-conformance-")
	if !rep.checkErr(err, "create a temporary alloc root") {
		return
	}
	defer os.RemoveAll(root)

	launched := time.Now()
	s, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "launch, SetConfig (defaults), TaskConfigSchema converts, Fingerprint and TaskEvents streams open") {
		return
	}
	defer s.finish(rep, "plugin exits by itself after GRPCController/Shutdown", "every stderr line is hclog JSON")

	select {
	case <-s.firstFP:
		fp := s.latestFingerprint()
		rep.pass("first fingerprint within 1 s of opening the stream (%s after launch)", time.Since(launched).Round(time.Millisecond))
		rep.check(fp.Health == drivers.FingerprintResponse_HEALTHY, "driver is healthy: %v %q", fp.Health, fp.HealthDescription)
		rep.info("attributes: %s", formatAttributes(fp.Attributes))
		for k, a := range fp.Attributes {
			if a.Unit != "" {
				rep.fail("attribute %s has unit %q (units break numeric constraints)", k, a.Unit)
			}
			if !strings.HasPrefix(k, "driver.swift.") && !strings.HasPrefix(k, "unique.driver.swift.") {
				rep.fail("attribute %s is not under driver.swift. or unique.driver.swift.", k)
			}
		}
	case <-time.After(time.Second):
		rep.fail("no fingerprint within 1 s")
	}

	var caps drivers.CapabilitiesResponse
	if rep.checkErr(s.call("Capabilities", &drivers.CapabilitiesRequest{}, &caps, 10*time.Second), "Capabilities answers") {
		c := caps.Capabilities
		if rep.check(c != nil, "Capabilities message is set (a missing one makes the client treat the driver as isolated)") {
			rep.info("capabilities: send_signals=%v exec=%v fs_isolation=%v mount_configs=%v", c.SendSignals, c.Exec, c.FsIsolation, c.MountConfigs)
			rep.check(c.SendSignals && c.Exec, "driver advertises send_signals and exec")
			rep.check(c.FsIsolation == drivers.DriverCapabilities_NONE, "fs_isolation is NONE (host paths in NOMAD_*_DIR)")
		}
	}

	a, err := newAllocation(root, "signals")
	if !rep.checkErr(err, "create alloc dir, task dir and logmon FIFOs") {
		return
	}
	tf, err := loadTaskFixture(filepath.Join(opts.fixtures, "task", "valid", "signals.hcl"))
	if !rep.checkErr(err, "load task fixture signals.hcl") {
		return
	}
	cfg, diags := buildTaskConfig(a, tf, s.taskSpec, nil)
	if !rep.check(!diags.HasErrors(), "job config block decodes with the task spec%s", diagSuffix(diagText(diags))) {
		return
	}
	resp, err := s.startTask(cfg)
	if !rep.checkErr(err, "StartTask %s", cfg.Id) {
		return
	}
	h := resp.Handle
	if rep.check(h != nil && h.Config != nil, "StartTask returns a handle echoing the TaskConfig") {
		rep.check(h.Config.Id == cfg.Id, "handle.config.id is the task id (got %q)", h.Config.Id)
		rep.check(len(h.DriverState) > 0, "handle carries driver_state for recovery (%d bytes)", len(h.DriverState))
		rep.check(h.State == drivers.TaskState_RUNNING, "handle state is RUNNING (got %v)", h.State)
	}
	wait := s.waitTask(cfg.Id)

	rep.check(a.stdout.waitFor("hello\n", 5*time.Second), "task output \"hello\" arrives in the stdout FIFO")
	rep.check(a.stdout.waitFor("interp=signals env=signals greeting=from-the-job", 5*time.Second),
		"${NOMAD_TASK_NAME} interpolated by the client, $NOMAD_TASK_NAME and the job env reach the task")
	rep.check(a.stderr.waitFor("to-stderr", 5*time.Second), "task stderr arrives in the stderr FIFO")

	err = s.call("SignalTask", &drivers.SignalTaskRequest{TaskId: cfg.Id, Signal: "SIGUSR1"}, &drivers.SignalTaskResponse{}, 10*time.Second)
	if rep.checkErr(err, "SignalTask SIGUSR1") {
		rep.check(a.stdout.waitFor("got-usr1", 5*time.Second), "the task's USR1 trap ran (\"got-usr1\" in the FIFO)")
	}

	var ex drivers.ExecTaskResponse
	err = s.call("ExecTask", &drivers.ExecTaskRequest{TaskId: cfg.Id, Command: []string{"echo", "hi"}, Timeout: ptypes.DurationProto(10 * time.Second)}, &ex, 20*time.Second)
	if rep.checkErr(err, "ExecTask echo hi") {
		rep.check(ex.Result != nil && ex.Result.ExitCode == 0, "ExecTask exit 0 with a result set (%v)", ex.Result)
		rep.check(string(ex.Stdout) == "hi\n", "ExecTask stdout is \"hi\\n\" (got %q)", ex.Stdout)
	}
	err = s.call("ExecTask", &drivers.ExecTaskRequest{TaskId: cfg.Id, Command: []string{"/bin/sh", "-c", "echo oops >&2; exit 3"}, Timeout: ptypes.DurationProto(10 * time.Second)}, &ex, 20*time.Second)
	if rep.checkErr(err, "ExecTask with a failing command") {
		rep.check(ex.Result != nil && ex.Result.ExitCode == 3 && string(ex.Stderr) == "oops\n", "ExecTask reports exit 3 and stderr \"oops\" (%v, %q)", ex.Result, ex.Stderr)
	}

	checkExecStreaming(rep, s, cfg.Id)
	checkStats(rep, s, cfg.Id)

	var in drivers.InspectTaskResponse
	if rep.checkErr(s.call("InspectTask", &drivers.InspectTaskRequest{TaskId: cfg.Id}, &in, 10*time.Second), "InspectTask") {
		rep.check(in.Task != nil && in.Task.Id == cfg.Id && in.Task.State == drivers.TaskState_RUNNING, "InspectTask: task set, id matches, RUNNING (%v)", in.Task)
	}

	stopAt := time.Now()
	err = s.stopTask(cfg.Id, "SIGTERM", 5*time.Second)
	rep.checkErr(err, "StopTask SIGTERM with a 5 s timeout")
	select {
	case r := <-wait:
		rep.check(r.err == nil && r.resp.Result != nil, "WaitTask returns after StopTask in %s: %s", r.at.Sub(stopAt).Round(time.Millisecond), describeExit(r))
		if r.err == nil && r.resp.Result != nil {
			rep.check(r.resp.Result.Signal == 15 || r.resp.Result.ExitCode == 143, "exit shows SIGTERM (signal 15 or exit 143)")
		}
	case <-time.After(10 * time.Second):
		rep.fail("WaitTask did not return within 10 s of StopTask")
	}
	if rep.checkErr(s.call("InspectTask", &drivers.InspectTaskRequest{TaskId: cfg.Id}, &in, 10*time.Second), "InspectTask after exit") {
		rep.check(in.Task != nil && in.Task.State == drivers.TaskState_EXITED, "InspectTask: EXITED after stop (%v)", in.Task)
	}
	rep.checkErr(s.stopTask(cfg.Id, "SIGTERM", time.Second), "StopTask on an exited task succeeds")
	rep.checkErr(s.destroyTask(cfg.Id, false), "DestroyTask")
	err = s.destroyTask(cfg.Id, false)
	rep.check(err != nil && grpcCode(err) != codes.Unavailable && grpcCode(err) != codes.Canceled,
		"DestroyTask again returns an error other than Unavailable/Canceled (%s)", describeErr(err))
	wr := <-s.waitTask("no-such-task")
	rep.check(wr.err != nil, "WaitTask on an unknown id fails at once (%s)", describeErr(wr.err))

	checkStopEscalation(rep, s, root, opts)
	checkDefaultStopSignal(rep, s, root, opts)
	checkChildrenKilled(rep, s, root, opts)
	checkTaskUser(rep, s, root, opts)
	runInvalidTasks(rep, s, root, opts)

	fpErr, evErr := s.streamErrors()
	rep.check(fpErr == nil, "Fingerprint stream still open at the end (%s)", describeErr(fpErr))
	rep.check(evErr == nil, "TaskEvents stream still open at the end (%s)", describeErr(evErr))
}

// checkStats reads the TaskStats stream with Nomad's 1 s collection interval.
func checkStats(rep *reporter, s *session, id string) {
	stream, err := serverStream(s.ctx, s.conn, driverMethod("TaskStats"), &drivers.TaskStatsRequest{TaskId: id, CollectionInterval: ptypes.DurationProto(time.Second)})
	if !rep.checkErr(err, "TaskStats stream opens") {
		return
	}
	got := 0
	deadline := time.After(5 * time.Second)
	msgs, errc := recvLoop(stream, func() protoMessage { return &drivers.TaskStatsResponse{} })
	for got < 2 {
		select {
		case m, ok := <-msgs:
			if !ok {
				rep.fail("TaskStats stream ended after %d responses: %s", got, describeErr(<-errc))
				return
			}
			r := m.(*drivers.TaskStatsResponse)
			got++
			if !rep.check(r.Stats != nil && r.Stats.AggResourceUsage != nil, "TaskStats response %d has stats and agg usage (nil would crash the client)", got) {
				return
			}
			u := r.Stats.AggResourceUsage
			rss := uint64(0)
			if u.Memory != nil {
				rss = u.Memory.Rss
			}
			pct := 0.0
			if u.Cpu != nil {
				pct = u.Cpu.Percent
			}
			rep.info("stats %d: id=%s rss=%d cpu=%.2f%% pids=%d", got, r.Stats.Id, rss, pct, len(r.Stats.ResourceUsageByPid))
		case <-deadline:
			rep.fail("TaskStats: only %d responses within 5 s at a 1 s interval", got)
			return
		}
	}
	rep.pass("TaskStats streams at least 2 responses")
}

// runInvalidTasks starts each fixture in task/invalid and checks where it is refused.
func runInvalidTasks(rep *reporter, s *session, root string, opts options) {
	files, _ := filepath.Glob(filepath.Join(opts.fixtures, "task", "invalid", "*.hcl"))
	sort.Strings(files)
	for _, f := range files {
		name := "task/invalid/" + filepath.Base(f)
		tf, err := loadTaskFixture(f)
		if err != nil {
			rep.fail("%s: fixture broken: %v", name, err)
			continue
		}
		a, err := newAllocation(root, tf.name)
		if err != nil {
			rep.fail("%s: %v", name, err)
			continue
		}
		cfg, diags := buildTaskConfig(a, tf, s.taskSpec, nil)
		if diags.HasErrors() {
			msg := diagText(diags)
			ok, missing := containsAll(msg, tf.expect.texts)
			rep.check(tf.expect.outcome == "hcl-error" && ok, "%s: refused by the client's decode (Failed Validation, no StartTask): %s%s", name, msg, missingSuffix(missing))
			continue
		}
		if tf.expect.outcome == "hcl-error" {
			rep.fail("%s: expected the client's decode to refuse it", name)
			continue
		}
		_, err = s.startTask(cfg)
		if err == nil {
			rep.fail("%s: StartTask accepted it", name)
			_ = s.stopTask(cfg.Id, "SIGKILL", time.Second)
			_ = s.destroyTask(cfg.Id, true)
			continue
		}
		msg := grpcMessage(err)
		ok, missing := containsAll(msg, tf.expect.texts)
		code := grpcCode(err)
		rep.check(ok && code != codes.Unavailable && code != codes.Canceled && code != codes.OK,
			"%s: StartTask refuses it with %s %q%s", name, code, msg, missingSuffix(missing))
	}
}

// checkExecStreaming runs a command the way `nomad alloc exec` does: a setup message, stdin
// closed, output chunks, then one message with exited = true and the result.
func checkExecStreaming(rep *reporter, s *session, id string) {
	ctx, cancel := context.WithTimeout(s.ctx, 20*time.Second)
	defer cancel()
	stream, err := s.conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, driverMethod("ExecTaskStreaming"))
	if !rep.checkErr(err, "ExecTaskStreaming opens") {
		return
	}
	setup := &drivers.ExecTaskStreamingRequest{Setup: &drivers.ExecTaskStreamingRequest_Setup{
		TaskId: id, Command: []string{"/bin/sh", "-c", "read line; echo got-$line; echo streamed-err >&2; exit 4"}}}
	if !rep.checkErr(stream.SendMsg(setup), "ExecTaskStreaming setup sent") {
		return
	}
	_ = stream.SendMsg(&drivers.ExecTaskStreamingRequest{}) // an empty message is the CLI's heartbeat
	_ = stream.SendMsg(&drivers.ExecTaskStreamingRequest{Stdin: &drivers.ExecTaskStreamingIOOperation{Data: []byte("ping\n")}})
	_ = stream.SendMsg(&drivers.ExecTaskStreamingRequest{Stdin: &drivers.ExecTaskStreamingIOOperation{Close: true}})
	_ = stream.CloseSend()
	var stdout, stderr strings.Builder
	var result *drivers.ExitResult
	for {
		var m drivers.ExecTaskStreamingResponse
		err := stream.RecvMsg(&m)
		if err == io.EOF {
			break
		}
		if err != nil {
			rep.fail("ExecTaskStreaming: %s", describeErr(err))
			return
		}
		if m.Stdout != nil {
			stdout.Write(m.Stdout.Data)
		}
		if m.Stderr != nil {
			stderr.Write(m.Stderr.Data)
		}
		if m.Exited {
			result = m.Result
		}
	}
	rep.check(result != nil && result.ExitCode == 4, "ExecTaskStreaming ends with exited=true and exit 4 (%v)", result)
	rep.check(stdout.String() == "got-ping\n" && stderr.String() == "streamed-err\n",
		"ExecTaskStreaming passes stdin through and returns stdout/stderr (%q, %q)", stdout.String(), stderr.String())
}

// checkStopEscalation stops a task that ignores SIGTERM: SIGKILL must follow the timeout.
func checkStopEscalation(rep *reporter, s *session, root string, opts options) {
	a, cfg, wait := startFixtureTask(rep, s, root, opts, "ignores-term.hcl")
	if a == nil {
		return
	}
	if !rep.check(a.stdout.waitFor("ignoring-term", 5*time.Second), "stubborn task is running") {
		return
	}
	start := time.Now()
	rep.checkErr(s.stopTask(cfg.Id, "SIGTERM", time.Second), "StopTask SIGTERM with a 1 s timeout on a task that ignores SIGTERM")
	select {
	case r := <-wait:
		took := r.at.Sub(start)
		ok := r.err == nil && r.resp.Result != nil && (r.resp.Result.Signal == 9 || r.resp.Result.ExitCode == 137)
		rep.check(ok && took >= 900*time.Millisecond, "SIGKILL after the timeout (%s after StopTask): %s", took.Round(time.Millisecond), describeExit(r))
	case <-time.After(10 * time.Second):
		rep.fail("task ignoring SIGTERM still running 10 s after StopTask with a 1 s timeout")
	}
	_ = s.destroyTask(cfg.Id, true)
}

// checkDefaultStopSignal stops a task with no signal, as Nomad does for a job without
// kill_signal: the task must get SIGINT, Nomad's executor default.
func checkDefaultStopSignal(rep *reporter, s *session, root string, opts options) {
	a, cfg, wait := startFixtureTask(rep, s, root, opts, "reports-signal.hcl")
	if a == nil {
		return
	}
	if !rep.check(a.stdout.waitFor("waiting-for-signal", 5*time.Second), "signal-reporting task is running") {
		return
	}
	rep.checkErr(s.stopTask(cfg.Id, "", 5*time.Second), "StopTask without a signal")
	select {
	case r := <-wait:
		rep.check(a.stdout.waitFor("got-INT", 2*time.Second) && r.err == nil && r.resp.Result != nil && r.resp.Result.ExitCode == 130,
			"a StopTask without a signal delivers SIGINT, as Nomad's executor does: %s", describeExit(r))
	case <-time.After(10 * time.Second):
		rep.fail("task still running 10 s after StopTask without a signal")
	}
	_ = s.destroyTask(cfg.Id, true)
}

// checkChildrenKilled stops a task that forked children and checks none of them survive.
func checkChildrenKilled(rep *reporter, s *session, root string, opts options) {
	a, cfg, wait := startFixtureTask(rep, s, root, opts, "forks.hcl")
	if a == nil {
		return
	}
	if !rep.check(a.stdout.waitFor("forked", 5*time.Second), "forking task is running") {
		return
	}
	var pids []int
	for _, f := range []string{"child1.pid", "child2.pid"} {
		path := filepath.Join(a.taskDir, "local", f)
		deadline := time.Now().Add(3 * time.Second)
		for time.Now().Before(deadline) {
			if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) > 0 {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
					pids = append(pids, pid)
				}
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if !rep.check(len(pids) == 2, "the task's children wrote their pids (%v)", pids) {
		return
	}
	rep.checkErr(s.stopTask(cfg.Id, "SIGTERM", 2*time.Second), "StopTask on the forking task")
	select {
	case <-wait:
	case <-time.After(10 * time.Second):
		rep.fail("forking task did not exit within 10 s of StopTask")
	}
	deadline := time.Now().Add(3 * time.Second)
	var alive []int
	for {
		alive = alive[:0]
		for _, pid := range pids {
			if processAlive(pid) {
				alive = append(alive, pid)
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	rep.check(len(alive) == 0, "every child of the task is gone after StopTask (still alive: %v)", alive)
	for _, pid := range alive {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	_ = s.destroyTask(cfg.Id, true)
}

// checkTaskUser runs a task with Nomad's task-level `user = "nobody"` and compares the ids the
// task reports from /proc/self/status with what the host's own lookup (Go's os/user) says.
func checkTaskUser(rep *reporter, s *session, root string, opts options) {
	if os.Geteuid() != 0 {
		rep.skip("task user: the plugin must run as root to switch users")
		return
	}
	want, err := user.Lookup("nobody")
	if !rep.checkErr(err, "the host knows the user nobody") {
		return
	}
	groups, err := want.GroupIds()
	if !rep.checkErr(err, "the host lists nobody's groups") {
		return
	}
	// Nomad's own data_dir/alloc is 0711: other users may pass through it to their task dirs.
	if !rep.checkErr(os.Chmod(root, 0o711), "open the alloc root to other users (0711, as Nomad's)") {
		return
	}
	a, cfg, wait := startFixtureTask(rep, s, root, opts, "as-nobody.hcl")
	if a == nil {
		return
	}
	if rep.check(a.stdout.waitFor("identity-done", 5*time.Second), "task with user = \"nobody\" reports its ids") {
		fields := map[string][]string{}
		for _, line := range strings.Split(a.stdout.text(), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				fields[k] = strings.Fields(v)
			}
		}
		uid, gid := fields["Uid"], fields["Gid"]
		got := append([]string(nil), fields["Groups"]...)
		sort.Strings(got)
		sort.Strings(groups)
		rep.check(allFour(uid, want.Uid), "the task's real, effective, saved and fs uid are nobody's (%s): %v", want.Uid, uid)
		rep.check(allFour(gid, want.Gid), "the task's gids are nobody's primary group (%s): %v", want.Gid, gid)
		rep.check(strings.Join(got, " ") == strings.Join(groups, " "),
			"the task's supplementary groups are exactly nobody's %v, none of the plugin's: %v", groups, got)
	}
	rep.checkErr(s.stopTask(cfg.Id, "SIGKILL", time.Second), "StopTask the task run as nobody")
	select {
	case <-wait:
	case <-time.After(10 * time.Second):
		rep.fail("the task run as nobody did not exit within 10 s of StopTask")
	}
	_ = s.destroyTask(cfg.Id, true)
}

// allFour reports whether a /proc status id line (real, effective, saved, filesystem) is want
// four times.
func allFour(ids []string, want string) bool {
	if len(ids) != 4 {
		return false
	}
	for _, id := range ids {
		if id != want {
			return false
		}
	}
	return true
}

// processAlive reports whether pid is a live (non-zombie) process.
func processAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state letter follows the ")" that closes the command name.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 || i+2 >= len(b) {
		return false
	}
	return b[i+2] != 'Z' && b[i+2] != 'X'
}
