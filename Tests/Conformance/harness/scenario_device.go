package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/golang/protobuf/ptypes/empty"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/msgpack"
	"google.golang.org/grpc/codes"

	base "swiftdriver/proto/base"
	device "swiftdriver/proto/device"
	structs "swiftdriver/proto/structs"
)

// The device scenario's figures; fixtures/device/plugin.hcl sets the same.
const (
	devUnitMiB       = 4
	devHeadroomMiB   = 4
	devScratchMiB    = 64
	devSpareMiB      = 16
	devMinInterval   = time.Second
	devStatsInterval = 500 * time.Millisecond
	devReserveN      = 3
)

// deviceDisks are the two tmpfs mounts the scenario watches: "scratch" is the one filled,
// reserved and written; "spare" exists so a Reserve can mix groups.
type deviceDisks struct {
	scratch, spare *smallDisk
}

// runDevice plays Nomad's device manager against nomad-device-swift on real small tmpfs
// mounts: config validation, the first fingerprint, fill and free, Reserve and the
// no-double-count property, bad Reserves, release by directory removal, a restart that keeps
// the ledger, the Stats stream, and the process's stdout and stderr.
func runDevice(rep *reporter, opts options) {
	scratch, err := mountSmallDisk(devScratchMiB)
	if err != nil {
		rep.skip("device scenario skipped: %v", err)
		return
	}
	defer scratch.unmount()
	spare, err := mountSmallDisk(devSpareMiB)
	if err != nil {
		rep.skip("device scenario skipped: %v", err)
		return
	}
	defer spare.unmount()
	disks := deviceDisks{scratch: scratch, spare: spare}

	cfg, _, problem := pluginConfigFromFixtureLabeled(filepath.Join(opts.fixtures, "device", "plugin.hcl"), "nomad-device-swift")
	if !rep.check(problem == "", "fixtures/device/plugin.hcl reads%s", diagSuffix(problem)) {
		return
	}
	cfg["paths"] = []interface{}{scratch.dir, spare.dir}

	start := time.Now()
	s, err := openDeviceSession(rep, opts, cfg)
	if !rep.checkErr(err, "launch through go-plugin as Nomad's device manager (handshake, dispense \"device\", ConfigSchema, SetConfig with the agent config)") {
		return
	}
	rep.info("plugin %s (pid %d) configured in %s", opts.deviceBinary, s.plugin.pid(), time.Since(start).Round(time.Millisecond))
	checkDeviceInfo(rep, s)
	checkDeviceConfigs(rep, s, opts, cfg)

	fp, ok := s.waitFingerprint(time.Second, func(r *device.FingerprintResponse) bool { return true })
	if !rep.check(ok, "first fingerprint within 1 s of opening the stream") {
		s.finish(rep, "first plugin")
		return
	}
	if !checkFirstFingerprint(rep, fp.resp, disks) {
		s.finish(rep, "first plugin")
		return
	}
	// Nomad opens Stats only after the first fingerprint.
	rep.checkErr(s.openStats(devStatsInterval), "Stats stream opens with collection_interval %s", devStatsInterval)

	checkFillAndFree(rep, s, scratch)
	checkDeviceStats(rep, s)
	reservedDir := checkReserveAndWrite(rep, s, scratch)
	checkBadReserves(rep, s)
	if reservedDir != "" {
		checkRelease(rep, s, scratch, reservedDir)
	}
	checkReplace(rep, s)
	s = checkRestart(rep, s, opts, cfg, scratch)
	if s != nil {
		s.finish(rep, "restarted plugin")
	}
	checkDeviceStdout(rep, opts, cfg)
	checkMissingPath(rep, opts, cfg)
	checkRemount(rep, opts, cfg)
}

