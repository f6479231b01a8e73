package main

// A deliberately small Go stand-in for the plugin, used only to self-test the harness while
// the Swift plugin is being written (`conformance -fake-driver`, launched through
// bin/fake-driver). It is not a reference for the Swift plugin: it keeps tasks as children,
// so after a plugin restart it cannot learn a recovered task's exit status, and it has no
// disk-pressure logic, so the recover and disk scenarios are expected to fail against it.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/golang/protobuf/proto"
	"github.com/golang/protobuf/ptypes"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"
	"github.com/zclconf/go-cty/cty/msgpack"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	base "swiftdriver/proto/base"
	drivers "swiftdriver/proto/drivers"
	hclspec "swiftdriver/proto/hclspec"
	structs "swiftdriver/proto/structs"
)

func attrSpec(name, typ string, required bool) *hclspec.Spec {
	return &hclspec.Spec{Block: &hclspec.Spec_Attr{Attr: &hclspec.Attr{Name: name, Type: typ, Required: required}}}
}

func defaultSpec(name, typ, literal string) *hclspec.Spec {
	return &hclspec.Spec{Block: &hclspec.Spec_Default{Default: &hclspec.Default{
		Primary: attrSpec(name, typ, false),
		Default: &hclspec.Spec{Block: &hclspec.Spec_Literal{Literal: &hclspec.Literal{Value: literal}}},
	}}}
}

func objectSpec(attrs map[string]*hclspec.Spec) *hclspec.Spec {
	return &hclspec.Spec{Block: &hclspec.Spec_Object{Object: &hclspec.Object{Attributes: attrs}}}
}

func blockSpec(nested *hclspec.Spec) *hclspec.Spec {
	return &hclspec.Spec{Block: &hclspec.Spec_BlockValue{BlockValue: &hclspec.Block{Nested: nested}}}
}

var fakePluginSpec = objectSpec(map[string]*hclspec.Spec{
	"log_level": attrSpec("", "string", false),
	"disk": blockSpec(objectSpec(map[string]*hclspec.Spec{
		"paths":                    attrSpec("", "list(string)", false),
		"interval":                 defaultSpec("interval", "string", `"1s"`),
		"soft_free_percent":        defaultSpec("soft_free_percent", "number", "15"),
		"soft_free_mb":             attrSpec("", "number", false),
		"soft_grace":               attrSpec("", "string", false),
		"hard_free_percent":        defaultSpec("hard_free_percent", "number", "10"),
		"hard_free_mb":             defaultSpec("hard_free_mb", "number", "1024"),
		"hard_inodes_free_percent": attrSpec("", "number", false),
		"min_reclaim_percent":      attrSpec("", "number", false),
		"transition_period":        defaultSpec("transition_period", "string", `"5m"`),
		"attribute_step_mb":        attrSpec("", "number", false),
		"attribute_min_interval":   attrSpec("", "string", false),
	})),
	"eviction": blockSpec(objectSpec(map[string]*hclspec.Spec{
		"enabled":   defaultSpec("enabled", "bool", "true"),
		"max_grace": attrSpec("", "string", false),
		"interval":  attrSpec("", "string", false),
	})),
})

var fakeTaskSpec = objectSpec(map[string]*hclspec.Spec{
	"command":       attrSpec("", "string", true),
	"args":          attrSpec("", "list(string)", false),
	"work_dir":      attrSpec("", "string", false),
	"disk_limit_mb": attrSpec("", "number", false),
	"evictable":     defaultSpec("evictable", "bool", "true"),
})

type fakeTask struct {
	cfg      *drivers.TaskConfig
	pid      int
	cmd      *exec.Cmd
	done     chan struct{}
	result   *drivers.ExitResult
	started  time.Time
	finished time.Time
}

type fakeDriver struct {
	logger hclog.Logger
	mu     sync.Mutex
	tasks  map[string]*fakeTask
}

