package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"

	"github.com/hashicorp/hcl/v2/hcldec"

	health "google.golang.org/grpc/health/grpc_health_v1"
	base "swiftdriver/proto/base"
)

// runBase covers issue 2's wire contract: launch, health, PluginInfo, ConfigSchema and SetConfig.
func runBase(rep *reporter, opts options) {
	checkNoCookie(rep, opts.binary)
	checkWrongCookie(rep, opts.binary)
	checkVersionNegotiation(rep, opts.binary)
	checkManualHandshake(rep, opts.binary, "")
	if dir, err := os.MkdirTemp("", "swift-conformance-sockets-"); err == nil {
		rep.info("again with PLUGIN_UNIX_SOCKET_DIR=%s", dir)
		checkManualHandshake(rep, opts.binary, dir)
		os.RemoveAll(dir)
	}

	start := time.Now()
	p, err := launchPlugin(opts.binary, opts.verbose)
	if !rep.checkErr(err, "launch through go-plugin with Nomad's handshake") {
		return
	}
	rep.info("handshake completed in %s (pid %d)", time.Since(start).Round(time.Millisecond), p.pid())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var hr health.HealthCheckResponse
	err = unary(ctx, p.conn, methodHealthCheck, &health.HealthCheckRequest{Service: "plugin"}, &hr)
	rep.check(err == nil && hr.Status == health.HealthCheckResponse_SERVING, "health Check(\"plugin\") is SERVING (%s, %v)", describeErr(err), hr.Status)

	var info base.PluginInfoResponse
	err = unary(ctx, p.conn, methodPluginInfo, &base.PluginInfoRequest{}, &info)
	if rep.checkErr(err, "PluginInfo answers") {
		rep.check(info.Type == base.PluginType_DRIVER, "PluginInfo type is DRIVER (2) (got %v)", info.Type)
		rep.check(info.Name == "swift", "PluginInfo name is \"swift\" (got %q)", info.Name)
		rep.check(contains(info.PluginApiVersions, "v0.1.0"), "PluginInfo api versions contain v0.1.0 (got %v)", info.PluginApiVersions)
		rep.check(info.PluginVersion != "", "PluginInfo has a plugin version (%q)", info.PluginVersion)
	}

	spec, ok := fetchConfigSpec(ctx, rep, p.conn)
	if ok {
		runPluginFixtures(ctx, rep, p.conn, spec, filepath.Join(opts.fixtures, "plugin"))
	}

	graceful := p.stop()
	rep.check(graceful, "plugin exits by itself after GRPCController/Shutdown (not SIGKILLed by go-plugin)")
	n, bad := p.audit.result()
	rep.check(len(bad) == 0, "%d stderr lines, every one hclog JSON with string @level/@message/@timestamp/@module%s", n, badSuffix(bad))
}