// checkRemount: the ledger lives on the watched filesystem. When the path's filesystem goes
// away (unmounted, so the path shows its parent's) and comes back, the reservations recorded
// on it are in force again, and nothing was written for them on the parent meanwhile.
func checkRemount(rep *reporter, opts options, good map[string]interface{}) {
	disk, err := mountSmallDisk(devSpareMiB)
	if err != nil {
		rep.skip("remount check skipped: %v", err)
		return
	}
	defer disk.unmount()
	path, err := os.MkdirTemp("", "swift-conformance-bind-")
	if !rep.checkErr(err, "create a mount point for a bind mount") {
		return
	}
	defer os.RemoveAll(path)
	bind := func() error { return syscall.Mount(disk.dir, path, "", syscall.MS_BIND, "") }
	if !rep.checkErr(bind(), "bind-mount a 16 MiB tmpfs on %s", path) {
		return
	}
	mounted := true
	defer func() {
		if mounted {
			_ = syscall.Unmount(path, syscall.MNT_DETACH)
		}
	}()
	cfg := map[string]interface{}{}
	for k, v := range good {
		cfg[k] = v
	}
	cfg["paths"] = []interface{}{path}
	cfg["names"] = []interface{}{"scratch"}
	s, err := openDeviceSession(rep, opts, cfg)
	if !rep.checkErr(err, "launch watching the bind mount") {
		return
	}
	defer s.finish(rep, "remount plugin")
	if _, ok := s.waitFingerprint(time.Second, func(r *device.FingerprintResponse) bool { return true }); !ok {
		rep.fail("no fingerprint")
		return
	}
	res, err := s.reserve("scratch-0000")
	if !rep.checkErr(err, "Reserve [scratch-0000] on the mounted filesystem") || res == nil {
		return
	}
	if err := s.openStats(200 * time.Millisecond); !rep.checkErr(err, "Stats opens") {
		return
	}
	if !rep.checkErr(syscall.Unmount(path, syscall.MNT_DETACH), "unmount it (the path now shows its parent filesystem)") {
		return
	}
	mounted = false
	time.Sleep(800 * time.Millisecond) // four samples
	_, strayErr := os.Stat(filepath.Join(path, ".nomad-device-swift", "ledger.json"))
	rep.check(os.IsNotExist(strayErr), "no ledger written on the parent filesystem while the disk was away")
	if !rep.checkErr(bind(), "mount it again") {
		return
	}
	mounted = true
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && statFigure(s, "reserved") != devUnitMiB {
		time.Sleep(50 * time.Millisecond)
	}
	rep.check(statFigure(s, "reserved") == devUnitMiB, "after the remount the reservation recorded on the disk is in force again (Stats: %d MiB reserved, want %d)", statFigure(s, "reserved"), devUnitMiB)
}

// checkMissingPath: a configured path that does not exist (a disk not mounted yet) is not
// offered, and the plugin says so in its log once, not at every sample.
func checkMissingPath(rep *reporter, opts options, good map[string]interface{}) {
	cfg := map[string]interface{}{}
	for k, v := range good {
		cfg[k] = v
	}
	paths := good["paths"].([]interface{})
	missing := "/nonexistent-swift-device-path"
	cfg["paths"] = []interface{}{paths[0], missing}
	cfg["names"] = []interface{}{"scratch", "gone"}
	s, err := openDeviceSession(rep, opts, cfg)
	if !rep.checkErr(err, "launch with a second path that does not exist (%s)", missing) {
		return
	}
	fp, ok := s.waitFingerprint(time.Second, func(r *device.FingerprintResponse) bool { return true })
	rep.check(ok && deviceGroup(fp.resp, "scratch") != nil && deviceGroup(fp.resp, "gone") == nil,
		"the existing path is offered, the missing one is not")
	time.Sleep(2 * time.Second) // ten samples
	n := s.plugin.audit.linesContaining(missing)
	rep.check(n <= 2, "the missing path is logged once, not at every sample (%d stderr lines name it in 2 s of 200 ms samples)", n)
	s.finish(rep, "missing-path plugin")
}

// checkDeviceInfo: PluginInfo as the loader reads it before it accepts a device plugin.
func checkDeviceInfo(rep *reporter, s *deviceSession) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var info base.PluginInfoResponse
	if !rep.checkErr(unary(ctx, s.conn, methodPluginInfo, &base.PluginInfoRequest{}, &info), "PluginInfo answers") {
		return
	}
	rep.check(info.Type == base.PluginType_DEVICE, "PluginInfo type is DEVICE (got %v)", info.Type)
	rep.check(contains(info.PluginApiVersions, "v0.1.0"), "PluginInfo api versions contain v0.1.0 (got %v)", info.PluginApiVersions)
	rep.check(info.Name != "" && info.PluginVersion != "", "PluginInfo has a name and a version (%q %q)", info.Name, info.PluginVersion)
}

// checkDeviceConfigs sends bad plugin blocks as the loader validates them at agent start (no
// agent config), and a valid block that differs from the one in force: validation alone must
// not reconfigure the instance Nomad keeps (checked later through unit_size).
func checkDeviceConfigs(rep *reporter, s *deviceSession, opts options, good map[string]interface{}) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	spec, ok := fetchConfigSpec(ctx, rep, s.conn)
	if !ok {
		return
	}
	files, _ := filepath.Glob(filepath.Join(opts.fixtures, "device", "invalid", "*.hcl"))
	if !rep.check(len(files) > 0, "device config fixtures in fixtures/device/invalid") {
		return
	}
	for _, f := range files {
		name := "device/invalid/" + filepath.Base(f)
		cfg, exp, problem := pluginConfigFromFixtureLabeled(f, "nomad-device-swift")
		if problem != "" {
			rep.fail("fixture %s is broken: %s", name, problem)
			continue
		}
		_, packed, diags := decodeLikeNomad(cfg, spec, nil)
		if diags.HasErrors() {
			msg := diagText(diags)
			okText, missing := containsAll(msg, exp.texts)
			rep.check(exp.outcome == "hcl-error" && okText, "%s: rejected by Nomad's own decode against ConfigSchema: %s%s", name, msg, missingSuffix(missing))
			continue
		}
		if exp.outcome == "hcl-error" {
			rep.fail("%s: expected Nomad's decode to reject it, but it decoded", name)
			continue
		}
		for _, agent := range []bool{false, true} {
			var err error
			what := "validation (no agent config)"
			if agent {
				err = setConfig(ctx, s.conn, packed)
				what = "in force (agent config set)"
			} else {
				err = validateConfig(ctx, s.conn, packed)
			}
			checkRefusal(rep, err, name+": SetConfig "+what, exp.texts)
		}
	}

	// An unknown key that bypasses Nomad's decode: the plugin's own decoding must refuse it too.
	val, _, diags := decodeLikeNomad(good, spec, nil)
	if !diags.HasErrors() {
		if extra, err := msgpackWithExtraKey(val, "unit_gb", 4); rep.checkErr(err, "msgpack config with an unknown key built") {
			checkRefusal(rep, validateConfig(ctx, s.conn, extra), "SetConfig of msgpack with an unknown key (unit_gb)", []string{"unit_gb"})
		}
	}

	// A different valid block, validation only.
	other := map[string]interface{}{}
	for k, v := range good {
		other[k] = v
	}
	other["unit_mb"] = 8
	if _, packed, diags := decodeLikeNomad(other, spec, nil); !diags.HasErrors() {
		rep.checkErr(validateConfig(ctx, s.conn, packed), "SetConfig without agent config (validation) accepts a valid block with unit_mb = 8")
	}
}

