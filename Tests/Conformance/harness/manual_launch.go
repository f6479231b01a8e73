package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"

	"github.com/golang/protobuf/ptypes/empty"
	health "google.golang.org/grpc/health/grpc_health_v1"
)

// envWithout returns the harness environment minus the named variables.
func envWithout(names ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		drop := false
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				drop = true
			}
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// checkNoCookie runs the binary by hand, as a person would, and expects a sentence on
// stderr, nothing on stdout and exit status 1.
func checkNoCookie(rep *reporter, binary string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary)
	cmd.Env = envWithout("NOMAD_PLUGIN_MAGIC_COOKIE", "PLUGIN_PROTOCOL_VERSIONS")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := -1
	if cmd.ProcessState != nil {
		code = cmd.ProcessState.ExitCode()
	}
	if ctx.Err() != nil {
		rep.fail("run by hand without the magic cookie: still running after 10 s (expected exit 1)")
		return
	}
	_ = err
	rep.check(code == 1, "run by hand without the magic cookie exits 1 (got %d)", code)
	msg := strings.TrimSpace(stderr.String())
	rep.check(len(msg) > 20 && strings.Contains(strings.ToLower(msg), "nomad"), "run by hand prints a sentence about Nomad on stderr: %q", firstLine(msg))
	rep.check(stdout.Len() == 0, "run by hand writes nothing on stdout (got %d bytes)", stdout.Len())
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

var handshakeLine = regexp.MustCompile(`^1\|2\|unix\|(/[^|]+)\|grpc\|$`)

// checkManualHandshake launches the binary with the cookie but without go-plugin's client,
// reads the raw handshake line, checks the socket directory and the shutdown cleanup.
// With socketDir set, PLUGIN_UNIX_SOCKET_DIR asks for the socket there (newer go-plugin hosts).
func checkManualHandshake(rep *reporter, binary string, socketDir string) {
	cmd := exec.Command(binary)
	cmd.Env = append(envWithout("PLUGIN_UNIX_SOCKET_DIR", "PLUGIN_UNIX_SOCKET_GROUP", "PLUGIN_MULTIPLEX_GRPC", "PLUGIN_CLIENT_CERT"),
		nomadHandshake.MagicCookieKey+"="+nomadHandshake.MagicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=2", "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000")
	if socketDir != "" {
		cmd.Env = append(cmd.Env, "PLUGIN_UNIX_SOCKET_DIR="+socketDir)
	}
	lines, exited, err := startByHand(cmd)
	if err != nil {
		rep.fail("manual launch: %v", err)
		return
	}
	defer killUnlessExited(cmd, exited)

	var line string
	select {
	case l, ok := <-lines:
		if !ok {
			rep.fail("manual launch: stdout closed before a handshake line")
			return
		}
		line = l
	case <-time.After(10 * time.Second):
		rep.fail("manual launch: no handshake line within 10 s")
		return
	}
	m := handshakeLine.FindStringSubmatch(line)
	if !rep.check(m != nil, "handshake line has the shape 1|2|unix|<path>|grpc| (got %q)", line) {
		return
	}
	sock := m[1]
	if st, err := os.Stat(sock); rep.checkErr(err, "socket %s exists", sock) {
		rep.check(st.Mode()&os.ModeSocket != 0, "%s is a Unix socket", sock)
	}
	dir := filepath.Dir(sock)
	if socketDir != "" {
		rep.check(strings.HasPrefix(sock, socketDir+"/"), "PLUGIN_UNIX_SOCKET_DIR honoured: socket under %s", socketDir)
	} else if st, err := os.Stat(dir); rep.checkErr(err, "socket directory %s exists", dir) {
		rep.check(st.Mode().Perm() == 0o700, "socket directory mode is 0700 (got %04o)", st.Mode().Perm())
	}

	conn, err := grpc.Dial("unused", grpc.WithInsecure(), grpc.WithBlock(),
		grpc.WithDialer(func(_ string, t time.Duration) (net.Conn, error) { return net.DialTimeout("unix", sock, t) }),
		grpc.WithTimeout(5*time.Second))
	if !rep.checkErr(err, "dial the socket from the handshake line") {
		return
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, svc := range []string{"plugin", ""} {
		var hr health.HealthCheckResponse
		err = unary(ctx, conn, methodHealthCheck, &health.HealthCheckRequest{Service: svc}, &hr)
		rep.check(err == nil && hr.Status == health.HealthCheckResponse_SERVING, "health of %q is SERVING (%s, %v)", svc, describeErr(err), hr.Status)
	}
	checkOpenStream(rep, conn, "/plugin.GRPCStdio/StreamStdio", false)
	checkOpenStream(rep, conn, "/plugin.GRPCBroker/StartStream", true)

	// Nomad's Ctrl-C reaches the plugin's process group; it must survive SIGINT.
	_ = cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-exited:
		rep.fail("plugin exited on SIGINT (it must ignore it)")
		return
	case <-time.After(300 * time.Millisecond):
		rep.pass("plugin ignores SIGINT")
	}

	// Nomad ignores Shutdown's answer (it waits 2 s for the exit, then SIGKILLs), so an
	// answer lost to a fast exit is only noted.
	err = unary(ctx, conn, methodShutdown, &empty.Empty{}, &empty.Empty{})
	if err == nil {
		rep.pass("GRPCController/Shutdown answers OK")
	} else {
		rep.info("GRPCController/Shutdown did not answer (%s); Nomad ignores the answer", describeErr(err))
	}
	select {
	case <-exited:
		rep.check(cmd.ProcessState.ExitCode() == 0, "plugin exits 0 after Shutdown (got %d)", cmd.ProcessState.ExitCode())
	case <-time.After(2 * time.Second):
		rep.fail("plugin still running 2 s after Shutdown (Nomad would SIGKILL it)")
		return
	}
	if socketDir == "" || dir != socketDir {
		_, statErr := os.Stat(dir)
		rep.check(os.IsNotExist(statErr), "socket directory %s removed on exit", dir)
	} else {
		_, statErr := os.Stat(sock)
		rep.check(os.IsNotExist(statErr), "socket %s removed on exit", sock)
	}
	if socketDir != "" {
		_, statErr := os.Stat(socketDir)
		rep.check(statErr == nil, "the host's PLUGIN_UNIX_SOCKET_DIR %s itself is left in place", socketDir)
	}
	var extra []string
	for l := range lines {
		extra = append(extra, l)
	}
	rep.check(len(extra) == 0, "nothing on stdout after the handshake line (got %d lines)", len(extra))
	if a, ok := cmd.Stderr.(*stderrAudit); ok {
		n, bad := a.result()
		rep.check(len(bad) == 0, "manual launch: %d stderr lines, all hclog JSON%s", n, badSuffix(bad))
	}
	_ = fmt.Sprint()
}

// checkOpenStream opens one of go-plugin's own streams, as newer hosts do right after
// connecting, and expects it to stay open (or end cleanly), not to be Unimplemented.
func checkOpenStream(rep *reporter, conn *grpc.ClientConn, method string, bidi bool) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: bidi}, method)
	if err != nil {
		rep.fail("%s: %s", method, describeErr(err))
		return
	}
	if !bidi {
		_ = stream.SendMsg(&empty.Empty{})
		_ = stream.CloseSend()
	}
	errc := make(chan error, 1)
	go func() {
		var m empty.Empty
		errc <- stream.RecvMsg(&m)
	}()
	select {
	case err := <-errc:
		rep.check(grpcCode(err) != codes.Unimplemented && grpcCode(err) != codes.Unavailable, "%s is served (%s)", method, describeErr(err))
	case <-time.After(300 * time.Millisecond):
		rep.pass("%s is served (stream held open)", method)
	}
}