func invalid(format string, args ...interface{}) error {
	return status.Errorf(codes.InvalidArgument, format, args...)
}

// decodeWithSpec unpacks cty msgpack with the implied type of a spec.
func decodeWithSpec(spec *hclspec.Spec, b []byte) (cty.Value, error) {
	dec, diags := convertSpec(spec)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("%s", diagText(diags))
	}
	return msgpack.Unmarshal(b, hcldec.ImpliedType(dec))
}

func getAttr(v cty.Value, path ...string) cty.Value {
	for _, p := range path {
		if v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute(p) {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		v = v.GetAttr(p)
	}
	return v
}

func (d *fakeDriver) validateConfig(v cty.Value) error {
	if l := getAttr(v, "log_level"); !l.IsNull() {
		switch l.AsString() {
		case "trace", "debug", "info", "warn", "error":
		default:
			return invalid("log_level must be one of trace, debug, info, warn, error; got %q", l.AsString())
		}
	}
	for _, k := range []string{"interval", "soft_grace", "transition_period", "attribute_min_interval"} {
		if s := getAttr(v, "disk", k); !s.IsNull() {
			if _, err := time.ParseDuration(s.AsString()); err != nil {
				return invalid("disk.%s must be a duration such as \"30s\"; got %q", k, s.AsString())
			}
		}
	}
	if p := getAttr(v, "disk", "paths"); !p.IsNull() {
		for it := p.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if !filepath.IsAbs(e.AsString()) {
				return invalid("disk.paths must hold absolute paths; got %q", e.AsString())
			}
		}
	}
	num := func(k string) (float64, bool) {
		n := getAttr(v, "disk", k)
		if n.IsNull() {
			return 0, false
		}
		f, _ := n.AsBigFloat().Float64()
		return f, true
	}
	for _, k := range []string{"soft_free_mb", "hard_free_mb", "soft_free_percent", "hard_free_percent"} {
		if f, ok := num(k); ok && f < 0 {
			return invalid("disk.%s must not be negative; got %v", k, f)
		}
	}
	for _, k := range []string{"soft_free_percent", "hard_free_percent"} {
		if f, ok := num(k); ok && f > 100 {
			return invalid("disk.%s must be at most 100; got %v", k, f)
		}
	}
	if s, ok := num("soft_free_percent"); ok {
		if h, ok := num("hard_free_percent"); ok && s < h {
			return invalid("disk.soft_free_percent (%v) must not be below disk.hard_free_percent (%v)", s, h)
		}
	}
	return nil
}

type fakeDriverState struct {
	Pid int `json:"pid"`
}

func signalNumber(name string) (syscall.Signal, bool) {
	m := map[string]syscall.Signal{"SIGTERM": syscall.SIGTERM, "SIGKILL": syscall.SIGKILL, "SIGINT": syscall.SIGINT,
		"SIGUSR1": syscall.SIGUSR1, "SIGUSR2": syscall.SIGUSR2, "SIGHUP": syscall.SIGHUP, "SIGQUIT": syscall.SIGQUIT}
	s, ok := m[strings.ToUpper(name)]
	if !ok {
		s, ok = m["SIG"+strings.ToUpper(name)]
	}
	return s, ok
}

func (d *fakeDriver) task(id string) (*fakeTask, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.tasks[id]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "task %q not found", id)
	}
	return t, nil
}