// checkRefusal: INVALID_ARGUMENT and one readable sentence that names what is wrong.
func checkRefusal(rep *reporter, err error, what string, texts []string) {
	if err == nil {
		rep.fail("%s: accepted", what)
		return
	}
	msg := grpcMessage(err)
	okText, missing := containsAll(msg, texts)
	oneLine := !strings.Contains(strings.TrimSpace(msg), "\n") && len(strings.TrimSpace(msg)) > 10
	rep.check(grpcCode(err) == codes.InvalidArgument && okText && oneLine,
		"%s: refused with %s, one sentence %q%s", what, grpcCode(err), msg, missingSuffix(missing))
}

// checkFirstFingerprint: one group per path, vendor swift type disk, the instance count the
// layout gives, healthy ones from what statvfs says, and the constraint attributes.
func checkFirstFingerprint(rep *reporter, resp *device.FingerprintResponse, disks deviceDisks) bool {
	rep.check(len(resp.DeviceGroup) == 2, "first fingerprint has one group per watched path (2, got %d)", len(resp.DeviceGroup))
	problems := nomadDeviceGroupProblems(resp)
	rep.check(len(problems) == 0, "every group passes Nomad's DeviceGroup.Validate (a failure drops all the plugin's devices)%s", badSuffix(problems))
	g := deviceGroup(resp, "scratch")
	if !rep.check(g != nil, "group \"scratch\" is in the first fingerprint") {
		return false
	}
	rep.check(g.Vendor == "swift" && g.DeviceType == "disk", "group is vendor swift, type disk (got %s/%s/%s)", g.Vendor, g.DeviceType, g.DeviceName)
	wantTotal := (devScratchMiB - devHeadroomMiB) / devUnitMiB
	c := countGroup(g, nil)
	rep.check(c.total == wantTotal, "scratch has (64 - 4 headroom) / 4 = %d instances (got %d)", wantTotal, c.total)
	want := expectedFree(disks.scratch, 0, wantTotal)
	rep.check(c.healthy == want, "%d of them healthy, as statvfs says (got %s)", want, c)
	rep.check(len(g.Devices) > 0 && g.Devices[0].ID == "scratch-0000", "instance IDs are <group>-<index> (first %q)", firstID(g))
	attrs := map[string]string{}
	for k, a := range g.Attributes {
		attrs[k] = attributeString(a)
	}
	rep.info("scratch attributes: %s", formatAttributes(g.Attributes))
	rep.check(attrs["path"] == disks.scratch.dir, "attribute path = %s (got %q)", disks.scratch.dir, attrs["path"])
	rep.check(attrs["filesystem"] == "tmpfs", "attribute filesystem = tmpfs (got %q)", attrs["filesystem"])
	rep.check(attrs["capacity"] == strconv.Itoa(devScratchMiB)+"MiB", "attribute capacity = %d MiB (got %q)", devScratchMiB, attrs["capacity"])
	rep.check(attrs["unit_size"] == strconv.Itoa(devUnitMiB)+"MiB", "attribute unit_size = %d MiB, not the 8 a validation-only SetConfig sent (got %q)", devUnitMiB, attrs["unit_size"])
	if sp := deviceGroup(resp, "spare"); rep.check(sp != nil, "group \"spare\" is in the first fingerprint") {
		rep.check(len(sp.Devices) == (devSpareMiB-devHeadroomMiB)/devUnitMiB, "spare has %d instances (got %d)", (devSpareMiB-devHeadroomMiB)/devUnitMiB, len(sp.Devices))
	}
	return c.total == wantTotal
}

