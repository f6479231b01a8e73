package main

import (
	"strconv"
	"strings"
	"sync"
	"time"

	drivers "swiftdriver/proto/drivers"
)

// manyTasks is how many tasks the plugin-crash drill runs at once.
const manyTasks = 50

// drillManyRecovered: kill -9 the plugin under 50 running tasks, recover them all in a new
// plugin as the client does after a crash, then stop and destroy them with their real status.
func drillManyRecovered(rep *reporter, opts options, root string, tf *taskFixture) {
	first, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "crash drill: launch the first plugin") {
		return
	}
	tasks := make([]*tickerTask, manyTasks)
	errs := make([]error, manyTasks)
	began := time.Now()
	parallel(manyTasks, 5, func(i int) {
		tasks[i], errs[i] = startTicker(first, root, tf, map[string]string{"TICK_PERIOD": "1"})
	})
	startTook := time.Since(began)
	if !rep.check(countNil(errs) == manyTasks, "crash drill: start %d ticker tasks, each with its own alloc dir and FIFOs (%d started in %s%s)",
		manyTasks, countNil(errs), startTook.Round(time.Millisecond), firstErrSuffix(errs)) {
		first.close()
		return
	}
	ticking := waitAll(5*time.Second, manyTasks, func(i int) bool { return lastTick(tasks[i].alloc.stdout.text()) >= 1 })
	rep.check(ticking == manyTasks, "crash drill: every task ticks into its stdout FIFO (%d of %d)", ticking, manyTasks)

	oldPid := first.plugin.pid()
	rep.checkErr(first.plugin.killHard(), "crash drill: kill -9 the plugin (pid %d)", oldPid)
	first.cancel()
	before := make([]int, manyTasks)
	alive := 0
	for i, t := range tasks {
		before[i] = lastTick(t.alloc.stdout.text())
		if sameProcessAlive(t.state.TaskPID, t.state.TaskStartTime) {
			alive++
		}
	}
	rep.check(alive == manyTasks, "crash drill: every task outlives the plugin (%d of %d running)", alive, manyTasks)

	second, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "crash drill: launch a new plugin") {
		return
	}
	defer closeSession(rep, second, "crash drill: the new plugin")
	for _, t := range tasks {
		second.track(t.id())
	}
	recoverErrs := make([]error, manyTasks)
	var slowest time.Duration
	var mu sync.Mutex
	began = time.Now()
	// The client recovers every task runner concurrently.
	parallel(manyTasks, manyTasks, func(i int) {
		t0 := time.Now()
		recoverErrs[i] = second.call("RecoverTask", &drivers.RecoverTaskRequest{Handle: tasks[i].stored}, &drivers.RecoverTaskResponse{}, 30*time.Second)
		mu.Lock()
		if d := time.Since(t0); d > slowest {
			slowest = d
		}
		mu.Unlock()
	})
	recoverTook := time.Since(began)
	rep.check(countNil(recoverErrs) == manyTasks, "crash drill: RecoverTask for all %d stored handles (%d succeeded; all took %s, the slowest call %s%s)",
		manyTasks, countNil(recoverErrs), recoverTook.Round(time.Millisecond), slowest.Round(time.Millisecond), firstErrSuffix(recoverErrs))

	running := 0
	for _, t := range tasks {
		if st, err := inspectState(second, t.id()); err == nil && st == drivers.TaskState_RUNNING {
			running++
		}
	}
	rep.check(running == manyTasks, "crash drill: InspectTask says RUNNING for %d of %d recovered tasks", running, manyTasks)
	flowing := waitAll(6*time.Second, manyTasks, func(i int) bool { return lastTick(tasks[i].alloc.stdout.text()) > before[i] })
	rep.check(flowing == manyTasks, "crash drill: logs still flow in %d of %d FIFOs after the restart", flowing, manyTasks)

	waits := make([]<-chan waitResult, manyTasks)
	for i, t := range tasks {
		waits[i] = second.waitTask(t.id())
	}
	stopErrs := make([]error, manyTasks)
	began = time.Now()
	parallel(manyTasks, manyTasks, func(i int) { stopErrs[i] = second.stopTask(tasks[i].id(), "SIGTERM", 5*time.Second) })
	stopTook := time.Since(began)
	rep.check(countNil(stopErrs) == manyTasks, "crash drill: StopTask SIGTERM on all %d (%s%s)", manyTasks, stopTook.Round(time.Millisecond), firstErrSuffix(stopErrs))
	real := 0
	var bad string
	for i := range tasks {
		select {
		case r := <-waits[i]:
			if stoppedWith7(r) {
				real++
			} else if bad == "" {
				bad = "; e.g. " + describeExit(r)
			}
		case <-time.After(10 * time.Second):
			if bad == "" {
				bad = "; e.g. a WaitTask still blocked 10 s after StopTask"
			}
		}
	}
	rep.check(real == manyTasks, "crash drill: WaitTask reports each task's own exit status 7 (%d of %d%s)", real, manyTasks, bad)
	destroyErrs := make([]error, manyTasks)
	parallel(manyTasks, 10, func(i int) { destroyErrs[i] = second.destroyTask(tasks[i].id(), false) })
	rep.check(countNil(destroyErrs) == manyTasks, "crash drill: DestroyTask all %d%s", manyTasks, firstErrSuffix(destroyErrs))
	pids := map[int]uint64{}
	for _, t := range tasks {
		pids[t.state.TaskPID] = t.state.TaskStartTime
		pids[t.state.SupervisorPID] = t.state.SupervisorStartTime
	}
	left := waitGone(3*time.Second, pids)
	rep.check(len(left) == 0, "crash drill: no task or supervisor process is left (checked by pid and start time; still running: %v)", left)
}

