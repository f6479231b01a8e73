import Glibc
import GoPluginServer
import Logging
import SwiftDevice

/// The process entry. Nomad runs the binary with no arguments and it serves the go-plugin
/// protocol; `--version` and `--help` are for operators.
@main
enum Entry {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case nil:
            BlockingMain.run { exit(await serve()) }
        case "--version", "version":
            print("\(DeviceIdentity.binaryName) \(DeviceIdentity.version)")
        case "--help", "-h", "help":
            print(usage)
        default:
            HCLogHandler.writeToStderr("\(DeviceIdentity.binaryName): unknown argument \"\(arguments[0])\"; Nomad runs this plugin with none (see --help)\n")
            exit(64)
        }
    }

    static let usage = """
        \(DeviceIdentity.binaryName) \(DeviceIdentity.version): a Nomad device plugin that offers free disk as \
        instances of "\(DeviceIdentity.vendor)/\(DeviceIdentity.deviceType)", one group per watched path.
        Install it in the Nomad client's plugin_dir and configure it with a
        plugin "\(DeviceIdentity.binaryName)" { config { ... } } block; Nomad starts it.
        """

    static func serve() async -> Int32 {
        let logger = HCLogHandler.bootstrap(label: DeviceIdentity.binaryName, levelVariable: "NOMAD_DEVICE_SWIFT_LOG_LEVEL")
        let stop = StopSignal()
        let runtime = DeviceRuntime(stop: stop, logger: logger)
        let server = GoPluginServer(binaryName: DeviceIdentity.binaryName,
                                    jobUsage: "jobs then ask for device \"\(DeviceIdentity.vendor)/\(DeviceIdentity.deviceType)\"")
        let status = await server.serve(routes: runtime.routes, environment: ProcessInfoLite.environment,
                                        stop: stop, logger: logger)
        await runtime.shutdown()
        return status
    }
}