func firstID(g *device.DeviceGroup) string {
	if len(g.Devices) == 0 {
		return ""
	}
	return g.Devices[0].ID
}

// expectedFree is the plugin's rule computed from the harness's own statvfs: unreserved
// healthy instances = (available − headroom − promised) / unit, capped at the instance count.
func expectedFree(d *smallDisk, promisedMiB int64, total int) int {
	avail, err := d.availableBytes()
	if err != nil {
		return -1
	}
	n := (avail - (devHeadroomMiB+promisedMiB)<<20) / (devUnitMiB << 20)
	if n < 0 {
		n = 0
	}
	if n > int64(total) {
		n = int64(total)
	}
	return int(n)
}

// unhealthyAreHighest reports whether, among unreserved instances, every unhealthy one has a
// higher index than every healthy one, and every unhealthy one says why.
func unhealthyAreHighest(g *device.DeviceGroup, reserved map[string]bool) (ordered bool, described bool) {
	seenUnhealthy := false
	ordered, described = true, true
	for _, d := range g.Devices { // the plugin lists them by index
		if reserved[d.ID] {
			continue
		}
		if !d.Healthy {
			seenUnhealthy = true
			if strings.TrimSpace(d.HealthDescription) == "" {
				described = false
			}
		} else if seenUnhealthy {
			ordered = false
		}
	}
	return ordered, described
}

// checkFillAndFree: a file written outside the state directory lowers the healthy count at
// the next sample, highest-numbered first; freeing it restores them once
// fingerprint_min_interval has passed since the last update.
func checkFillAndFree(rep *reporter, s *deviceSession, scratch *smallDisk) {
	const leaveFree = devHeadroomMiB + 5*devUnitMiB + 2 // five units beyond the headroom
	path, err := scratch.fillLeaving(leaveFree)
	filled := time.Now()
	if !rep.checkErr(err, "fallocate the scratch tmpfs down to about %d MiB free", leaveFree) {
		return
	}
	want := expectedFree(scratch, 0, 15)
	fp, ok := s.waitFingerprint(2*time.Second, func(r *device.FingerprintResponse) bool {
		return countGroup(deviceGroup(r, "scratch"), nil).healthy == want
	})
	latency := fp.at.Sub(filled)
	g := deviceGroup(fp.resp, "scratch")
	rep.check(ok, "fill → healthy count %d within 2 s: fingerprint after %s (sample interval 200ms) (%s)", want, latency.Round(time.Millisecond), countGroup(g, nil))
	if ok {
		rep.info("fill → unhealthy latency: %s", latency.Round(time.Millisecond))
		ordered, described := unhealthyAreHighest(g, nil)
		rep.check(ordered, "the highest-numbered instances turned unhealthy (healthy: %v)", countGroup(g, nil).healthyIDs)
		rep.check(described, "every unhealthy instance has a health description (%q)", lastDescription(g))
	}
	unhealthyAt := fp.at

	err = os.Remove(path)
	freed := time.Now()
	if !rep.checkErr(err, "delete the fill file") {
		return
	}
	wantBack := expectedFree(scratch, 0, 15)
	fp, ok = s.waitFingerprint(devMinInterval+2*time.Second, func(r *device.FingerprintResponse) bool {
		return countGroup(deviceGroup(r, "scratch"), nil).healthy == wantBack
	})
	rep.check(ok, "free → %d healthy again after %s (%s)", wantBack, fp.at.Sub(freed).Round(time.Millisecond), countGroup(deviceGroup(fp.resp, "scratch"), nil))
	if ok {
		gap := fp.at.Sub(unhealthyAt)
		rep.check(gap >= devMinInterval-300*time.Millisecond, "recovery waited for fingerprint_min_interval (%s) since the last update (%s)", devMinInterval, gap.Round(time.Millisecond))
	}
}

func lastDescription(g *device.DeviceGroup) string {
	for i := len(g.Devices) - 1; i >= 0; i-- {
		if !g.Devices[i].Healthy {
			return g.Devices[i].HealthDescription
		}
	}
	return ""
}

