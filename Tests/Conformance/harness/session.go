package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang/protobuf/proto"
	"github.com/golang/protobuf/ptypes"
	"github.com/hashicorp/hcl/v2/hcldec"
	"google.golang.org/grpc"

	drivers "swiftdriver/proto/drivers"
	structs "swiftdriver/proto/structs"
)

// session is one dispensed plugin as the client's driver manager holds it: configured with
// SetConfig, its Fingerprint and TaskEvents streams open and read for the plugin's life.
type session struct {
	plugin   *launchedPlugin
	conn     *grpc.ClientConn
	ctx      context.Context
	cancel   context.CancelFunc
	taskSpec hcldec.Spec

	mu        sync.Mutex
	fps       []fingerprintAt
	fpErr     error
	node      map[string]string // node attributes merged as the client merges them
	events    []*drivers.DriverTaskEvent
	eventsErr error
	started   []string // task ids to clean up on close
	firstFP   chan struct{}
	fpChanged chan struct{}
}

type fingerprintAt struct {
	at   time.Time
	resp *drivers.FingerprintResponse
}

// openSession launches the plugin, sends SetConfig with the given msgpack config (nil: an
// empty block decoded with the plugin's own spec), converts the task spec and opens streams.
func openSession(rep *reporter, opts options, cfg map[string]interface{}) (*session, error) {
	p, err := launchPlugin(opts.binary, opts.verbose)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{plugin: p, conn: p.conn, ctx: ctx, cancel: cancel, node: map[string]string{},
		firstFP: make(chan struct{}), fpChanged: make(chan struct{}, 1)}
	fail := func(err error) (*session, error) { s.close(); return nil, err }

	cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
	defer ccancel()
	if err := configurePlugin(cctx, rep, s.conn, cfg); err != nil {
		return fail(err)
	}
	var ts drivers.TaskConfigSchemaResponse
	if err := unary(cctx, s.conn, driverMethod("TaskConfigSchema"), &drivers.TaskConfigSchemaRequest{}, &ts); err != nil {
		return fail(fmt.Errorf("TaskConfigSchema: %s", describeErr(err)))
	}
	tspec, tdiags := convertSpec(ts.Spec)
	if tdiags.HasErrors() {
		return fail(fmt.Errorf("task config schema does not convert as Nomad converts it: %s", diagText(tdiags)))
	}
	s.taskSpec = tspec

	fpStream, err := serverStream(ctx, s.conn, driverMethod("Fingerprint"), &drivers.FingerprintRequest{})
	if err != nil {
		return fail(fmt.Errorf("Fingerprint: %s", describeErr(err)))
	}
	go s.readFingerprints(fpStream)
	evStream, err := serverStream(ctx, s.conn, driverMethod("TaskEvents"), &drivers.TaskEventsRequest{})
	if err != nil {
		return fail(fmt.Errorf("TaskEvents: %s", describeErr(err)))
	}
	go s.readEvents(evStream)
	return s, nil
}

func (s *session) readFingerprints(stream grpc.ClientStream) {
	first := true
	for {
		var m drivers.FingerprintResponse
		if err := stream.RecvMsg(&m); err != nil {
			s.mu.Lock()
			s.fpErr = err
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		s.fps = append(s.fps, fingerprintAt{at: time.Now(), resp: &m})
		s.mergeLocked(&m)
		s.mu.Unlock()
		if first {
			close(s.firstFP)
			first = false
		}
		select {
		case s.fpChanged <- struct{}{}:
		default:
		}
	}
}

// attributeString renders an Attribute as Nomad's GoString does (value, then unit).
func attributeString(a *structs.Attribute) string {
	var v string
	switch x := a.Value.(type) {
	case *structs.Attribute_FloatVal:
		v = strconv.FormatFloat(x.FloatVal, 'g', -1, 64)
	case *structs.Attribute_IntVal:
		v = strconv.FormatInt(x.IntVal, 10)
	case *structs.Attribute_StringVal:
		v = x.StringVal
	case *structs.Attribute_BoolVal:
		v = strconv.FormatBool(x.BoolVal)
	}
	return v + a.Unit
}

// mergeLocked applies a fingerprint to the node attributes like the client's node updater:
// changed values replace, "" deletes, absent keys stay, driver.swift = 1 while detected.
func (s *session) mergeLocked(m *drivers.FingerprintResponse) {
	for k, a := range m.Attributes {
		v := attributeString(a)
		if v == "" {
			delete(s.node, k)
		} else {
			s.node[k] = v
		}
	}
	if m.Health != drivers.FingerprintResponse_UNDETECTED {
		s.node["driver.swift"] = "1"
	} else {
		delete(s.node, "driver.swift")
	}
}

func (s *session) readEvents(stream grpc.ClientStream) {
	for {
		var m drivers.DriverTaskEvent
		if err := stream.RecvMsg(&m); err != nil {
			s.mu.Lock()
			s.eventsErr = err
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		s.events = append(s.events, &m)
		s.mu.Unlock()
	}
}

// latestFingerprint returns the newest fingerprint (nil before the first).
func (s *session) latestFingerprint() *drivers.FingerprintResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.fps) == 0 {
		return nil
	}
	return s.fps[len(s.fps)-1].resp
}