func badSuffix(bad []string) string {
	if len(bad) == 0 {
		return ""
	}
	return " — bad: " + strings.Join(bad, "; ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// fetchConfigSpec calls ConfigSchema and converts the answer as Nomad's loader does.
func fetchConfigSpec(ctx context.Context, rep *reporter, conn *grpc.ClientConn) (hcldec.Spec, bool) {
	var resp base.ConfigSchemaResponse
	if !rep.checkErr(unary(ctx, conn, methodConfigSchema, &base.ConfigSchemaRequest{}, &resp), "ConfigSchema answers") {
		return nil, false
	}
	spec, diags := convertSpec(resp.Spec)
	if !rep.check(!diags.HasErrors(), "ConfigSchema converts to an hcldec spec as Nomad converts it%s", diagSuffix(diagText(diags))) {
		return nil, false
	}
	return spec, true
}

func diagSuffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

// pluginConfigFromFixture reads `plugin "nomad-driver-swift" { config { ... } }` from a file.
func pluginConfigFromFixture(path string) (map[string]interface{}, fixtureExpect, string) {
	return pluginConfigFromFixtureLabeled(path, "nomad-driver-swift")
}

// pluginConfigFromFixtureLabeled reads `plugin "<label>" { config { ... } }`: the label is the
// binary's file name, which is how Nomad matches a block to its plugin.
func pluginConfigFromFixtureLabeled(path, label string) (map[string]interface{}, fixtureExpect, string) {
	body, src, diags := parseNativeFile(path)
	exp := readExpect(src)
	if diags.HasErrors() {
		return nil, exp, "HCL syntax: " + diagText(diags)
	}
	pb := findBlock(body, "plugin", "")
	if pb == nil {
		return nil, exp, "fixture has no plugin block"
	}
	if len(pb.Labels) != 1 || pb.Labels[0] != label {
		return nil, exp, "plugin block label must be the binary's file name, " + label
	}
	cb := findBlock(pb.Body, "config", "")
	if cb == nil {
		return map[string]interface{}{}, exp, ""
	}
	cfg, d := bodyToGo(cb.Body, src)
	if d.HasErrors() {
		return nil, exp, "HCL: " + diagText(d)
	}
	return cfg, exp, ""
}

// setConfig sends SetConfig as the driver manager does (driver part of the Nomad config,
// API version).
func setConfig(ctx context.Context, conn *grpc.ClientConn, packed []byte) error {
	req := &base.SetConfigRequest{
		MsgpackConfig:    packed,
		PluginApiVersion: "v0.1.0",
		NomadConfig:      &base.NomadConfig{Driver: &base.NomadDriverConfig{ClientMinPort: 20000, ClientMaxPort: 32000}},
	}
	return unary(ctx, conn, methodSetConfig, req, &base.SetConfigResponse{})
}

// configurePlugin does what Nomad does with a plugin block once the plugin is dispensed: reads
// the plugin's config schema, decodes the block against it as Nomad does, and sends SetConfig.
// The driver and device sessions both start this way.
func configurePlugin(ctx context.Context, rep *reporter, conn *grpc.ClientConn, cfg map[string]interface{}) error {
	spec, ok := fetchConfigSpec(ctx, rep, conn)
	if !ok {
		return fmt.Errorf("cannot read the plugin config schema")
	}
	_, packed, diags := decodeLikeNomad(cfg, spec, nil)
	if diags.HasErrors() {
		return fmt.Errorf("plugin config does not decode: %s", diagText(diags))
	}
	if err := setConfig(ctx, conn, packed); err != nil {
		return fmt.Errorf("SetConfig: %s", describeErr(err))
	}
	return nil
}

// validateConfig sends SetConfig as the plugin loader does when it only validates the
// plugin block at agent start: no Nomad config, no API version.
func validateConfig(ctx context.Context, conn *grpc.ClientConn, packed []byte) error {
	return unary(ctx, conn, methodSetConfig, &base.SetConfigRequest{MsgpackConfig: packed}, &base.SetConfigResponse{})
}

func runPluginFixtures(ctx context.Context, rep *reporter, conn *grpc.ClientConn, spec hcldec.Spec, dir string) {
	for _, kind := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join(dir, kind, "*.hcl"))
		sort.Strings(files)
		if len(files) == 0 {
			rep.fail("no plugin config fixtures in %s", filepath.Join(dir, kind))
		}
		for _, f := range files {
			runPluginFixture(ctx, rep, conn, spec, f, kind == "valid")
		}
	}
	// Leave the plugin configured with an empty block (all defaults), as a fresh agent would.
	_, packed, diags := decodeLikeNomad(nil, spec, nil)
	if !diags.HasErrors() {
		rep.checkErr(setConfig(ctx, conn, packed), "SetConfig with an empty config block (all defaults) is accepted")
	}
}

func runPluginFixture(ctx context.Context, rep *reporter, conn *grpc.ClientConn, spec hcldec.Spec, path string, valid bool) {
	name := filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path))
	cfg, exp, problem := pluginConfigFromFixture(path)
	if problem != "" {
		rep.fail("fixture %s is broken: %s", name, problem)
		return
	}
	val, packed, diags := decodeLikeNomad(cfg, spec, nil)
	if diags.HasErrors() {
		msg := diagText(diags)
		if valid || exp.outcome != "hcl-error" {
			rep.fail("%s: Nomad's decode rejects it: %s", name, msg)
			return
		}
		ok, missing := containsAll(msg, exp.texts)
		rep.check(ok, "%s: rejected by Nomad's own HCL decode (before the plugin sees it): %s%s", name, msg, missingSuffix(missing))
		return
	}
	if !valid && exp.outcome == "hcl-error" {
		rep.fail("%s: expected Nomad's HCL decode to reject it, but it decoded to %s", name, val.GoString())
		return
	}
	err := validateConfig(ctx, conn, packed)
	if valid {
		rep.check(err == nil, "%s: SetConfig accepts it (%s; %d msgpack bytes)", name, describeErr(err), len(packed))
		return
	}
	if err == nil {
		rep.fail("%s: SetConfig accepted an invalid config", name)
		return
	}
	msg := grpcMessage(err)
	okCode := grpcCode(err) == codes.InvalidArgument
	okText, missing := containsAll(msg, exp.texts)
	rep.check(okCode && okText && len(strings.TrimSpace(msg)) > 10,
		"%s: SetConfig answers %s %q%s", name, grpcCode(err), msg, missingSuffix(missing))
}

func missingSuffix(missing string) string {
	if missing == "" {
		return ""
	}
	return fmt.Sprintf(" (expected the message to mention %q)", missing)
}