// checkDeviceStats: one answer per collection interval, stats for every instance, MiB summaries,
// the group figures.
func checkDeviceStats(rep *reporter, s *deviceSession) {
	deadline := time.Now().Add(3 * devStatsInterval)
	var resp *device.StatsResponse
	var n int
	var err error
	for time.Now().Before(deadline) {
		if resp, n, err = s.latestStats(); n >= 2 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !rep.check(n >= 2, "Stats stream: %d answers within 3 collection intervals (%s)", n, describeErr(err)) || resp == nil {
		return
	}
	var group *device.DeviceGroupStats
	for _, g := range resp.Groups {
		if g.Name == "scratch" {
			group = g
		}
	}
	if !rep.check(group != nil && group.Vendor == "swift" && group.Type == "disk", "Stats has the swift/disk/scratch group") {
		return
	}
	fp, _ := s.latest()
	g := deviceGroup(fp.resp, "scratch")
	missing, badUnit := 0, 0
	for _, d := range g.Devices {
		st := group.InstanceStats[d.ID]
		if st == nil || st.Summary == nil {
			missing++
			continue
		}
		if st.Summary.Unit != "MiB" {
			badUnit++
		}
	}
	rep.check(missing == 0 && len(group.InstanceStats) == len(g.Devices), "Stats for every instance (%d of %d, %d missing)", len(group.InstanceStats), len(g.Devices), missing)
	rep.check(badUnit == 0, "every instance summary is in MiB (%d not)", badUnit)
	if st := group.InstanceStats["scratch-0000"]; st != nil && st.Stats != nil {
		var keys []string
		for _, k := range []string{"available", "offerable", "reserved", "reserved_written", "free_instances"} {
			if st.Stats.Attributes[k] == nil {
				keys = append(keys, k)
			}
		}
		rep.check(len(keys) == 0, "instance stats carry the group figures available/offerable/reserved/reserved_written/free_instances (missing %v)", keys)
		if sv := st.Stats.Attributes["available"]; sv != nil && sv.IntNumeratorVal != nil {
			rep.info("scratch stats: available %d MiB, summary %q", sv.IntNumeratorVal.Value, st.Summary.Desc)
		}
	} else {
		rep.fail("no stats object for scratch-0000")
	}
}

// statFigure reads one group figure (MiB) from the newest Stats answer; -1 if absent.
func statFigure(s *deviceSession, key string) int64 {
	resp, _, _ := s.latestStats()
	if resp == nil {
		return -1
	}
	for _, g := range resp.Groups {
		if g.Name != "scratch" {
			continue
		}
		if st := g.InstanceStats["scratch-0000"]; st != nil && st.Stats != nil {
			if v := st.Stats.Attributes[key]; v != nil && v.IntNumeratorVal != nil {
				return v.IntNumeratorVal.Value
			}
		}
	}
	return -1
}

func reservedIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "scratch-000" + strconv.Itoa(i)
	}
	return ids
}

