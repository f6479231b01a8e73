package main

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"google.golang.org/grpc/codes"

	drivers "swiftdriver/proto/drivers"
)

// runDisk fills a small real filesystem past the hard threshold and checks what the Nomad
// client and scheduler would see: health, node attributes, admission and eviction.
func runDisk(rep *reporter, opts options) {
	disk, err := mountSmallDisk(64)
	if err != nil {
		rep.skip("disk scenario skipped: %v", err)
		return
	}
	defer disk.unmount()
	root, err := os.MkdirTemp("", "swift-conformance-")
	if !rep.checkErr(err, "create a temporary alloc root") {
		return
	}
	defer os.RemoveAll(root)

	cfg, err := diskPluginConfig(opts.fixtures, disk.dir)
	if !rep.checkErr(err, "plugin config watching the 64 MiB tmpfs %s", disk.dir) {
		return
	}
	s, err := openSession(rep, opts, cfg)
	if !rep.checkErr(err, "launch the plugin with the disk config (SetConfig accepted)") {
		return
	}
	defer s.finish(rep, "plugin exits by itself after Shutdown", "every stderr line is hclog JSON")

	fp, ok := s.waitHealth(drivers.FingerprintResponse_HEALTHY, 2*time.Second)
	if !rep.check(ok, "empty disk: driver Healthy (%v %q)", healthOf(fp), descOf(fp)) {
		return
	}
	rep.info("attributes: %s", formatAttributes(fp.Attributes))
	node := s.nodeAttributes()
	rep.check(node["driver.swift.disk.paths"] == disk.dir, "driver.swift.disk.paths = %q (got %q)", disk.dir, node["driver.swift.disk.paths"])
	checkNodeAttributes(rep, node, "none")

	// A running task that eviction should pick.
	victim, victimCfg, victimWait := startFixtureTask(rep, s, root, opts, "sleeper.hcl")
	if victim == nil {
		return
	}

	fillPath, err := disk.fillLeaving(8)
	filled := time.Now()
	if !rep.checkErr(err, "fallocate the tmpfs down to about 8 MiB free (hard_free_mb = 16)") {
		return
	}
	rep.info("filled %s", fillPath)
	fp, ok = s.waitHealth(drivers.FingerprintResponse_UNHEALTHY, 2*time.Second)
	rep.check(ok, "Fingerprint turns Unhealthy within 2 s of the fill (%s): %q", time.Since(filled).Round(time.Millisecond), descOf(fp))
	if ok {
		rep.check(strings.Contains(fp.HealthDescription, disk.dir), "health description names the path")
		time.Sleep(200 * time.Millisecond) // let an attribute update that trails the health flip land
		node = s.nodeAttributes()
		avail := checkNodeAttributes(rep, node, "hard")
		rep.check(avail >= 0 && avail <= 16, "unique.driver.swift.disk.available_mb is below the 16 MiB hard threshold (%d)", avail)
	}

	// Admission: a new placement (or a local restart) must be refused.
	a2, err := newAllocation(root, "late")
	if rep.checkErr(err, "prepare a second allocation") {
		tf, _ := loadTaskFixture(filepath.Join(opts.fixtures, "task", "valid", "sleeper.hcl"))
		if tf != nil {
			late, diags := buildTaskConfig(a2, tf, s.taskSpec, nil)
			if !diags.HasErrors() {
				_, err := s.startTask(late)
				rep.check(grpcCode(err) == codes.ResourceExhausted && grpcMessage(err) != "",
					"StartTask under pressure refused with RESOURCE_EXHAUSTED: %s", describeErr(err))
				if present, recoverable := recoverableDetail(err); err != nil {
					rep.check(!present || !recoverable, "the refusal is not recoverable (the allocation fails and is rescheduled elsewhere)")
				}
				if err == nil {
					_ = s.stopTask(late.Id, "SIGKILL", time.Second)
					_ = s.destroyTask(late.Id, true)
				}
			}
		}
	}

	select {
	case r := <-victimWait:
		failed := r.err == nil && r.resp.Result != nil && (r.resp.Result.ExitCode != 0 || r.resp.Result.Signal != 0)
		rep.check(failed, "the running task is evicted: WaitTask returns a non-zero exit (%s)", describeExit(r))
		rep.check(r.err == nil && strings.Contains(r.resp.Err, "evicted: disk pressure"), "WaitTask error text contains \"evicted: disk pressure\" (%q)", r.resp.GetErr())
	case <-time.After(15 * time.Second):
		rep.fail("the running task was not evicted within 15 s at hard pressure")
	}
	evs := s.eventsMatching("evicted")
	matched := false
	for _, e := range evs {
		if e.AllocId == victimCfg.AllocId && e.TaskName == victimCfg.Name {
			matched = true
			rep.info("task event: %q %v", e.Message, e.Annotations)
		}
	}
	if !rep.check(matched, "a TaskEvent naming the eviction was sent for the victim (alloc id + task name)") {
		rep.info("TaskEvents received: %s", s.eventSummary())
	}
	_ = s.destroyTask(victimCfg.Id, true)

	err = disk.free()
	freed := time.Now()
	if !rep.checkErr(err, "delete the fill file") {
		return
	}
	fp, ok = s.waitHealth(drivers.FingerprintResponse_HEALTHY, 12*time.Second)
	took := time.Since(freed)
	rep.check(ok, "driver Healthy again after the space is freed (%s): %q", took.Round(time.Millisecond), descOf(fp))
	if ok {
		rep.check(took >= 2*time.Second, "Healthy only after the 2 s transition period (took %s)", took.Round(time.Millisecond))
		time.Sleep(200 * time.Millisecond)
		checkNodeAttributes(rep, s.nodeAttributes(), "none")
		// Admission is open again.
		_, _, w := startFixtureTask(rep, s, root, opts, "sleeper.hcl")
		_ = w
	}
}

func healthOf(fp *drivers.FingerprintResponse) drivers.FingerprintResponse_HealthState {
	if fp == nil {
		return drivers.FingerprintResponse_UNDETECTED
	}
	return fp.Health
}

func descOf(fp *drivers.FingerprintResponse) string {
	if fp == nil {
		return "no fingerprint"
	}
	return fp.HealthDescription
}

// startFixtureTask starts a task from fixtures/task/valid/<file> and starts its WaitTask.
func startFixtureTask(rep *reporter, s *session, root string, opts options, file string) (*allocation, *drivers.TaskConfig, <-chan waitResult) {
	tf, err := loadTaskFixture(filepath.Join(opts.fixtures, "task", "valid", file))
	if !rep.checkErr(err, "load task fixture %s", file) {
		return nil, nil, nil
	}
	a, err := newAllocation(root, tf.name)
	if !rep.checkErr(err, "create alloc dir for %s", tf.name) {
		return nil, nil, nil
	}
	cfg, diags := buildTaskConfig(a, tf, s.taskSpec, nil)
	if !rep.check(!diags.HasErrors(), "task %s decodes%s", tf.name, diagSuffix(diagText(diags))) {
		return nil, nil, nil
	}
	if _, err := s.startTask(cfg); !rep.checkErr(err, "StartTask %s", tf.name) {
		return nil, nil, nil
	}
	return a, cfg, s.waitTask(cfg.Id)
}
