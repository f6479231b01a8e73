import ArgumentParser
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoAPI
import Locking
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The entry point. The command is synchronous and its main thread waits for the server: an
/// async `main` would end the main thread through `dispatch_main`'s `pthread_exit`, whose
/// forced unwind reads 0.7 MB of unwind tables into memory for nothing.
@main
enum GoAPIMain {
    static func main() {
        GoAPICommand.main()
    }
}

/// `go-api`: a whoami-style HTTP service for Nomad failover drills.
struct GoAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "go-api",
        abstract: "A whoami-style HTTP API for Nomad failover drills and load tests."
    )

    @Option(help: "Address to listen on. Default: $NOMAD_IP_<label>, else 0.0.0.0.")
    var bind: String?

    @Option(help: "Port to listen on. Default: $NOMAD_PORT_<label>, else $PORT, else 8080.")
    var port: Int?

    @Option(help: "Nomad port label whose NOMAD_IP_/NOMAD_PORT_ variables give the address.")
    var portLabel: String = "http"

    @Option(help: "Instance name shown as 'Name:'. Default: $GO_API_NAME.")
    var name: String?

    @Option(help: "Seconds between a shutdown signal and refusing new connections; /health answers 503 meanwhile.")
    var drain: Double = 2

    @Option(help: "Largest request body accepted, in bytes; larger requests get 413.")
    var maxBodySize: Int = 1_048_576

    @Flag(help: "Do not write the per-request access log to stdout.")
    var quiet = false

    func validate() throws {
        guard drain.isFinite, drain >= 0, drain <= 3600 else {
            throw ValidationError("--drain must be a number of seconds from 0 to 3600, got \(drain).")
        }
        guard maxBodySize > 0 else {
            throw ValidationError("--max-body-size must be a positive number of bytes, got \(maxBodySize).")
        }
        guard !portLabel.isEmpty, portLabel.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw ValidationError("--port-label must be a Nomad port label (letters, digits, '_' or '-'), got '\(portLabel)'.")
        }
    }

    func run() throws {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let command = self
        Task {
            do {
                try await command.serve()
            } catch {
                outcome.error.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error.withLock({ $0 }) { throw error }
    }

    /// What the serving task hands back to the waiting main thread.
    private final class Outcome: Sendable {
        let error = Mutex<(any Error)?>(nil)
    }

    func serve() async throws {
        let environment = Self.processEnvironment()
        let address = try ListenAddress.resolve(
            bind: bind, port: port, portLabel: portLabel, environment: environment)

        LogOutput.bootstrap()
        let logger = Logger(label: LogOutput.mainLabel)
        let health = HealthState()
        let accessLog = quiet ? nil : AccessLog(descriptor: STDOUT_FILENO)
        let router = GoAPIRouter(
            identity: .current(name: name, environment: environment),
            interfaces: InterfaceAddresses(),
            health: health,
            maxBodySize: maxBodySize,
            accessLog: accessLog
        )
        // One event loop per core: each connection stays on one loop, as do its answers.
        let loops = environment["GO_API_EVENT_LOOPS"].flatMap { Int($0) }.map { min(max($0, 1), 256) } ?? System.coreCount
        let server = GoAPIServer(
            router: router, address: address, group: MultiThreadedEventLoopGroup(numberOfThreads: loops), logger: logger)
        let drainService = DrainService(health: health, drain: .milliseconds(drain * 1000), logger: logger)
        // Services shut down in reverse order: the drain runs to its end before the server
        // stops accepting connections, and the access log is written out after the server's
        // last request.
        var services: [any Service] = [server, drainService]
        if let accessLog { services.insert(AccessLogFlusher(log: accessLog), at: 0) }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        defer { accessLog?.flush() }
        try await group.run()
        logger.info("stopped")
    }

    /// The process environment, without Foundation (which go-api does not link).
    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        guard var cursor = table else { return result }
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                if result[name] == nil { result[name] = String(text[text.index(after: equals)...]) }
            }
            cursor += 1
        }
        return result
    }
}