func idSet(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// allocate makes a file of size bytes (fallocate: real blocks, as a task writing would).
func allocate(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	return syscall.Fallocate(int(f.Fd()), 0, 0, size)
}

// checkReserveAndWrite: Reserve of N healthy instances answers the env vars; writing inside
// the reservation's directory costs the scheduler nothing more, writing outside does.
// It returns the reservation's directory ("" if Reserve failed).
func checkReserveAndWrite(rep *reporter, s *deviceSession, scratch *smallDisk) string {
	ids := reservedIDs(devReserveN)
	held := idSet(ids)
	res, err := s.reserve(ids...)
	if !rep.checkErr(err, "Reserve %v", ids) || res == nil {
		return ""
	}
	env := res.Envs
	dir := env["SWIFT_DISK_PATH"]
	st, statErr := os.Stat(dir)
	rep.check(statErr == nil && st.IsDir(), "SWIFT_DISK_PATH is an existing directory (%q)", dir)
	rep.check(strings.HasPrefix(dir, scratch.dir+"/.nomad-device-swift/"), "SWIFT_DISK_PATH is under the watched path's state directory")
	rep.check(env["SWIFT_DISK_BUDGET_MB"] == strconv.Itoa(devReserveN*devUnitMiB), "SWIFT_DISK_BUDGET_MB = %d (got %q)", devReserveN*devUnitMiB, env["SWIFT_DISK_BUDGET_MB"])
	rep.check(env["SWIFT_DISK_RESERVATION"] != "" && env["SWIFT_DISK_RESERVATION"] == filepath.Base(dir), "SWIFT_DISK_RESERVATION names the directory (%q)", env["SWIFT_DISK_RESERVATION"])

	// Reserved and nothing written: the reserved instances stay healthy and the unreserved
	// ones are what is left beyond headroom and the promise.
	free0 := expectedFree(scratch, devReserveN*devUnitMiB, 15)
	fp, ok := s.waitFingerprint(2*time.Second, func(r *device.FingerprintResponse) bool {
		c := countGroup(deviceGroup(r, "scratch"), held)
		return c.free == free0 && c.healthy == free0+devReserveN
	})
	g := deviceGroup(fp.resp, "scratch")
	rep.check(ok, "after Reserve: the %d reserved instances healthy, %d free (got %s)", devReserveN, free0, countGroup(g, held))
	if g != nil {
		ordered, _ := unhealthyAreHighest(g, held)
		rep.check(ordered, "unreserved instances go unhealthy highest-numbered first (healthy: %v)", countGroup(g, held).healthyIDs)
	}

	// Write two units inside the reservation.
	const writeMiB = 2 * devUnitMiB
	before := s.fingerprintCount()
	if !rep.checkErr(allocate(filepath.Join(dir, "task-output"), writeMiB<<20), "write %d MiB inside the reserved directory", writeMiB) {
		return dir
	}
	wroteAt := time.Now()
	for time.Since(wroteAt) < 3*time.Second && statFigure(s, "reserved_written") < writeMiB {
		time.Sleep(50 * time.Millisecond)
	}
	rep.check(statFigure(s, "reserved_written") >= writeMiB, "Stats shows the reservation's %d MiB written (%d MiB)", writeMiB, statFigure(s, "reserved_written"))
	time.Sleep(400 * time.Millisecond) // two more samples
	lowest := free0
	s.mu.Lock()
	for _, f := range s.fps[before:] {
		if c := countGroup(deviceGroup(f.resp, "scratch"), held); c.free < lowest {
			lowest = c.free
		}
	}
	s.mu.Unlock()
	fp, _ = s.latest()
	rep.check(lowest == free0 && countGroup(deviceGroup(fp.resp, "scratch"), held).free == free0,
		"writing %d MiB inside the reservation leaves the free count at %d (lowest seen %d): no unit is counted twice", writeMiB, free0, lowest)

	// The same amount outside any reservation does cost the scheduler two units.
	outside := filepath.Join(scratch.dir, "outside")
	if !rep.checkErr(allocate(outside, writeMiB<<20), "write %d MiB outside any reservation", writeMiB) {
		return dir
	}
	outsideAt := time.Now()
	wantLow := expectedFree(scratch, devReserveN*devUnitMiB-writeMiB, 15)
	fp, ok = s.waitFingerprint(2*time.Second, func(r *device.FingerprintResponse) bool {
		return countGroup(deviceGroup(r, "scratch"), held).free == wantLow
	})
	rep.check(ok && wantLow == free0-writeMiB/devUnitMiB, "writing %d MiB outside lowers the free count %d → %d within 2 s (%s)", writeMiB, free0, wantLow, fp.at.Sub(outsideAt).Round(time.Millisecond))
	_ = os.Remove(outside)
	fp, ok = s.waitFingerprint(devMinInterval+2*time.Second, func(r *device.FingerprintResponse) bool {
		return countGroup(deviceGroup(r, "scratch"), held).free == free0
	})
	rep.check(ok, "removing the outside file gives the %d units back (free %d)", writeMiB/devUnitMiB, countGroup(deviceGroup(fp.resp, "scratch"), held).free)
	return dir
}

// checkBadReserves: what the scheduler could never send, refused without changing anything.
func checkBadReserves(rep *reporter, s *deviceSession) {
	cases := []struct {
		what string
		ids  []string
	}{
		{"an unknown instance ID", []string{"scratch-9999"}},
		{"another vendor's ID", []string{"gpu-0000"}},
		{"IDs of two groups", []string{"scratch-0010", "spare-0000"}},
		{"an empty list", nil},
		{"an ID twice", []string{"scratch-0011", "scratch-0011"}},
	}
	for _, c := range cases {
		_, err := s.reserve(c.ids...)
		checkRefusal(rep, err, "Reserve of "+c.what, nil)
	}
}

// checkRelease: the swift driver removes the directory when it destroys the task; the plugin
// then forgets the reservation and its instances are free again. The device list alone cannot
// show it (an unwritten reservation and free space give the same healthy count), so the
// plugin's own figures in Stats are checked: nothing reserved, the free count back.
func checkRelease(rep *reporter, s *deviceSession, scratch *smallDisk, dir string) {
	freeHeld := statFigure(s, "free_instances")
	if !rep.checkErr(os.RemoveAll(dir), "remove the reservation's directory (as the driver does at DestroyTask)") {
		return
	}
	removed := time.Now()
	want := freeHeld + devReserveN
	deadline := removed.Add(2 * time.Second)
	for time.Now().Before(deadline) && !(statFigure(s, "reserved") == 0 && statFigure(s, "free_instances") == want) {
		time.Sleep(50 * time.Millisecond)
	}
	rep.check(statFigure(s, "reserved") == 0 && statFigure(s, "free_instances") == want,
		"released within 2 s: Stats shows %d MiB reserved and the free count %d → %d (the %d instances back) after %s",
		statFigure(s, "reserved"), freeHeld, statFigure(s, "free_instances"), devReserveN, time.Since(removed).Round(time.Millisecond))
	wantHealthy := expectedFree(scratch, 0, 15)
	fp, ok := s.waitFingerprint(devMinInterval+2*time.Second, func(r *device.FingerprintResponse) bool {
		return countGroup(deviceGroup(r, "scratch"), nil).healthy == wantHealthy
	})
	rep.check(ok, "device list after the release: %d healthy, nothing promised (%s)", wantHealthy, countGroup(deviceGroup(fp.resp, "scratch"), nil))
}

// checkReplace: Nomad gives an instance to one allocation at a time, so a Reserve that takes an
// instance of a live reservation means that reservation's allocation is gone: it is replaced
// and its directory removed.
func checkReplace(rep *reporter, s *deviceSession) {
	first, err := s.reserve("scratch-0003", "scratch-0004")
	if !rep.checkErr(err, "Reserve [scratch-0003 scratch-0004]") || first == nil {
		return
	}
	second, err := s.reserve("scratch-0004", "scratch-0005")
	if !rep.checkErr(err, "Reserve [scratch-0004 scratch-0005], which takes scratch-0004 again") || second == nil {
		return
	}
	_, firstErr := os.Stat(first.Envs["SWIFT_DISK_PATH"])
	_, secondErr := os.Stat(second.Envs["SWIFT_DISK_PATH"])
	rep.check(os.IsNotExist(firstErr) && secondErr == nil && first.Envs["SWIFT_DISK_RESERVATION"] != second.Envs["SWIFT_DISK_RESERVATION"],
		"the earlier reservation %s is replaced (its directory removed) by %s", first.Envs["SWIFT_DISK_RESERVATION"], second.Envs["SWIFT_DISK_RESERVATION"])
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && statFigure(s, "reserved") != 2*devUnitMiB {
		time.Sleep(50 * time.Millisecond)
	}
	rep.check(statFigure(s, "reserved") == 2*devUnitMiB, "Stats counts only the new reservation (%d MiB reserved)", statFigure(s, "reserved"))
	_ = os.RemoveAll(second.Envs["SWIFT_DISK_PATH"])
	for time.Now().Before(deadline.Add(2*time.Second)) && statFigure(s, "reserved") != 0 {
		time.Sleep(50 * time.Millisecond)
	}
}

// checkRestart: a reservation survives the plugin: kill -9, launch again as Nomad relaunches a
// crashed device plugin, and the ledger gives the same free count and the same reservation.
// The reservation has written part of its budget first: then a lost ledger would show on the
// device list (the written bytes would count against free space and nothing would be promised).
func checkRestart(rep *reporter, s *deviceSession, opts options, cfg map[string]interface{}, scratch *smallDisk) *deviceSession {
	ids := reservedIDs(devReserveN)
	held := idSet(ids)
	res, err := s.reserve(ids...)
	if !rep.checkErr(err, "Reserve %v again before the restart", ids) || res == nil {
		return s
	}
	const writeMiB = 2 * devUnitMiB
	if !rep.checkErr(allocate(filepath.Join(res.Envs["SWIFT_DISK_PATH"], "task-output"), writeMiB<<20), "the reservation writes %d MiB of its %d", writeMiB, devReserveN*devUnitMiB) {
		return s
	}
	free := expectedFree(scratch, devReserveN*devUnitMiB-writeMiB, 15)
	fp, ok := s.waitFingerprint(2*time.Second, func(r *device.FingerprintResponse) bool {
		return countGroup(deviceGroup(r, "scratch"), held).free == free
	})
	before := countGroup(deviceGroup(fp.resp, "scratch"), held)
	rep.check(ok, "before the restart: %s", before)
	lost := expectedFree(scratch, 0, 15)
	rep.info("a plugin that lost the ledger would offer %d healthy, %d free", lost, lost-devReserveN)
	_, bad := s.plugin.audit.result()
	rep.check(len(bad) == 0, "first plugin: every stderr line hclog JSON%s", badSuffix(bad))
	if !rep.checkErr(s.plugin.killHard(), "kill -9 the plugin") {
		return nil
	}
	s.cancel()

	s2, err := openDeviceSession(rep, opts, cfg)
	if !rep.checkErr(err, "launch the plugin again through go-plugin") {
		return nil
	}
	fp, ok = s2.waitFingerprint(time.Second, func(r *device.FingerprintResponse) bool { return true })
	after := countGroup(deviceGroup(fp.resp, "scratch"), held)
	// Free counts, not healthy ones: a reservation's own written instances turn unhealthy at
	// the next permitted update (they are held either way), so the restarted plugin's first
	// list may show them already.
	rep.check(ok && after.free == before.free && after.free != lost-devReserveN,
		"after the restart the ledger restores the reservation: %s (before: %s)", after, before)
	again, err := s2.reserve(ids...)
	if rep.checkErr(err, "Reserve of the same IDs after the restart (as a restarted client repeats it)") && again != nil {
		rep.check(again.Envs["SWIFT_DISK_RESERVATION"] == res.Envs["SWIFT_DISK_RESERVATION"] && again.Envs["SWIFT_DISK_PATH"] == res.Envs["SWIFT_DISK_PATH"],
			"it is the same reservation and directory (%q)", again.Envs["SWIFT_DISK_RESERVATION"])
		_, statErr := os.Stat(filepath.Join(again.Envs["SWIFT_DISK_PATH"], "task-output"))
		rep.check(statErr == nil, "what the task wrote is still there (a repeated Reserve keeps the directory)")
	}
	if err := s2.openStats(devStatsInterval); rep.checkErr(err, "restarted plugin: Stats opens") {
		time.Sleep(devStatsInterval + 200*time.Millisecond)
		rep.check(statFigure(s2, "reserved") == devReserveN*devUnitMiB && statFigure(s2, "reserved_written") == writeMiB,
			"restarted plugin: Stats reports %d MiB reserved, %d written (%d, %d)", devReserveN*devUnitMiB, writeMiB, statFigure(s2, "reserved"), statFigure(s2, "reserved_written"))
	}
	_ = os.RemoveAll(res.Envs["SWIFT_DISK_PATH"])
	return s2
}

// checkDeviceStdout: go-plugin's host drops what a plugin prints on stdout after the
// handshake, so the harness launches by hand once, drives the RPCs, and reads stdout itself.
func checkDeviceStdout(rep *reporter, opts options, cfg map[string]interface{}) {
	p, err := startDeviceByHand(opts.deviceBinary)
	if !rep.checkErr(err, "launch by hand with the cookie (for stdout)") {
		return
	}
	defer killUnlessExited(p.cmd, p.exited)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var resp base.ConfigSchemaResponse
	if rep.checkErr(unary(ctx, p.conn, methodConfigSchema, &base.ConfigSchemaRequest{}, &resp), "by hand: ConfigSchema") {
		if spec, diags := convertSpec(resp.Spec); !diags.HasErrors() {
			if _, packed, d := decodeLikeNomad(cfg, spec, nil); !d.HasErrors() {
				rep.checkErr(setConfig(ctx, p.conn, packed), "by hand: SetConfig")
			}
		}
	}
	if stream, err := serverStream(ctx, p.conn, deviceMethod("Fingerprint"), &device.FingerprintRequest{}); err == nil {
		var m device.FingerprintResponse
		rep.checkErr(stream.RecvMsg(&m), "by hand: a fingerprint")
	}
	if stream, err := serverStream(ctx, p.conn, deviceMethod("Stats"), &device.StatsRequest{}); err == nil {
		var m device.StatsResponse
		rep.checkErr(stream.RecvMsg(&m), "by hand: a Stats answer")
	}
	_ = unary(ctx, p.conn, deviceMethod("Reserve"), &device.ReserveRequest{DeviceIds: []string{"scratch-9999"}}, &device.ReserveResponse{})
	_ = unary(ctx, p.conn, methodShutdown, &empty.Empty{}, &empty.Empty{})
	select {
	case <-p.exited:
	case <-time.After(3 * time.Second):
		rep.fail("by hand: plugin still running 3 s after Shutdown")
	}
	var extra []string
	for l := range p.lines {
		extra = append(extra, l)
	}
	rep.check(len(extra) == 0, "nothing on stdout after the handshake line through SetConfig, Fingerprint, Stats, Reserve and Shutdown (got %d lines %q)", len(extra), extra)
	if a, ok := p.cmd.Stderr.(*stderrAudit); ok {
		n, bad := a.result()
		rep.check(len(bad) == 0, "by hand: %d stderr lines, all hclog JSON%s", n, badSuffix(bad))
	}
}

// msgpackWithExtraKey encodes a decoded config object with one more attribute, as no Nomad
// decode would produce it: what the plugin's own decoding must refuse.
func msgpackWithExtraKey(val cty.Value, key string, n int64) ([]byte, error) {
	attrs := map[string]cty.Value{}
	for k, v := range val.AsValueMap() {
		attrs[k] = v
	}
	attrs[key] = cty.NumberIntVal(n)
	obj := cty.ObjectVal(attrs)
	return msgpack.Marshal(obj, obj.Type())
}

// nomadUnits are the unit names Nomad's plugins/shared/structs knows (UnitIndex): an attribute
// with any other unit fails validation.
var nomadUnits = map[string]bool{}

func init() {
	for _, u := range []string{"B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "TB", "TiB", "PB", "PiB", "EB", "EiB"} {
		nomadUnits[u] = true
		nomadUnits[u+"/s"] = true
	}
	for _, u := range []string{"Hz", "kHz", "KHz", "MHz", "GHz", "mW", "W", "kW", "MW", "GW"} {
		nomadUnits[u] = true
	}
}

// nomadDeviceGroupProblems applies Nomad's DeviceGroup.Validate (plugins/device/device.go) to
// a device list as the client's device manager does before it accepts it: vendor, type and
// name set, every instance ID set, attribute units known and only on numbers.
func nomadDeviceGroupProblems(resp *device.FingerprintResponse) []string {
	var out []string
	for _, g := range resp.DeviceGroup {
		if g.Vendor == "" || g.DeviceType == "" || g.DeviceName == "" {
			out = append(out, "a group lacks vendor, type or name")
		}
		for i, d := range g.Devices {
			if d.ID == "" {
				out = append(out, "device "+strconv.Itoa(i)+" of "+g.DeviceName+" has no ID")
			}
		}
		for k, a := range g.Attributes {
			if a.Unit == "" {
				continue
			}
			if !nomadUnits[a.Unit] {
				out = append(out, "attribute "+k+" has a unit Nomad does not know: "+a.Unit)
			}
			if a.GetStringVal() != "" || a.GetValue() == nil {
				out = append(out, "attribute "+k+" has a unit on a non-number")
			}
			if _, isBool := a.Value.(*structs.Attribute_BoolVal); isBool {
				out = append(out, "attribute "+k+" has a unit on a boolean")
			}
		}
	}
	return out
}