// waitHealth waits until the newest fingerprint has the wanted health.
func (s *session) waitHealth(want drivers.FingerprintResponse_HealthState, timeout time.Duration) (*drivers.FingerprintResponse, bool) {
	deadline := time.After(timeout)
	for {
		if fp := s.latestFingerprint(); fp != nil && fp.Health == want {
			return fp, true
		}
		select {
		case <-s.fpChanged:
		case <-deadline:
			return s.latestFingerprint(), false
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *session) nodeAttributes() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for k, v := range s.node {
		out[k] = v
	}
	return out
}

func (s *session) streamErrors() (fp, ev error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fpErr, s.eventsErr
}

func (s *session) eventsMatching(sub string) []*drivers.DriverTaskEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*drivers.DriverTaskEvent
	for _, e := range s.events {
		if strings.Contains(strings.ToLower(e.Message), strings.ToLower(sub)) {
			out = append(out, e)
		}
	}
	return out
}

// track remembers a task id so close() can stop it if a check failed midway.
func (s *session) track(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started = append(s.started, id)
}

// close stops leftover tasks (tasks outlive the plugin by design), then ends the plugin.
// finish ends the session and checks what every scenario checks at its end: the plugin exits
// by itself after Shutdown (exited names that check), and every line it wrote to stderr was
// hclog JSON (jsonLines names that one).
func (s *session) finish(rep *reporter, exited, jsonLines string) {
	rep.check(s.close(), "%s", exited)
	_, bad := s.plugin.audit.result()
	rep.check(len(bad) == 0, "%s%s", jsonLines, badSuffix(bad))
}

func (s *session) close() bool {
	s.mu.Lock()
	ids := append([]string(nil), s.started...)
	s.mu.Unlock()
	for _, id := range ids {
		_ = s.stopTask(id, "SIGKILL", time.Second)
		_ = s.destroyTask(id, true)
	}
	s.cancel()
	return s.plugin.stop()
}

func formatAttributes(attrs map[string]*structs.Attribute) string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+attributeString(attrs[k]))
	}
	return strings.Join(parts, " ")
}

// call is a unary call with a timeout on the session's context.
func (s *session) call(method string, req, resp proto.Message, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	return unary(ctx, s.conn, driverMethod(method), req, resp)
}

// startTask sends StartTask and returns the handle.
func (s *session) startTask(cfg *drivers.TaskConfig) (*drivers.StartTaskResponse, error) {
	var resp drivers.StartTaskResponse
	err := s.call("StartTask", &drivers.StartTaskRequest{Task: cfg}, &resp, 30*time.Second)
	if err == nil {
		s.track(cfg.Id)
	}
	return &resp, err
}

// waitResult is what a WaitTask long-poll returned.
type waitResult struct {
	resp *drivers.WaitTaskResponse
	err  error
	at   time.Time
}

// waitTask starts the WaitTask long-poll (no deadline, like Nomad) in the background.
func (s *session) waitTask(id string) <-chan waitResult {
	out := make(chan waitResult, 1)
	go func() {
		var resp drivers.WaitTaskResponse
		err := unary(s.ctx, s.conn, driverMethod("WaitTask"), &drivers.WaitTaskRequest{TaskId: id}, &resp)
		out <- waitResult{resp: &resp, err: err, at: time.Now()}
	}()
	return out
}

func (s *session) stopTask(id, signal string, timeout time.Duration) error {
	return s.call("StopTask", &drivers.StopTaskRequest{TaskId: id, Signal: signal, Timeout: ptypes.DurationProto(timeout)}, &drivers.StopTaskResponse{}, timeout+30*time.Second)
}

func (s *session) destroyTask(id string, force bool) error {
	return s.call("DestroyTask", &drivers.DestroyTaskRequest{TaskId: id, Force: force}, &drivers.DestroyTaskResponse{}, 30*time.Second)
}

func describeExit(r waitResult) string {
	if r.err != nil {
		return "WaitTask error " + describeErr(r.err)
	}
	if r.resp.Result == nil {
		return "empty result (would crash the Nomad client)"
	}
	return fmt.Sprintf("exit_code=%d signal=%d oom=%v err=%q", r.resp.Result.ExitCode, r.resp.Result.Signal, r.resp.Result.OomKilled, r.resp.Err)
}

// eventSummary lists the TaskEvents received so far, for a failure message.
func (s *session) eventSummary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.events) == 0 {
		return "none"
	}
	var parts []string
	for _, e := range s.events {
		parts = append(parts, fmt.Sprintf("%s/%s: %q", e.AllocId, e.TaskName, e.Message))
	}
	return strings.Join(parts, "; ")
}
