package main

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"sort"
	"sync"
	"time"

	"github.com/golang/protobuf/proto"
	"github.com/golang/protobuf/ptypes"
	"google.golang.org/grpc"

	device "swiftdriver/proto/device"
)

// devicePrefix is the DevicePlugin service as Nomad's generated client calls it.
const devicePrefix = "/hashicorp.nomad.plugins.device.DevicePlugin/"

func deviceMethod(name string) string { return devicePrefix + name }

// deviceSession is one dispensed device plugin as Nomad's device manager holds it
// (client/devicemanager/instance.go): configured with SetConfig, its Fingerprint stream open
// for the plugin's life, and, once the first fingerprint has arrived, its Stats stream.
type deviceSession struct {
	plugin *launchedPlugin
	conn   *grpc.ClientConn
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	fps       []deviceFingerprintAt
	fpErr     error
	fpChanged chan struct{}
	stats     []*device.StatsResponse
	statsErr  error
}

type deviceFingerprintAt struct {
	at   time.Time
	resp *device.FingerprintResponse
}

// launchDevice starts the device binary through go-plugin as Nomad's loader does for a
// plugin of type "device".
func launchDevice(opts options) (*launchedPlugin, error) {
	return launchPluginAs("device", "harness.device_mgr.nomad-device-swift", opts.deviceBinary, opts.verbose)
}

// openDeviceSession launches the plugin, decodes cfg against its ConfigSchema as Nomad does,
// sends SetConfig with the agent config (the instance Nomad keeps), and opens Fingerprint.
func openDeviceSession(rep *reporter, opts options, cfg map[string]interface{}) (*deviceSession, error) {
	p, err := launchDevice(opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &deviceSession{plugin: p, conn: p.conn, ctx: ctx, cancel: cancel, fpChanged: make(chan struct{}, 1)}
	fail := func(err error) (*deviceSession, error) { s.close(); return nil, err }

	cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
	defer ccancel()
	if err := configurePlugin(cctx, rep, s.conn, cfg); err != nil {
		return fail(err)
	}
	stream, err := serverStream(ctx, s.conn, deviceMethod("Fingerprint"), &device.FingerprintRequest{})
	if err != nil {
		return fail(fmt.Errorf("Fingerprint: %s", describeErr(err)))
	}
	go s.readFingerprints(stream)
	return s, nil
}

func (s *deviceSession) readFingerprints(stream grpc.ClientStream) {
	for {
		var m device.FingerprintResponse
		if err := stream.RecvMsg(&m); err != nil {
			s.mu.Lock()
			s.fpErr = err
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		s.fps = append(s.fps, deviceFingerprintAt{at: time.Now(), resp: &m})
		s.mu.Unlock()
		select {
		case s.fpChanged <- struct{}{}:
		default:
		}
	}
}

// openStats opens the Stats stream with Nomad's collection interval and keeps every answer.
func (s *deviceSession) openStats(interval time.Duration) error {
	stream, err := serverStream(s.ctx, s.conn, deviceMethod("Stats"), &device.StatsRequest{CollectionInterval: ptypes.DurationProto(interval)})
	if err != nil {
		return err
	}
	go func() {
		for {
			var m device.StatsResponse
			if err := stream.RecvMsg(&m); err != nil {
				s.mu.Lock()
				s.statsErr = err
				s.mu.Unlock()
				return
			}
			s.mu.Lock()
			s.stats = append(s.stats, &m)
			s.mu.Unlock()
		}
	}()
	return nil
}

// latestStats returns the newest Stats answer and how many have arrived.
func (s *deviceSession) latestStats() (*device.StatsResponse, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.stats) == 0 {
		return nil, 0, s.statsErr
	}
	return s.stats[len(s.stats)-1], len(s.stats), s.statsErr
}

// fingerprintCount is how many device lists the plugin has sent.
func (s *deviceSession) fingerprintCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.fps)
}

func (s *deviceSession) latest() (deviceFingerprintAt, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.fps) == 0 {
		return deviceFingerprintAt{}, false
	}
	return s.fps[len(s.fps)-1], true
}