// drillSupervisorKilled: SIGKILL a task's supervisor, once while the plugin is its parent and
// once after a plugin restart (when it is not), and check WaitTask tells the truth at once.
func drillSupervisorKilled(rep *reporter, opts options, root string, tf *taskFixture) {
	s1, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "supervisor drill: launch the plugin") {
		return
	}
	t1, err := startTicker(s1, root, tf, nil)
	if !rep.checkErr(err, "supervisor drill: start a ticker") {
		s1.close()
		return
	}
	if p, ok := readProc(t1.state.TaskPID); rep.check(ok && p.ppid == t1.state.SupervisorPID, "supervisor drill: the task's parent is its supervisor (pid %d, parent %d)", t1.state.TaskPID, p.ppid) {
		sp, _ := readProc(p.ppid)
		rep.check(sp.ppid == s1.plugin.pid(), "supervisor drill: the supervisor is the plugin's child (parent %d, plugin %d)", sp.ppid, s1.plugin.pid())
	}
	killSupervisor(rep, s1, t1, "with the plugin as its parent")

	t2, err := startTicker(s1, root, tf, nil)
	if !rep.checkErr(err, "supervisor drill: the plugin still starts tasks") {
		s1.close()
		return
	}
	rep.checkErr(s1.plugin.killHard(), "supervisor drill: kill -9 the plugin")
	s1.cancel()
	s2, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "supervisor drill: launch a new plugin") {
		return
	}
	defer closeSession(rep, s2, "supervisor drill: the new plugin")
	s2.track(t2.id())
	err = s2.call("RecoverTask", &drivers.RecoverTaskRequest{Handle: t2.stored}, &drivers.RecoverTaskResponse{}, 30*time.Second)
	if !rep.checkErr(err, "supervisor drill: RecoverTask the second ticker") {
		return
	}
	sp, _ := readProc(t2.state.SupervisorPID)
	rep.check(sp.ppid != s2.plugin.pid(), "supervisor drill: the recovered supervisor is not the new plugin's child (parent %d)", sp.ppid)
	killSupervisor(rep, s2, t2, "after a plugin restart")
}

// killSupervisor SIGKILLs the task's supervisor and checks WaitTask, the task and the plugin.
func killSupervisor(rep *reporter, s *session, t *tickerTask, when string) {
	wait := s.waitTask(t.id())
	rep.check(t.alloc.stdout.waitFor("tick-1", 5*time.Second), "supervisor drill (%s): the task ticks", when)
	killed := time.Now()
	if !rep.checkErr(killProcess(t.state.SupervisorPID), "supervisor drill (%s): kill -9 the supervisor (pid %d)", when, t.state.SupervisorPID) {
		return
	}
	select {
	case r := <-wait:
		took := r.at.Sub(killed)
		failed := r.err == nil && r.resp.Result != nil && (r.resp.Result.ExitCode != 0 || r.resp.Result.Signal != 0)
		rep.check(failed && took < 3*time.Second, "supervisor drill (%s): WaitTask returns a failure %s after the kill (%s)", when, took.Round(time.Millisecond), describeExit(r))
		text := strings.ToLower(r.resp.GetErr())
		rep.check(strings.Contains(text, "supervisor") && strings.Contains(text, "unknown"), "supervisor drill (%s): the error text says the supervisor died and the exit status is unknown (%q)", when, r.resp.GetErr())
	case <-time.After(5 * time.Second):
		rep.fail("supervisor drill (%s): WaitTask did not return within 5 s of the supervisor's death", when)
	}
	left := waitGone(3*time.Second, map[int]uint64{t.state.TaskPID: t.state.TaskStartTime})
	rep.check(len(left) == 0, "supervisor drill (%s): the orphaned task process %d is gone", when, t.state.TaskPID)
	st, err := inspectState(s, t.id())
	rep.check(err == nil && st == drivers.TaskState_EXITED, "supervisor drill (%s): the plugin keeps serving: InspectTask says %v (%v)", when, st, err)
	rep.checkErr(s.destroyTask(t.id(), false), "supervisor drill (%s): DestroyTask", when)
}

// waitAll polls until ok(i) holds for every i < count or the timeout; returns how many held.
func waitAll(timeout time.Duration, count int, ok func(i int) bool) int {
	deadline := time.Now().Add(timeout)
	for {
		n := 0
		for i := 0; i < count; i++ {
			if ok(i) {
				n++
			}
		}
		if n == count || time.Now().After(deadline) {
			return n
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func countNil(errs []error) int {
	n := 0
	for _, e := range errs {
		if e == nil {
			n++
		}
	}
	return n
}

// firstErrSuffix names the first error of a batch, for a failure message.
func firstErrSuffix(errs []error) string {
	for i, e := range errs {
		if e != nil {
			return "; #" + strconv.Itoa(i) + ": " + describeErr(e)
		}
	}
	return ""
}
