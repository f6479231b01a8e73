package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// nomadHandshake is the handshake Nomad's plugin loader uses for every plugin
// (plugins/base/plugin.go in Nomad).
var nomadHandshake = plugin.HandshakeConfig{
	ProtocolVersion:  2,
	MagicCookieKey:   "NOMAD_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "e4327c2e01eabfd75a8a67adb114fb34a757d57eee7728d857a8cec6e91a7255",
}

// connPlugin is the host side of the "driver" plugin: like Nomad's driver plugin it hands
// back the gRPC connection, on which the harness calls methods by full name.
type connPlugin struct {
	plugin.NetRPCUnsupportedPlugin
}

func (connPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return errors.New("the harness only plays the host side")
}

func (connPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return conn, nil
}

// stderrAudit receives the plugin's raw stderr lines (go-plugin writes each line, then a
// newline) and checks each against what Nomad's host requires of an hclog JSON line.
type stderrAudit struct {
	mu      sync.Mutex
	partial []byte
	lines   int
	bad     []string
	echo    bool
	// all keeps every line, for checks on what the plugin logs (how often it repeats itself).
	all []string
}

// linesContaining counts the stderr lines that contain sub.
func (a *stderrAudit) linesContaining(sub string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, l := range a.all {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

func (a *stderrAudit) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.partial = append(a.partial, p...)
	for {
		i := bytes.IndexByte(a.partial, '\n')
		if i < 0 {
			break
		}
		line := string(a.partial[:i])
		a.partial = a.partial[i+1:]
		if line == "" {
			continue
		}
		a.lines++
		a.all = append(a.all, line)
		if a.echo {
			fmt.Fprintf(os.Stderr, "plugin stderr: %s\n", line)
		}
		if problem := auditLogLine(line); problem != "" {
			a.bad = append(a.bad, fmt.Sprintf("%s: %q", problem, line))
			// go-plugin's host type-asserts these keys and panics on non-strings; say why
			// before that happens.
			fmt.Fprintf(os.Stdout, "FAIL [stderr] %s: %q\n", problem, line)
		}
	}
	return len(p), nil
}

func (a *stderrAudit) result() (lines int, bad []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lines, append([]string(nil), a.bad...)
}

// hclogTimestampLayout is the only layout go-plugin's host accepts for @timestamp.
const hclogTimestampLayout = "2006-01-02T15:04:05.000000Z07:00"

// auditLogLine returns "" for a good hclog JSON line, else what is wrong with it.
func auditLogLine(line string) string {
	var obj map[string]interface{}
	if err := json.Unmarshal([]byte(line), &obj); err != nil {
		return "stderr line is not a JSON object"
	}
	for _, key := range []string{"@level", "@message", "@timestamp", "@module"} {
		v, ok := obj[key]
		if !ok {
			return "stderr JSON line lacks " + key
		}
		if _, isString := v.(string); !isString {
			return "stderr JSON line has a non-string " + key + " (would panic the Nomad agent)"
		}
	}
	switch obj["@level"].(string) {
	case "trace", "debug", "info", "warn", "error":
	default:
		return "stderr JSON line has an @level hclog does not know"
	}
	if _, err := time.Parse(hclogTimestampLayout, obj["@timestamp"].(string)); err != nil {
		return "stderr JSON line's @timestamp does not parse with " + hclogTimestampLayout
	}
	return ""
}

// launchedPlugin is one plugin process started through go-plugin, as Nomad starts it.
type launchedPlugin struct {
	client *plugin.Client
	cmd    *exec.Cmd
	conn   *grpc.ClientConn
	audit  *stderrAudit
}

// pluginLogOutput receives the host's own log (go-plugin re-logs the plugin's lines there).
var pluginLogOutput io.Writer = io.Discard

// launchPlugin starts the binary with go-plugin's client configured like Nomad's loader
// (helper/pluginutils/loader: handshake, a "driver" plugin, grpc only, no AutoMTLS).
func launchPlugin(binary string, verbose bool, extraEnv ...string) (*launchedPlugin, error) {
	return launchPluginAs("driver", "harness.driver_mgr.nomad-driver-swift", binary, verbose, extraEnv...)
}

// launchPluginAs is launchPlugin for any of Nomad's plugin kinds: the loader dispenses the
// plugin under its type's name ("driver", "device"), and the host logs under its manager.
func launchPluginAs(kind, logName, binary string, verbose bool, extraEnv ...string) (*launchedPlugin, error) {
	audit := &stderrAudit{echo: verbose}
	cmd := exec.Command(binary)
	cmd.Env = append(os.Environ(), extraEnv...)
	logger := hclog.New(&hclog.LoggerOptions{
		Name:   logName,
		Level:  hclog.Trace,
		Output: pluginLogOutput,
	})
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  nomadHandshake,
		Plugins:          map[string]plugin.Plugin{kind: connPlugin{}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
		Stderr:           audit,
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("go-plugin handshake failed: %w", err)
	}
	raw, err := rpc.Dispense(kind)
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("dispensing the %s plugin failed: %w", kind, err)
	}
	conn, ok := raw.(*grpc.ClientConn)
	if !ok {
		client.Kill()
		return nil, errors.New("dispensed plugin is not a gRPC connection")
	}
	return &launchedPlugin{client: client, cmd: cmd, conn: conn, audit: audit}, nil
}

// pid returns the plugin's process id.
func (p *launchedPlugin) pid() int {
	if p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// stop ends the plugin as Nomad does: GRPCController/Shutdown, 2 s grace, then SIGKILL.
// It reports whether the process exited by itself (not killed).
func (p *launchedPlugin) stop() (graceful bool) {
	p.client.Kill()
	if p.cmd.ProcessState == nil {
		return false
	}
	return p.cmd.ProcessState.Exited()
}

// killHard SIGKILLs the plugin, as a crash would, and lets go-plugin notice.
func (p *launchedPlugin) killHard() error {
	if p.cmd.Process == nil {
		return errors.New("no process")
	}
	if err := p.cmd.Process.Kill(); err != nil {
		return err
	}
	deadline := time.Now().Add(5 * time.Second)
	for !p.client.Exited() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	p.client.Kill()
	return nil
}