// waitFingerprint waits until the newest device list satisfies ok; it returns that list (or
// the newest one on timeout) and when it arrived.
func (s *deviceSession) waitFingerprint(timeout time.Duration, ok func(*device.FingerprintResponse) bool) (deviceFingerprintAt, bool) {
	deadline := time.After(timeout)
	for {
		if fp, have := s.latest(); have && ok(fp.resp) {
			return fp, true
		}
		select {
		case <-s.fpChanged:
		case <-deadline:
			fp, _ := s.latest()
			return fp, false
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// call is a unary DevicePlugin call with a timeout.
func (s *deviceSession) call(method string, req, resp proto.Message, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	return unary(ctx, s.conn, deviceMethod(method), req, resp)
}

// reserve sends Reserve as the client does when an allocation's task starts.
func (s *deviceSession) reserve(ids ...string) (*device.ContainerReservation, error) {
	var resp device.ReserveResponse
	if err := s.call("Reserve", &device.ReserveRequest{DeviceIds: ids}, &resp, 10*time.Second); err != nil {
		return nil, err
	}
	return resp.ContainerRes, nil
}

// finish ends the session as the device manager does (Shutdown, grace, SIGKILL) and checks the
// plugin exited by itself and wrote only hclog JSON on stderr.
func (s *deviceSession) finish(rep *reporter, what string) {
	rep.check(s.close(), "%s: plugin exits by itself after Shutdown", what)
	n, bad := s.plugin.audit.result()
	rep.check(len(bad) == 0, "%s: %d stderr lines, every one hclog JSON%s", what, n, badSuffix(bad))
}

func (s *deviceSession) close() bool {
	s.cancel()
	return s.plugin.stop()
}

// deviceGroup returns the named group of a device list, or nil.
func deviceGroup(resp *device.FingerprintResponse, name string) *device.DeviceGroup {
	if resp == nil {
		return nil
	}
	for _, g := range resp.DeviceGroup {
		if g.DeviceName == name {
			return g
		}
	}
	return nil
}

// groupCounts summarises a group against the IDs the harness holds reserved: healthy
// instances, and free ones (healthy and not reserved: what the scheduler can still give out).
type groupCounts struct {
	total, healthy, free int
	healthyIDs           []string
}

func countGroup(g *device.DeviceGroup, reserved map[string]bool) groupCounts {
	var c groupCounts
	if g == nil {
		return c
	}
	c.total = len(g.Devices)
	for _, d := range g.Devices {
		if d.Healthy {
			c.healthy++
			c.healthyIDs = append(c.healthyIDs, d.ID)
			if !reserved[d.ID] {
				c.free++
			}
		}
	}
	sort.Strings(c.healthyIDs)
	return c
}

func (c groupCounts) String() string {
	return fmt.Sprintf("%d instances, %d healthy, %d free", c.total, c.healthy, c.free)
}

// handLaunched is a plugin started without go-plugin, its stdout read by the harness.
type handLaunched struct {
	cmd    *exec.Cmd
	exited chan struct{}
	lines  <-chan string
	conn   *grpc.ClientConn
}

// startDeviceByHand starts the binary with Nomad's cookie and environment, reads the
// handshake line and dials the socket it names; later stdout lines stay in lines.
func startDeviceByHand(binary string) (*handLaunched, error) {
	cmd := exec.Command(binary)
	cmd.Env = append(envWithout("PLUGIN_UNIX_SOCKET_DIR", "PLUGIN_MULTIPLEX_GRPC", "PLUGIN_CLIENT_CERT"),
		nomadHandshake.MagicCookieKey+"="+nomadHandshake.MagicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=2", "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000")
	lines, exited, err := startByHand(cmd)
	if err != nil {
		return nil, err
	}
	p := &handLaunched{cmd: cmd, exited: exited, lines: lines}
	var line string
	select {
	case l, ok := <-lines:
		if !ok {
			killUnlessExited(cmd, exited)
			return nil, fmt.Errorf("stdout closed before a handshake line")
		}
		line = l
	case <-time.After(10 * time.Second):
		killUnlessExited(cmd, exited)
		return nil, fmt.Errorf("no handshake line within 10 s")
	}
	m := handshakeLine.FindStringSubmatch(line)
	if m == nil {
		killUnlessExited(cmd, exited)
		return nil, fmt.Errorf("handshake line %q has not the shape 1|2|unix|<path>|grpc|", line)
	}
	sock := m[1]
	conn, err := grpc.Dial("unused", grpc.WithInsecure(), grpc.WithBlock(),
		grpc.WithDialer(func(_ string, t time.Duration) (net.Conn, error) { return net.DialTimeout("unix", sock, t) }),
		grpc.WithTimeout(5*time.Second))
	if err != nil {
		killUnlessExited(cmd, exited)
		return nil, err
	}
	p.conn = conn
	return p, nil
}
