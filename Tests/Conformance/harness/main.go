// Command conformance plays the Nomad client's role against the nomad-driver-swift plugin:
// it launches the binary through go-plugin exactly as Nomad's plugin loader does and drives
// the BasePlugin and Driver services scenario by scenario, printing one PASS/FAIL line per check.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// options are the command-line settings shared by every scenario.
type options struct {
	binary string
	// deviceBinary is nomad-device-swift, for the device scenario.
	deviceBinary string
	fixtures     string
	goAPI        string
	verbose      bool
}

func main() {
	var (
		scenarios   = flag.String("scenario", "base,lifecycle,recover,disk", "comma-separated scenarios: base, lifecycle, recover, disk, predict, faults, load, current, demo, device")
		binary      = flag.String("plugin", envOr("PLUGIN_BINARY", ".build/debug/nomad-driver-swift"), "plugin binary to launch")
		fixtures    = flag.String("fixtures", "", "fixtures directory (default: next to the harness sources)")
		device      = flag.String("device", envOr("DEVICE_BINARY", ".build/debug/nomad-device-swift"), "device plugin binary (nomad-device-swift) for the device scenario")
		goAPI       = flag.String("go-api", envOr("GO_API_BINARY", ".build/debug/go-api"), "go-api binary for the demo")
		verbose     = flag.Bool("v", false, "echo the plugin's stderr and the host log")
		validateHCL = flag.Bool("validate-hcl", false, "only parse the HCL files given as arguments (syntax check) and exit")
		specType    = flag.Bool("encode-with-spec-type", false, "msgpack-encode configs against the spec's implied type instead of the value's own type (Nomad uses the value's type)")
	)
	flag.Parse()
	encodeWithSpecType = *specType

	if *validateHCL {
		if flag.NArg() == 0 {
			fmt.Fprintln(os.Stderr, "conformance: -validate-hcl needs at least one file")
			os.Exit(2)
		}
		if bad := validateHCLFiles(flag.Args()); bad > 0 {
			fmt.Printf("%d of %d HCL files failed to parse or use keys their Nomad version rejects\n", bad, flag.NArg())
			os.Exit(1)
		}
		return
	}

	opts := options{binary: *binary, deviceBinary: *device, fixtures: *fixtures, goAPI: *goAPI, verbose: *verbose}
	if opts.fixtures == "" {
		opts.fixtures = defaultFixtures()
	}
	if abs, err := filepath.Abs(opts.binary); err == nil {
		opts.binary = abs
	}
	if abs, err := filepath.Abs(opts.deviceBinary); err == nil {
		opts.deviceBinary = abs
	}
	if *verbose {
		pluginLogOutput = os.Stderr
	}

	rep := &reporter{}
	for _, name := range strings.Split(*scenarios, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		rep.setScenario(name)
		if name == "device" {
			// The device scenario runs the device plugin only.
			fmt.Printf("=== scenario %s (device plugin %s)\n", name, opts.deviceBinary)
			if _, err := os.Stat(opts.deviceBinary); err != nil {
				rep.fail("device plugin binary %s is missing: build it with `swift build --product nomad-device-swift` or set DEVICE_BINARY", opts.deviceBinary)
				continue
			}
			runDevice(rep, opts)
			continue
		}
		fmt.Printf("=== scenario %s (plugin %s)\n", name, opts.binary)
		if _, err := os.Stat(opts.binary); err != nil {
			rep.fail("plugin binary %s is missing: build it with `swift build` or set PLUGIN_BINARY", opts.binary)
			continue
		}
		switch name {
		case "base":
			runBase(rep, opts)
		case "lifecycle":
			runLifecycle(rep, opts)
		case "recover":
			runRecover(rep, opts)
		case "disk":
			runDisk(rep, opts)
		case "predict":
			runPredict(rep, opts)
		case "faults":
			runFaults(rep, opts)
		case "load":
			runLoad(rep, opts)
		case "current":
			runCurrent(rep, opts)
		case "demo":
			runDemo(rep, opts)
		default:
			rep.fail("unknown scenario %q (known: base, lifecycle, recover, disk, predict, faults, load, current, demo, device)", name)
		}
	}
	passed, failed, skipped := rep.summary()
	fmt.Printf("=== %d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 {
		os.Exit(1)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// defaultFixtures finds Tests/Conformance/fixtures from the working directory or the binary.
func defaultFixtures() string {
	candidates := []string{"Tests/Conformance/fixtures", "fixtures", "../fixtures"}
	if exe, err := os.Executable(); err == nil {
		candidates = append(candidates, filepath.Join(filepath.Dir(exe), "..", "fixtures"))
	}
	for _, c := range candidates {
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			abs, _ := filepath.Abs(c)
			return abs
		}
	}
	return "Tests/Conformance/fixtures"
}