func (d *fakeDriver) start(cfg *drivers.TaskConfig) (*drivers.StartTaskResponse, error) {
	v, err := decodeWithSpec(fakeTaskSpec, cfg.MsgpackDriverConfig)
	if err != nil {
		return nil, invalid("task config does not decode: %v", err)
	}
	var command string
	_ = gocty.FromCtyValue(getAttr(v, "command"), &command)
	var args []string
	if a := getAttr(v, "args"); !a.IsNull() {
		_ = gocty.FromCtyValue(a, &args)
	}
	if l := getAttr(v, "disk_limit_mb"); !l.IsNull() && l.AsBigFloat().Sign() < 0 {
		return nil, invalid("disk_limit_mb must not be negative")
	}
	path, err := exec.LookPath(command)
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "command %s cannot be run: %v", command, err)
	}
	stdout, err := os.OpenFile(cfg.StdoutPath, os.O_WRONLY, 0)
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "open stdout fifo: %v", err)
	}
	defer stdout.Close()
	stderr, err := os.OpenFile(cfg.StderrPath, os.O_WRONLY, 0)
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "open stderr fifo: %v", err)
	}
	defer stderr.Close()
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	for k, val := range cfg.Env {
		cmd.Env = append(cmd.Env, k+"="+val)
	}
	cmd.Dir = filepath.Join(cfg.AllocDir, cfg.Name)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "start %s: %v", command, err)
	}
	t := &fakeTask{cfg: cfg, pid: cmd.Process.Pid, cmd: cmd, done: make(chan struct{}), started: time.Now()}
	go func() {
		err := cmd.Wait()
		res := &drivers.ExitResult{}
		if ee, ok := err.(*exec.ExitError); ok {
			ws := ee.Sys().(syscall.WaitStatus)
			if ws.Signaled() {
				res.Signal = int32(ws.Signal())
				res.ExitCode = 128 + int32(ws.Signal())
			} else {
				res.ExitCode = int32(ws.ExitStatus())
			}
		}
		t.result, t.finished = res, time.Now()
		close(t.done)
	}()
	d.mu.Lock()
	d.tasks[cfg.Id] = t
	d.mu.Unlock()
	state, _ := json.Marshal(fakeDriverState{Pid: t.pid})
	d.logger.Info("started task", "task_id", cfg.Id, "pid", t.pid)
	return &drivers.StartTaskResponse{Handle: &drivers.TaskHandle{Version: 1, Config: cfg, State: drivers.TaskState_RUNNING, DriverState: state}}, nil
}

func (d *fakeDriver) recover(h *drivers.TaskHandle) error {
	if h == nil || h.Config == nil {
		return invalid("handle without config")
	}
	if _, err := d.task(h.Config.Id); err == nil {
		return nil
	}
	var st fakeDriverState
	if err := json.Unmarshal(h.DriverState, &st); err != nil || st.Pid <= 0 {
		return status.Errorf(codes.FailedPrecondition, "driver_state unreadable")
	}
	t := &fakeTask{cfg: h.Config, pid: st.Pid, done: make(chan struct{}), started: time.Now()}
	go func() {
		// Not our child: poll for its end; the exit status is lost (a known limit of this fake).
		for syscall.Kill(st.Pid, 0) == nil {
			time.Sleep(100 * time.Millisecond)
		}
		t.result, t.finished = &drivers.ExitResult{ExitCode: -1}, time.Now()
		close(t.done)
	}()
	d.mu.Lock()
	d.tasks[h.Config.Id] = t
	d.mu.Unlock()
	return nil
}

func (d *fakeDriver) stop(id string, sig string, timeout time.Duration) error {
	t, err := d.task(id)
	if err != nil {
		return nil
	}
	s, ok := signalNumber(sig)
	if !ok {
		s = syscall.SIGTERM
	}
	_ = syscall.Kill(-t.pid, s)
	select {
	case <-t.done:
	case <-time.After(timeout):
		_ = syscall.Kill(-t.pid, syscall.SIGKILL)
		<-t.done
	}
	return nil
}

