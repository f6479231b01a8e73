package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/golang/protobuf/proto"

	drivers "swiftdriver/proto/drivers"
)

// runFaults breaks what a node breaks: the plugin killed with 50 tasks running, a task's
// supervisor killed, the disk 100 % full, and logmon's FIFO reader going away and coming back.
// Each drill checks that the tasks' real outcome still reaches Nomad and nothing is left behind.
func runFaults(rep *reporter, opts options) {
	root, err := os.MkdirTemp("", "swift-conformance-")
	if !rep.checkErr(err, "create a temporary alloc root") {
		return
	}
	defer os.RemoveAll(root)
	tf, err := loadTaskFixture(filepath.Join(opts.fixtures, "task", "valid", "ticker.hcl"))
	if !rep.checkErr(err, "load task fixture ticker.hcl") {
		return
	}
	drillManyRecovered(rep, opts, root, tf)
	drillSupervisorKilled(rep, opts, root, tf)
	drillDiskFull(rep, opts, tf)
	drillFifoReaderGone(rep, opts, root, tf)
}

// driverStateView is the part of the plugin's driver_state the harness reads to find the
// task's processes and files (the plugin's own JSON; Nomad treats it as opaque bytes).
type driverStateView struct {
	TaskPID             int    `json:"taskPID"`
	TaskStartTime       uint64 `json:"taskStartTime"`
	SupervisorPID       int    `json:"supervisorPID"`
	SupervisorStartTime uint64 `json:"supervisorStartTime"`
	ExitFilePath        string `json:"exitFilePath"`
	StateDirectory      string `json:"stateDirectory"`
}

// tickerTask is one started ticker.hcl task as the client holds it.
type tickerTask struct {
	alloc  *allocation
	cfg    *drivers.TaskConfig
	stored *drivers.TaskHandle // the handle as the client stores it (no msgpack config)
	state  driverStateView
}

func (t *tickerTask) id() string { return t.cfg.Id }

// startTicker prepares an allocation under root and starts ticker.hcl in it with extra env.
func startTicker(s *session, root string, tf *taskFixture, env map[string]string) (*tickerTask, error) {
	a, err := newAllocation(root, tf.name)
	if err != nil {
		return nil, fmt.Errorf("alloc dir: %w", err)
	}
	cfg, diags := buildTaskConfig(a, tf, s.taskSpec, env)
	if diags.HasErrors() {
		return nil, fmt.Errorf("config does not decode: %s", diagText(diags))
	}
	resp, err := s.startTask(cfg)
	if err != nil {
		return nil, fmt.Errorf("StartTask: %s", describeErr(err))
	}
	if resp.Handle == nil {
		return nil, fmt.Errorf("StartTask returned no handle")
	}
	t := &tickerTask{alloc: a, cfg: cfg, stored: proto.Clone(resp.Handle).(*drivers.TaskHandle)}
	if t.stored.Config != nil {
		t.stored.Config.MsgpackDriverConfig = nil
	}
	if err := json.Unmarshal(resp.Handle.DriverState, &t.state); err != nil || t.state.TaskPID <= 0 {
		return t, fmt.Errorf("driver_state has no task pid (%v)", err)
	}
	return t, nil
}

// ticks reads the tick count the task keeps in $NOMAD_TASK_DIR/ticks; -1 when unreadable.
// A read caught between the shell's truncate and its write finds the file empty: look again.
func (t *tickerTask) ticks() int {
	for attempt := 0; attempt < 50; attempt++ {
		b, err := os.ReadFile(filepath.Join(t.alloc.taskDir, "local", "ticks"))
		if err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				return n
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return -1
}

// sameProcessAlive: the process that started at startTime still runs (a zombie has ended).
func sameProcessAlive(pid int, startTime uint64) bool {
	p, ok := readProc(pid)
	return ok && p.startTime == startTime && p.state != 'Z' && p.state != 'X'
}

// waitGone waits until none of the processes runs any more; it returns those still running.
func waitGone(timeout time.Duration, pids map[int]uint64) []int {
	deadline := time.Now().Add(timeout)
	for {
		var alive []int
		for pid, start := range pids {
			if sameProcessAlive(pid, start) {
				alive = append(alive, pid)
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// privateKiB is a process's private resident memory (smaps_rollup), or -1.
func privateKiB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return -1
	}
	total := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && (f[0] == "Private_Clean:" || f[0] == "Private_Dirty:") {
			n, _ := strconv.Atoi(f[1])
			total += n
		}
	}
	return total
}

// parallel runs fn(0..n-1) on at most workers goroutines and waits for all.
func parallel(n, workers int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// killProcess sends SIGKILL to pid.
func killProcess(pid int) error {
	return syscall.Kill(pid, syscall.SIGKILL)
}

// closeSession ends a session and checks what every scenario checks at the end.
func closeSession(rep *reporter, s *session, what string) {
	s.finish(rep, what+" exits by itself after Shutdown", what+": every stderr line is hclog JSON")
}

// inspectState returns the task's state as InspectTask reports it.
func inspectState(s *session, id string) (drivers.TaskState, error) {
	var in drivers.InspectTaskResponse
	if err := s.call("InspectTask", &drivers.InspectTaskRequest{TaskId: id}, &in, 10*time.Second); err != nil {
		return drivers.TaskState_UNKNOWN, err
	}
	if in.Task == nil {
		return drivers.TaskState_UNKNOWN, fmt.Errorf("no task status in the response")
	}
	return in.Task.State, nil
}

// stoppedWith7 says whether WaitTask returned the ticker's own exit status from its TERM trap.
func stoppedWith7(r waitResult) bool {
	return r.err == nil && r.resp.Result != nil && r.resp.Result.ExitCode == 7 && r.resp.Result.Signal == 0
}

// stopAndDestroyTicker stops a ticker with SIGTERM, checks WaitTask reports its TERM trap's exit
// status 7 and that the trap's output reached the stdout FIFO (fifoWhat names it), then destroys it.
func stopAndDestroyTicker(rep *reporter, s *session, t *tickerTask, wait <-chan waitResult, drill, exitNote, fifoWhat string) {
	rep.checkErr(s.stopTask(t.id(), "SIGTERM", 5*time.Second), "%s: StopTask SIGTERM", drill)
	select {
	case r := <-wait:
		rep.check(stoppedWith7(r), "%s: WaitTask reports the task's own exit status 7%s (%s)", drill, exitNote, describeExit(r))
	case <-time.After(10 * time.Second):
		rep.fail("%s: WaitTask did not return within 10 s of StopTask", drill)
	}
	rep.check(t.alloc.stdout.waitFor("got-term", 2*time.Second), "%s: the TERM trap's output reached the %s", drill, fifoWhat)
	rep.checkErr(s.destroyTask(t.id(), false), "%s: DestroyTask", drill)
}
