package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	drivers "swiftdriver/proto/drivers"
)

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newUUID() string {
	h := randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// fifoLog reads one log FIFO the way Nomad's logmon does: it creates the FIFO (0600), opens
// it read-only in the background (blocking until the task's writer appears) and copies until
// EOF. Like logmon it does not reopen after EOF, so a driver that proxies output through the
// plugin and loses it on a plugin restart is caught. hangUp and reopen play a logmon restart.
type fifoLog struct {
	path string
	mu   sync.Mutex
	buf  bytes.Buffer
	eof  bool
	file *os.File // the open read end; nil while none is open
	gen  int      // bumped by hangUp, so a superseded reader goroutine stays quiet
}

func newFifoLog(path string) (*fifoLog, error) {
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		return nil, fmt.Errorf("mkfifo %s: %w", path, err)
	}
	f := &fifoLog{path: path}
	go f.copy(0)
	return f, nil
}

func (f *fifoLog) copy(gen int) {
	file, err := os.OpenFile(f.path, os.O_RDONLY, 0)
	f.mu.Lock()
	if err != nil || f.gen != gen {
		if f.gen == gen {
			f.eof = true
		}
		f.mu.Unlock()
		if file != nil {
			file.Close()
		}
		return
	}
	f.file = file
	f.mu.Unlock()
	defer file.Close()
	chunk := make([]byte, 32*1024)
	for {
		n, err := file.Read(chunk)
		f.mu.Lock()
		if f.gen != gen {
			f.mu.Unlock()
			return
		}
		if n > 0 {
			f.buf.Write(chunk[:n])
		}
		if err != nil {
			f.eof = true
			f.file = nil
			f.mu.Unlock()
			return
		}
		f.mu.Unlock()
	}
}

// hangUp closes the read end, as a logmon that exits does; it fails when none is open.
func (f *fifoLog) hangUp() error {
	f.mu.Lock()
	file := f.file
	f.file = nil
	f.gen++
	f.mu.Unlock()
	if file == nil {
		return fmt.Errorf("%s has no open read end", f.path)
	}
	return file.Close()
}

// reopen opens the read end again in the background, as a restarted logmon does.
func (f *fifoLog) reopen() {
	f.mu.Lock()
	f.eof = false
	gen := f.gen
	f.mu.Unlock()
	go f.copy(gen)
}

func (f *fifoLog) text() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.String()
}

func (f *fifoLog) closed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.eof
}

// waitFor polls until the log contains s or the timeout passes.
func (f *fifoLog) waitFor(s string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if strings.Contains(f.text(), s) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// allocation is the on-disk layout the Nomad client prepares before StartTask: the shared
// alloc/ directory with logs/, the task directory with local/, secrets/ and tmp/, and the
// two logmon FIFOs.
type allocation struct {
	root     string
	allocID  string
	allocDir string
	task     string
	taskDir  string
	stdout   *fifoLog
	stderr   *fifoLog
}

func newAllocation(root, task string) (*allocation, error) {
	a := &allocation{root: root, allocID: newUUID(), task: task}
	a.allocDir = filepath.Join(root, a.allocID)
	a.taskDir = filepath.Join(a.allocDir, task)
	for _, d := range []string{"alloc/data", "alloc/logs", "alloc/tmp", task + "/local", task + "/secrets", task + "/tmp"} {
		if err := os.MkdirAll(filepath.Join(a.allocDir, d), 0o755); err != nil {
			return nil, err
		}
	}
	var err error
	logs := filepath.Join(a.allocDir, "alloc", "logs")
	if a.stdout, err = newFifoLog(filepath.Join(logs, "."+task+".stdout.fifo")); err != nil {
		return nil, err
	}
	if a.stderr, err = newFifoLog(filepath.Join(logs, "."+task+".stderr.fifo")); err != nil {
		return nil, err
	}
	return a, nil
}

// taskFixture is a job's task block as the harness reads it from fixtures/task/*.hcl:
// `task "name" { driver = "swift"  user = "..."  config { ... }  env { ... } }`.
type taskFixture struct {
	name   string
	driver string
	user   string
	config map[string]interface{}
	env    map[string]string
	expect fixtureExpect
}

func loadTaskFixture(path string) (*taskFixture, error) {
	body, src, diags := parseNativeFile(path)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s", diagText(diags))
	}
	tb := findBlock(body, "task", "")
	if tb == nil || len(tb.Labels) != 1 {
		return nil, fmt.Errorf("%s has no task \"name\" block", path)
	}
	tf := &taskFixture{name: tb.Labels[0], env: map[string]string{}, expect: readExpect(src), config: map[string]interface{}{}}
	if a, ok := tb.Body.Attributes["driver"]; ok {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() || v.Type() != cty.String {
			return nil, fmt.Errorf("driver must be a string")
		}
		tf.driver = v.AsString()
	}
	if a, ok := tb.Body.Attributes["user"]; ok {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() || v.Type() != cty.String {
			return nil, fmt.Errorf("user must be a string")
		}
		tf.user = v.AsString()
	}
	if cb := findBlock(tb.Body, "config", ""); cb != nil {
		cfg, d := bodyToGo(cb.Body, src)
		if d.HasErrors() {
			return nil, fmt.Errorf("%s", diagText(d))
		}
		tf.config = cfg
	}
	if eb := findBlock(tb.Body, "env", ""); eb != nil {
		for k, a := range eb.Body.Attributes {
			v, d := a.Expr.Value(nil)
			if d.HasErrors() || v.Type() != cty.String {
				return nil, fmt.Errorf("env %s must be a string", k)
			}
			tf.env[k] = v.AsString()
		}
	}
	return tf, nil
}

