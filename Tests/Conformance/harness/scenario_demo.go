package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	drivers "swiftdriver/proto/drivers"
)

// runDemo narrates, step by step, what a Nomad client and SwiftDriver do when a node's disk
// fills under a running web service — the README's demo when no `nomad` binary is present.
func runDemo(rep *reporter, opts options) {
	step := 0
	say := func(format string, args ...interface{}) {
		step++
		fmt.Printf("\n--- step %d: %s\n", step, fmt.Sprintf(format, args...))
	}
	goAPI, _ := filepath.Abs(opts.goAPI)
	if _, err := os.Stat(goAPI); err != nil {
		rep.fail("go-api binary %s is missing: build it with `swift build` or set GO_API_BINARY", goAPI)
		return
	}

	say("mount a 64 MiB tmpfs to stand in for the node's data disk")
	disk, err := mountSmallDisk(64)
	if err != nil {
		rep.skip("demo needs a small filesystem: %v", err)
		return
	}
	defer disk.unmount()
	root, err := os.MkdirTemp("", "swift-demo-")
	if !rep.checkErr(err, "allocation directory root") {
		return
	}
	defer os.RemoveAll(root)
	rep.info("watched path: %s (hard threshold 16 MiB free, transition period 2 s)", disk.dir)

	say("the Nomad client launches nomad-driver-swift from plugin_dir (go-plugin handshake, SetConfig)")
	cfg, err := diskPluginConfig(opts.fixtures, disk.dir)
	if !rep.checkErr(err, "demo plugin config") {
		return
	}
	s, err := openSession(rep, opts, cfg)
	if !rep.checkErr(err, "plugin launched and configured") {
		return
	}
	defer s.close()
	fp, ok := s.waitHealth(drivers.FingerprintResponse_HEALTHY, 2*time.Second)
	rep.check(ok, "driver fingerprint: %v", healthOf(fp))
	if fp != nil {
		rep.info("node attributes from the driver: %s", formatAttributes(fp.Attributes))
	}

	say("the scheduler places go-api here; the client calls StartTask with NOMAD_PORT_http set")
	port, err := freePort()
	if !rep.checkErr(err, "pick a free port for the http label") {
		return
	}
	a, apiCfg, wait := startGoAPI(rep, s, root, opts, goAPI, port)
	if a == nil {
		return
	}
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	body, err := waitHTTP(url, 10*time.Second)
	if rep.checkErr(err, "curl %s answers", url) {
		rep.info("go-api says: %s", oneLine(body, 160))
	}

	say("the disk fills: fallocate leaves about 8 MiB free")
	filled := time.Now()
	if _, err := disk.fillLeaving(8); !rep.checkErr(err, "fill the disk") {
		return
	}
	fp, ok = s.waitHealth(drivers.FingerprintResponse_UNHEALTHY, 2*time.Second)
	rep.check(ok, "health flips to Unhealthy in %s — the scheduler stops placing swift tasks on this node", time.Since(filled).Round(time.Millisecond))
	rep.info("health description (becomes a node event): %q", descOf(fp))
	time.Sleep(200 * time.Millisecond)
	node := s.nodeAttributes()
	rep.info("driver.swift.disk.pressure=%s unique.driver.swift.disk.available_mb=%s", node["driver.swift.disk.pressure"], node["unique.driver.swift.disk.available_mb"])

	say("the driver evicts go-api so Nomad reschedules it on a healthy node")
	select {
	case r := <-wait:
		rep.check(r.err == nil && r.resp.Result != nil && strings.Contains(r.resp.Err, "evicted"), "go-api evicted: %s", describeExit(r))
	case <-time.After(20 * time.Second):
		rep.fail("go-api was not evicted within 20 s")
		_ = s.stopTask(apiCfg.Id, "SIGKILL", time.Second)
	}
	if tail := lastLines(a.stdout.text()+a.stderr.text(), 3); tail != "" {
		rep.info("go-api's last log lines (read from its FIFOs):\n%s", tail)
	}
	for _, e := range s.eventsMatching("evicted") {
		rep.info("task event shown in `nomad alloc status`: %q", e.Message)
	}
	_, err = http.Get(url)
	rep.check(err != nil, "go-api no longer answers on this node (%v)", errShort(err))
	_ = s.destroyTask(apiCfg.Id, true)

	say("a replacement placed here before the servers saw the health change is refused")
	refusedPort, _ := freePort()
	a2, err := newAllocation(root, "go-api")
	if err == nil {
		tf, _ := goAPIFixture(opts, goAPI)
		if tf != nil {
			c, diags := buildTaskConfig(a2, tf, s.taskSpec, portEnv(refusedPort))
			if !diags.HasErrors() {
				_, err := s.startTask(c)
				rep.check(err != nil, "StartTask refused: %s", describeErr(err))
				if err == nil {
					_ = s.stopTask(c.Id, "SIGKILL", time.Second)
					_ = s.destroyTask(c.Id, true)
				}
			}
		}
	}

	say("the operator frees the space")
	freed := time.Now()
	rep.checkErr(disk.free(), "delete the fill file")
	fp, ok = s.waitHealth(drivers.FingerprintResponse_HEALTHY, 12*time.Second)
	rep.check(ok, "health returns to Healthy after the transition period (%s)", time.Since(freed).Round(time.Millisecond))
	rep.info("health description: %q", descOf(fp))

	say("the node takes work again: go-api starts and answers")
	port2, err := freePort()
	if !rep.checkErr(err, "pick a free port") {
		return
	}
	a3, cfg3, wait3 := startGoAPI(rep, s, root, opts, goAPI, port2)
	if a3 == nil {
		return
	}
	url2 := fmt.Sprintf("http://127.0.0.1:%d/health", port2)
	body, err = waitHTTP(url2, 10*time.Second)
	if rep.checkErr(err, "curl %s answers", url2) {
		rep.info("go-api /health: %s", oneLine(body, 120))
	}
	rep.checkErr(s.stopTask(cfg3.Id, "SIGTERM", 5*time.Second), "stop go-api (SIGTERM, 5 s)")
	select {
	case r := <-wait3:
		rep.info("go-api exited: %s", describeExit(r))
	case <-time.After(10 * time.Second):
		rep.fail("go-api did not exit within 10 s of StopTask")
	}
	_ = s.destroyTask(cfg3.Id, false)
	fmt.Println("\n--- demo finished")
}

