package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	drivers "swiftdriver/proto/drivers"
)

// predictFillRate is the steady fill of the predict scenario, in MiB per second.
const predictFillRate = 4

// runPredict fills a small real filesystem at a steady rate and checks that the driver turns
// Unhealthy at its predictive level and evicts the running task while free space is still
// above the hard threshold (16 MiB), then recovers once the fill is gone.
func runPredict(rep *reporter, opts options) {
	disk, err := mountSmallDisk(64)
	if err != nil {
		rep.skip("predict scenario skipped: %v", err)
		return
	}
	defer disk.unmount()
	root, err := os.MkdirTemp("", "swift-conformance-")
	if !rep.checkErr(err, "create a temporary alloc root") {
		return
	}
	defer os.RemoveAll(root)

	cfg, err := diskPluginConfigFrom(opts.fixtures, "predict.hcl", disk.dir)
	if !rep.checkErr(err, "plugin config watching the 64 MiB tmpfs %s (fixtures/disk/predict.hcl)", disk.dir) {
		return
	}
	s, err := openSession(rep, opts, cfg)
	if !rep.checkErr(err, "launch the plugin with the predict config (SetConfig accepted)") {
		return
	}
	defer s.finish(rep, "plugin exits by itself after Shutdown", "every stderr line is hclog JSON")

	fp, ok := s.waitHealth(drivers.FingerprintResponse_HEALTHY, 2*time.Second)
	if !rep.check(ok, "empty disk: driver Healthy (%v %q)", healthOf(fp), descOf(fp)) {
		return
	}
	_, victimCfg, victimWait := startFixtureTask(rep, s, root, opts, "sleeper.hcl")
	if victimCfg == nil {
		return
	}

	stop := make(chan struct{})
	done := make(chan error, 1)
	started := time.Now()
	go func() { done <- steadyFill(disk, predictFillRate, 2, stop) }()
	var stopOnce sync.Once
	stopFill := func() { stopOnce.Do(func() { close(stop); <-done }) }
	defer stopFill()
	hardBytes := int64(16) << 20

	fp, ok = s.waitHealth(drivers.FingerprintResponse_UNHEALTHY, 15*time.Second)
	freeAtUnhealthy, _ := disk.availableBytes()
	rep.check(ok && strings.Contains(fp.HealthDescription, "disk filling at"),
		"steady fill at %d MiB/s: Unhealthy at the predictive level after %s: %q", predictFillRate, time.Since(started).Round(time.Millisecond), descOf(fp))
	rep.check(freeAtUnhealthy > hardBytes, "Unhealthy with %d MiB free, above the 16 MiB hard threshold", freeAtUnhealthy>>20)
	time.Sleep(300 * time.Millisecond)
	node := s.nodeAttributes()
	rep.check(node["driver.swift.disk.pressure"] == "predicted", "node attribute driver.swift.disk.pressure = \"predicted\" (got %q)", node["driver.swift.disk.pressure"])
	for _, k := range []string{"unique.driver.swift.disk.fill_rate_mb_per_min", "unique.driver.swift.disk.seconds_to_full"} {
		v, present := node[k]
		n, err := strconv.ParseInt(v, 10, 64)
		rep.check(present && err == nil && n > 0, "node attribute %s = %q is a positive integer", k, v)
	}

	select {
	case r := <-victimWait:
		freeAtEviction, _ := disk.availableBytes()
		rep.check(r.err == nil && strings.Contains(r.resp.Err, "evicted: disk filling at"),
			"the running task is evicted at the predictive level (%q)", r.resp.GetErr())
		lead := float64(freeAtEviction-hardBytes) / float64(predictFillRate<<20)
		rep.check(freeAtEviction > hardBytes, "evicted %s after the fill started with %d MiB free: %.1f s before the hard threshold",
			time.Since(started).Round(time.Millisecond), freeAtEviction>>20, lead)
	case <-time.After(20 * time.Second):
		rep.fail("the running task was not evicted within 20 s of a steady fill")
	}
	_ = s.destroyTask(victimCfg.Id, true)

	stopFill()
	err = disk.free()
	freed := time.Now()
	if !rep.checkErr(err, "stop the fill and delete it") {
		return
	}
	fp, ok = s.waitHealth(drivers.FingerprintResponse_HEALTHY, 15*time.Second)
	rep.check(ok, "driver Healthy again after the fill is gone (%s): %q", time.Since(freed).Round(time.Millisecond), descOf(fp))
	if ok {
		time.Sleep(1200 * time.Millisecond) // attribute_min_interval
		node = s.nodeAttributes()
		_, rate := node["unique.driver.swift.disk.fill_rate_mb_per_min"]
		_, full := node["unique.driver.swift.disk.seconds_to_full"]
		rep.check(!rate && !full, "no fill-rate attributes while the disk is not filling")
	}
}

// steadyFill grows the fill file by rateMiB every second (in quarter-second steps) until
// stop is closed or only leaveMiB stay free.
func steadyFill(d *smallDisk, rateMiB int64, leaveMiB int64, stop <-chan struct{}) error {
	f, err := os.OpenFile(filepath.Join(d.dir, "fill"), os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return nil
		case <-tick.C:
		}
		if avail, err := d.availableBytes(); err != nil || avail <= leaveMiB<<20 {
			continue
		}
		want := int64(time.Since(start).Seconds() * float64(rateMiB<<20))
		if err := syscall.Fallocate(int(f.Fd()), 0, 0, want); err != nil {
			continue
		}
	}
}