func (d *fakeDriver) serve(s *grpc.Server) {
	method := func(name string, newReq func() proto.Message, f func(context.Context, proto.Message) (proto.Message, error)) grpc.MethodDesc {
		return grpc.MethodDesc{MethodName: name, Handler: func(_ interface{}, ctx context.Context, dec func(interface{}) error, _ grpc.UnaryServerInterceptor) (interface{}, error) {
			req := newReq()
			if err := dec(req); err != nil {
				return nil, err
			}
			return f(ctx, req)
		}}
	}
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "hashicorp.nomad.plugins.base.proto.BasePlugin",
		HandlerType: (*interface{})(nil),
		Methods: []grpc.MethodDesc{
			method("PluginInfo", func() proto.Message { return &base.PluginInfoRequest{} }, func(context.Context, proto.Message) (proto.Message, error) {
				return &base.PluginInfoResponse{Type: base.PluginType_DRIVER, PluginApiVersions: []string{"v0.1.0"}, PluginVersion: "0.0.1-fake", Name: "swift"}, nil
			}),
			method("ConfigSchema", func() proto.Message { return &base.ConfigSchemaRequest{} }, func(context.Context, proto.Message) (proto.Message, error) {
				return &base.ConfigSchemaResponse{Spec: fakePluginSpec}, nil
			}),
			method("SetConfig", func() proto.Message { return &base.SetConfigRequest{} }, func(_ context.Context, m proto.Message) (proto.Message, error) {
				v, err := decodeWithSpec(fakePluginSpec, m.(*base.SetConfigRequest).MsgpackConfig)
				if err != nil {
					return nil, invalid("plugin config does not decode: %v", err)
				}
				if err := d.validateConfig(v); err != nil {
					return nil, err
				}
				return &base.SetConfigResponse{}, nil
			}),
		},
	}, d)
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "hashicorp.nomad.plugins.drivers.proto.Driver",
		HandlerType: (*interface{})(nil),
		Methods: []grpc.MethodDesc{
			method("TaskConfigSchema", func() proto.Message { return &drivers.TaskConfigSchemaRequest{} }, func(context.Context, proto.Message) (proto.Message, error) {
				return &drivers.TaskConfigSchemaResponse{Spec: fakeTaskSpec}, nil
			}),
			method("Capabilities", func() proto.Message { return &drivers.CapabilitiesRequest{} }, func(context.Context, proto.Message) (proto.Message, error) {
				return &drivers.CapabilitiesResponse{Capabilities: &drivers.DriverCapabilities{SendSignals: true, Exec: true, FsIsolation: drivers.DriverCapabilities_NONE}}, nil
			}),
			method("StartTask", func() proto.Message { return &drivers.StartTaskRequest{} }, func(_ context.Context, m proto.Message) (proto.Message, error) {
				return d.start(m.(*drivers.StartTaskRequest).Task)
			}),
			method("RecoverTask", func() proto.Message { return &drivers.RecoverTaskRequest{} }, func(_ context.Context, m proto.Message) (proto.Message, error) {
				return &drivers.RecoverTaskResponse{}, d.recover(m.(*drivers.RecoverTaskRequest).Handle)
			}),
			method("WaitTask", func() proto.Message { return &drivers.WaitTaskRequest{} }, func(ctx context.Context, m proto.Message) (proto.Message, error) {
				t, err := d.task(m.(*drivers.WaitTaskRequest).TaskId)
				if err != nil {
					return nil, err
				}
				select {
				case <-t.done:
					return &drivers.WaitTaskResponse{Result: t.result}, nil
				case <-ctx.Done():
					return nil, status.Error(codes.Canceled, "wait cancelled")
				}
			}),
			method("StopTask", func() proto.Message { return &drivers.StopTaskRequest{} }, func(_ context.Context, m proto.Message) (proto.Message, error) {
				r := m.(*drivers.StopTaskRequest)
				timeout, _ := ptypes.Duration(r.Timeout)
				return &drivers.StopTaskResponse{}, d.stop(r.TaskId, r.Signal, timeout)
			}),
			method("DestroyTask", func() proto.Message { return &drivers.DestroyTaskRequest{} }, func(_ context.Context, m proto.Message) (proto.Message, error) {
				r := m.(*drivers.DestroyTaskRequest)
				t, err := d.task(r.TaskId)
				if err != nil {
					return nil, err
				}
				select {
				case <-t.done:
				default:
					if !r.Force {
						return nil, status.Error(codes.FailedPrecondition, "task is still running")
					}
					_ = d.stop(r.TaskId, "SIGKILL", time.Second)
				}
				d.mu.Lock()
				delete(d.tasks, r.TaskId)
				d.mu.Unlock()
				return &drivers.DestroyTaskResponse{}, nil
			}),
			method("InspectTask", func() proto.Message { return &drivers.InspectTaskRequest{} }, func(_ context.Context, m proto.Message) (proto.Message, error) {
				t, err := d.task(m.(*drivers.InspectTaskRequest).TaskId)
				if err != nil {
					return nil, err
				}
				st := &drivers.TaskStatus{Id: t.cfg.Id, Name: t.cfg.Name, State: drivers.TaskState_RUNNING}
				st.StartedAt, _ = ptypes.TimestampProto(t.started)
				select {
				case <-t.done:
					st.State, st.Result = drivers.TaskState_EXITED, t.result
					st.CompletedAt, _ = ptypes.TimestampProto(t.finished)
				default:
				}
				return &drivers.InspectTaskResponse{Task: st, Driver: &drivers.TaskDriverStatus{}}, nil
			}),
			method("SignalTask", func() proto.Message { return &drivers.SignalTaskRequest{} }, func(_ context.Context, m proto.Message) (proto.Message, error) {
				r := m.(*drivers.SignalTaskRequest)
				t, err := d.task(r.TaskId)
				if err != nil {
					return nil, err
				}
				s, ok := signalNumber(r.Signal)
				if !ok {
					return nil, invalid("unknown signal %q", r.Signal)
				}
				return &drivers.SignalTaskResponse{}, syscall.Kill(t.pid, s)
			}),
			method("ExecTask", func() proto.Message { return &drivers.ExecTaskRequest{} }, func(ctx context.Context, m proto.Message) (proto.Message, error) {
				r := m.(*drivers.ExecTaskRequest)
				t, err := d.task(r.TaskId)
				if err != nil {
					return nil, err
				}
				if len(r.Command) == 0 {
					return nil, invalid("empty command")
				}
				cmd := exec.CommandContext(ctx, r.Command[0], r.Command[1:]...)
				for k, v := range t.cfg.Env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				var out, errb strings.Builder
				cmd.Stdout, cmd.Stderr = &out, &errb
				runErr := cmd.Run()
				res := &drivers.ExitResult{}
				if ee, ok := runErr.(*exec.ExitError); ok {
					res.ExitCode = int32(ee.ExitCode())
				} else if runErr != nil {
					return nil, status.Errorf(codes.FailedPrecondition, "exec: %v", runErr)
				}
				return &drivers.ExecTaskResponse{Stdout: []byte(out.String()), Stderr: []byte(errb.String()), Result: res}, nil
			}),
		},
		Streams: []grpc.StreamDesc{
			{StreamName: "Fingerprint", ServerStreams: true, Handler: func(_ interface{}, stream grpc.ServerStream) error {
				var req drivers.FingerprintRequest
				if err := stream.RecvMsg(&req); err != nil {
					return err
				}
				attrs := map[string]*structs.Attribute{"driver.swift.version": {Value: &structs.Attribute_StringVal{StringVal: "0.0.1-fake"}}}
				if err := stream.SendMsg(&drivers.FingerprintResponse{Attributes: attrs, Health: drivers.FingerprintResponse_HEALTHY, HealthDescription: "healthy"}); err != nil {
					return err
				}
				<-stream.Context().Done()
				return nil
			}},
			{StreamName: "TaskEvents", ServerStreams: true, Handler: func(_ interface{}, stream grpc.ServerStream) error {
				var req drivers.TaskEventsRequest
				if err := stream.RecvMsg(&req); err != nil {
					return err
				}
				<-stream.Context().Done()
				return nil
			}},
			{StreamName: "ExecTaskStreaming", ServerStreams: true, ClientStreams: true, Handler: func(_ interface{}, stream grpc.ServerStream) error {
				var setup drivers.ExecTaskStreamingRequest
				if err := stream.RecvMsg(&setup); err != nil {
					return err
				}
				if setup.Setup == nil || len(setup.Setup.Command) == 0 {
					return invalid("first message must be a setup with a command")
				}
				t, err := d.task(setup.Setup.TaskId)
				if err != nil {
					return err
				}
				cmd := exec.Command(setup.Setup.Command[0], setup.Setup.Command[1:]...)
				for k, v := range t.cfg.Env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				stdin, _ := cmd.StdinPipe()
				var out, errb strings.Builder
				cmd.Stdout, cmd.Stderr = &out, &errb
				if err := cmd.Start(); err != nil {
					return status.Errorf(codes.FailedPrecondition, "exec: %v", err)
				}
				go func() {
					for {
						var m drivers.ExecTaskStreamingRequest
						if err := stream.RecvMsg(&m); err != nil {
							stdin.Close()
							return
						}
						if m.Stdin != nil {
							if len(m.Stdin.Data) > 0 {
								_, _ = stdin.Write(m.Stdin.Data)
							}
							if m.Stdin.Close {
								stdin.Close()
							}
						}
					}
				}()
				runErr := cmd.Wait()
				res := &drivers.ExitResult{}
				if ee, ok := runErr.(*exec.ExitError); ok {
					res.ExitCode = int32(ee.ExitCode())
				}
				_ = stream.SendMsg(&drivers.ExecTaskStreamingResponse{Stdout: &drivers.ExecTaskStreamingIOOperation{Data: []byte(out.String())}})
				_ = stream.SendMsg(&drivers.ExecTaskStreamingResponse{Stderr: &drivers.ExecTaskStreamingIOOperation{Data: []byte(errb.String())}})
				return stream.SendMsg(&drivers.ExecTaskStreamingResponse{Exited: true, Result: res})
			}},
			{StreamName: "TaskStats", ServerStreams: true, Handler: func(_ interface{}, stream grpc.ServerStream) error {
				var req drivers.TaskStatsRequest
				if err := stream.RecvMsg(&req); err != nil {
					return err
				}
				t, err := d.task(req.TaskId)
				if err != nil {
					return err
				}
				interval, _ := ptypes.Duration(req.CollectionInterval)
				if interval <= 0 {
					interval = time.Second
				}
				for {
					ts, _ := ptypes.TimestampProto(time.Now())
					usage := &drivers.TaskResourceUsage{Cpu: &drivers.CPUUsage{}, Memory: &drivers.MemoryUsage{}}
					if err := stream.SendMsg(&drivers.TaskStatsResponse{Stats: &drivers.TaskStats{Id: t.cfg.Id, Timestamp: ts, AggResourceUsage: usage}}); err != nil {
						return err
					}
					select {
					case <-stream.Context().Done():
						return nil
					case <-time.After(interval):
					}
				}
			}},
		},
	}, d)
}

type fakeDriverPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	d *fakeDriver
}

func (p fakeDriverPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	p.d.serve(s)
	return nil
}

func (fakeDriverPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, fmt.Errorf("server side only")
}

// runFakeDriver serves the fake driver with go-plugin's own server.
func runFakeDriver() {
	logger := hclog.New(&hclog.LoggerOptions{Name: "fake-driver", Level: hclog.Trace, JSONFormat: true, Output: os.Stderr})
	d := &fakeDriver{logger: logger, tasks: map[string]*fakeTask{}}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: nomadHandshake,
		Plugins:         map[string]plugin.Plugin{"driver": fakeDriverPlugin{d: d}},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
}