// taskEnvironment builds the environment the client gives a task (fs_isolation NONE: host
// environment plus NOMAD_* with host paths, plus the job's env block).
func taskEnvironment(a *allocation, tf *taskFixture, extra map[string]string) map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if i := strings.IndexByte(kv, '='); i > 0 {
			env[kv[:i]] = kv[i+1:]
		}
	}
	for k, v := range map[string]string{
		"NOMAD_ALLOC_DIR":      filepath.Join(a.allocDir, "alloc"),
		"NOMAD_TASK_DIR":       filepath.Join(a.taskDir, "local"),
		"NOMAD_SECRETS_DIR":    filepath.Join(a.taskDir, "secrets"),
		"NOMAD_ALLOC_ID":       a.allocID,
		"NOMAD_SHORT_ALLOC_ID": a.allocID[:8],
		"NOMAD_ALLOC_NAME":     "conformance.group[0]",
		"NOMAD_ALLOC_INDEX":    "0",
		"NOMAD_TASK_NAME":      a.task,
		"NOMAD_GROUP_NAME":     "group",
		"NOMAD_JOB_NAME":       "conformance",
		"NOMAD_JOB_ID":         "conformance",
		"NOMAD_NAMESPACE":      "default",
		"NOMAD_REGION":         "global",
		"NOMAD_DC":             "dc1",
		"NOMAD_CPU_LIMIT":      "100",
		"NOMAD_MEMORY_LIMIT":   "128",
	} {
		env[k] = v
	}
	for k, v := range tf.env {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// envVars is the interpolation context the client decodes a task config with.
func envVars(env map[string]string) map[string]cty.Value {
	vars := map[string]cty.Value{}
	for k, v := range env {
		if hclIdentifier(k) {
			vars[k] = cty.StringVal(v)
		}
	}
	return vars
}

func hclIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && (r >= '0' && r <= '9' || r == '-'))
		if !ok {
			return false
		}
	}
	return true
}

// buildTaskConfig decodes the fixture's config block with the driver's task spec and fills
// a TaskConfig the way the client's buildTaskConfig does.
func buildTaskConfig(a *allocation, tf *taskFixture, spec hcldec.Spec, extraEnv map[string]string) (*drivers.TaskConfig, hcl.Diagnostics) {
	env := taskEnvironment(a, tf, extraEnv)
	_, packed, diags := decodeLikeNomad(tf.config, spec, envVars(env))
	if diags.HasErrors() {
		return nil, diags
	}
	return &drivers.TaskConfig{
		Id:                  a.allocID + "/" + a.task + "/" + randomHex(4),
		Name:                a.task,
		User:                tf.user,
		JobName:             "conformance",
		JobId:               "conformance",
		TaskGroupName:       "group",
		AllocId:             a.allocID,
		Namespace:           "default",
		NodeName:            "harness-node",
		NodeId:              newUUID(),
		MsgpackDriverConfig: packed,
		Env:                 env,
		DeviceEnv:           map[string]string{},
		Resources: &drivers.Resources{
			AllocatedResources: &drivers.AllocatedTaskResources{
				Cpu:    &drivers.AllocatedCpuResources{CpuShares: 100},
				Memory: &drivers.AllocatedMemoryResources{MemoryMb: 128},
			},
			LinuxResources: &drivers.LinuxResources{CpuShares: 100, MemoryLimitBytes: 128 << 20, PercentTicks: 0.01},
		},
		AllocDir:   a.allocDir,
		StdoutPath: a.stdout.path,
		StderrPath: a.stderr.path,
	}, nil
}
