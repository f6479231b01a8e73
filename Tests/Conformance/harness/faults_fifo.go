package main

import (
	"time"

	drivers "swiftdriver/proto/drivers"
)

// drillFifoReaderGone: logmon restarts (the agent restarting does that) while a task writes
// steadily. With no reader on the stdout FIFO the task must neither die of SIGPIPE nor block,
// and its output must resume in the reopened FIFO.
func drillFifoReaderGone(rep *reporter, opts options, root string, tf *taskFixture) {
	s, err := openSession(rep, opts, nil)
	if !rep.checkErr(err, "fifo drill: launch the plugin") {
		return
	}
	defer closeSession(rep, s, "fifo drill: the plugin")
	// 8 KB every 50 ms: more than a pipe and the supervisor's buffer hold during the gap.
	t, err := startTicker(s, root, tf, map[string]string{"TICK_PERIOD": "0.05", "TICK_PAD": "8000"})
	if !rep.checkErr(err, "fifo drill: start a ticker writing about 160 KB/s") {
		return
	}
	wait := s.waitTask(t.id())
	if !rep.check(waitTickAbove(t.alloc.stdout, 5, 5*time.Second) > 5, "fifo drill: the task ticks into its stdout FIFO") {
		return
	}

	baseKiB := privateKiB(t.state.SupervisorPID)
	if !rep.checkErr(t.alloc.stdout.hangUp(), "fifo drill: close the FIFO's read end (logmon goes away)") {
		return
	}
	gapStart := t.ticks()
	time.Sleep(1 * time.Second)
	gapMid := t.ticks()
	time.Sleep(1500 * time.Millisecond)
	gapEnd := t.ticks()
	rep.check(gapStart > 0 && gapMid > gapStart && gapEnd > gapMid,
		"fifo drill: the task keeps ticking with no reader, neither killed nor blocked (ticks %d → %d → %d, about %d KB written meanwhile)",
		gapStart, gapMid, gapEnd, (gapEnd-gapStart)*8)
	st, err := inspectState(s, t.id())
	rep.check(err == nil && st == drivers.TaskState_RUNNING, "fifo drill: InspectTask says RUNNING (%v, %v)", st, err)
	rep.check(sameProcessAlive(t.state.TaskPID, t.state.TaskStartTime), "fifo drill: the task process %d still runs", t.state.TaskPID)
	select {
	case r := <-wait:
		rep.fail("fifo drill: WaitTask returned while the reader was away: %s", describeExit(r))
		return
	default:
	}
	if kib := privateKiB(t.state.SupervisorPID); kib > 0 {
		rep.info("supervisor private memory: %d KiB while copying, %d KiB after buffering for the absent reader", baseKiB, kib)
	}

	offset := len(t.alloc.stdout.text())
	t.alloc.stdout.reopen()
	resumed := false
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if lastTick(t.alloc.stdout.text()[offset:]) > gapEnd {
			resumed = true
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	after := t.alloc.stdout.text()[offset:]
	rep.check(resumed, "fifo drill: output resumes in the reopened FIFO (tick-%d after the gap's tick %d)", lastTick(after), gapEnd)
	if m := tickPattern.FindStringSubmatch(after); m != nil {
		rep.info("first line after the reopen: tick-%s (kept while the reader was away)", m[1])
	}

	stopAndDestroyTicker(rep, s, t, wait, "fifo drill", "", "reopened FIFO")
}