// checkWrongCookie runs the binary with a cookie of the wrong value: same refusal as none.
func checkWrongCookie(rep *reporter, binary string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary)
	cmd.Env = append(envWithout("NOMAD_PLUGIN_MAGIC_COOKIE"), "NOMAD_PLUGIN_MAGIC_COOKIE=not-the-cookie", "PLUGIN_PROTOCOL_VERSIONS=2")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run()
	code := -1
	if cmd.ProcessState != nil {
		code = cmd.ProcessState.ExitCode()
	}
	rep.check(code == 1 && stdout.Len() == 0 && stderr.Len() > 0, "a wrong magic cookie is refused like a missing one (exit %d, %d bytes on stdout)", code, stdout.Len())
}

// checkVersionNegotiation offers "1,2" as PLUGIN_PROTOCOL_VERSIONS and expects app protocol 2.
func checkVersionNegotiation(rep *reporter, binary string) {
	cmd := exec.Command(binary)
	cmd.Env = append(envWithout("PLUGIN_UNIX_SOCKET_DIR", "PLUGIN_MULTIPLEX_GRPC", "PLUGIN_CLIENT_CERT"),
		nomadHandshake.MagicCookieKey+"="+nomadHandshake.MagicCookieValue, "PLUGIN_PROTOCOL_VERSIONS=1,2")
	lines, exited, err := startByHand(cmd)
	if err != nil {
		rep.fail("version negotiation: %v", err)
		return
	}
	defer killUnlessExited(cmd, exited)
	select {
	case l := <-lines:
		fields := strings.Split(l, "|")
		rep.check(len(fields) >= 2 && fields[1] == "2", "offered protocol versions 1,2: the plugin answers 2 (%q)", l)
		// SIGTERM must end the plugin gracefully, cleaning up its socket directory.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
			rep.pass("SIGTERM ends the plugin within 2 s")
			if m := handshakeLine.FindStringSubmatch(l); m != nil {
				_, err := os.Stat(filepath.Dir(m[1]))
				rep.check(os.IsNotExist(err), "socket directory removed after SIGTERM")
			}
		case <-time.After(2 * time.Second):
			rep.fail("plugin still running 2 s after SIGTERM")
		}
	case <-time.After(10 * time.Second):
		rep.fail("version negotiation: no handshake line within 10 s")
	}
}

// startByHand starts cmd with its stderr audited as hclog JSON; it returns the stdout lines
// (closed at EOF) and a channel closed once the process has exited.
func startByHand(cmd *exec.Cmd) (<-chan string, chan struct{}, error) {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	cmd.Stderr = &stderrAudit{}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return lines, exited, nil
}

// killUnlessExited kills a process started by startByHand that is still running, and waits.
func killUnlessExited(cmd *exec.Cmd, exited chan struct{}) {
	select {
	case <-exited:
	default:
		_ = cmd.Process.Kill()
		<-exited
	}
}
