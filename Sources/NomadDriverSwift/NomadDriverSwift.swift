import Glibc
import ArgumentParser
import GoPluginServer
import Logging
import SwiftDriver

/// The process entry. Nomad runs the binary with no arguments, and the plugin's start-up time is
/// part of every agent start: that path serves at once, without command-line parsing (argument
/// parsing reflects over every type and costs several milliseconds in a large binary).
@main
enum Entry {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == TaskSupervisor.subcommand {
            exit(TaskSupervisor.main(arguments: Array(arguments.dropFirst())))
        }
        BlockingMain.run { await run(arguments) }
    }

    static func run(_ arguments: [String]) async {
        do {
            if arguments.isEmpty {
                try await Serve().run()
                return
            }
            // Concrete types, so the asynchronous `run` of each command is the one called.
            var command = try NomadDriverSwift.parseAsRoot(arguments)
            switch command {
            case let serve as Serve: try await serve.run()
            case let fingerprint as Fingerprint: try await fingerprint.run()
            default: try command.run()
            }
        } catch {
            NomadDriverSwift.exit(withError: error)
        }
    }
}

/// The `nomad-driver-swift` command line. Nomad runs it with no arguments (`serve`).
struct NomadDriverSwift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DriverIdentity.binaryName,
        abstract: "A Nomad task driver (driver = \"swift\") that keeps work off nodes whose disk is filling.",
        discussion: """
            Install this binary in the Nomad client's plugin_dir and configure it with a \
            plugin "\(DriverIdentity.binaryName)" { config { ... } } block; Nomad starts it.
            """,
        version: DriverIdentity.version,
        subcommands: [Serve.self, Fingerprint.self, Supervise.self],
        defaultSubcommand: Serve.self)
}

/// Serves the go-plugin protocol; what Nomad runs.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the plugin protocol to a Nomad agent (the default; needs Nomad's magic cookie).")

    func run() async throws {
        let logger = PluginLogging.bootstrap()
        let stop = StopSignal()
        let runtime = DriverRuntime(
            supervisorExecutable: TaskStore.currentExecutablePath() ?? CommandLine.arguments[0],
            stop: stop, logger: logger)
        let server = GoPluginServer(binaryName: DriverIdentity.binaryName, jobUsage: "jobs then use driver = \"\(DriverIdentity.name)\"")
        let status = await server.serve(routes: runtime.routes, environment: ProcessInfoLite.environment,
                                        stop: stop, logger: logger)
        await runtime.shutdown()
        if status != 0 { throw ExitCode(status) }
    }
}

/// Prints what the driver would fingerprint, without Nomad.
struct Fingerprint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the watched disks once and print the health and attributes Nomad would get.",
        discussion: "Exit status: 0 healthy, 2 unhealthy, 1 bad configuration.")

    @Option(name: .long, help: "The plugin config: the config {} block as JSON, or the HCL plugin block.")
    var config: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .long, help: "Keep sampling: a live view with fill rate, time to full and a sparkline of free space on a terminal; with --json one line per sample; piped text prints every fingerprint change.")
    var watch = false

    func run() async throws {
        let logger = PluginLogging.bootstrap()
        let status = await FingerprintCommand.run(configPath: config, json: json, watch: watch, logger: logger)
        if status != 0 { throw ExitCode(status) }
    }
}

/// The task supervisor: the plugin execs this binary with `supervise` for every task.
struct Supervise: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: TaskSupervisor.subcommand, abstract: "Run one task under supervision (internal).",
        shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough)
    var arguments: [String] = []

    func run() throws {
        let status = TaskSupervisor.main(arguments: arguments)
        if status != 0 { throw ExitCode(status) }
    }
}

/// hclog JSON lines on stderr, at the level from NOMAD_DRIVER_SWIFT_LOG_LEVEL (until the
/// plugin config sets `log_level`).
enum PluginLogging {
    static func bootstrap() -> Logger {
        HCLogHandler.bootstrap(label: DriverIdentity.binaryName, levelVariable: "NOMAD_DRIVER_SWIFT_LOG_LEVEL")
    }
}