func goAPIFixture(opts options, goAPI string) (*taskFixture, error) {
	tf, err := loadTaskFixture(filepath.Join(opts.fixtures, "task", "valid", "go-api.hcl"))
	if err != nil {
		return nil, err
	}
	tf.config["command"] = goAPI
	return tf, nil
}

// portEnv is what the client adds for a dynamic port labelled "http" on 127.0.0.1.
func portEnv(port int) map[string]string {
	p := strconv.Itoa(port)
	return map[string]string{
		"NOMAD_PORT_http":      p,
		"NOMAD_HOST_PORT_http": p,
		"NOMAD_IP_http":        "127.0.0.1",
		"NOMAD_ADDR_http":      "127.0.0.1:" + p,
	}
}

func startGoAPI(rep *reporter, s *session, root string, opts options, goAPI string, port int) (*allocation, *drivers.TaskConfig, <-chan waitResult) {
	tf, err := goAPIFixture(opts, goAPI)
	if !rep.checkErr(err, "load task fixture go-api.hcl") {
		return nil, nil, nil
	}
	a, err := newAllocation(root, tf.name)
	if !rep.checkErr(err, "allocation directory and FIFOs for go-api") {
		return nil, nil, nil
	}
	cfg, diags := buildTaskConfig(a, tf, s.taskSpec, portEnv(port))
	if !rep.check(!diags.HasErrors(), "go-api config decodes%s", diagSuffix(diagText(diags))) {
		return nil, nil, nil
	}
	cfg.Resources.AllocatedResources.Networks = []*drivers.NetworkResource{{
		Ip: "127.0.0.1", DynamicPorts: []*drivers.NetworkPort{{Label: "http", Value: int32(port)}},
	}}
	cfg.Resources.Ports = []*drivers.PortMapping{{Label: "http", Value: int32(port), To: int32(port), HostIp: "127.0.0.1"}}
	if _, err := s.startTask(cfg); !rep.checkErr(err, "StartTask go-api on port %d", port) {
		return nil, nil, nil
	}
	return a, cfg, s.waitTask(cfg.Id)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitHTTP polls url until it answers 200 or the timeout passes.
func waitHTTP(url string, timeout time.Duration) (string, error) {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	var lastErr error
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(b), nil
			}
			lastErr = fmt.Errorf("HTTP %d", resp.StatusCode)
		} else {
			lastErr = err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", lastErr
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	for i, l := range lines {
		lines[i] = "       | " + oneLine(l, 150)
	}
	return strings.Join(lines, "\n")
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

func errShort(err error) string {
	if err == nil {
		return "it still answers"
	}
	return oneLine(err.Error(), 100)
}
