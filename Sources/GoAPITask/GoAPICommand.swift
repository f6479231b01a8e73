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
import SystemSupport

/// The entry point. The command is synchronous and its main thread waits for the server: an
/// async `main` would end the main thread through `dispatch_main`'s `pthread_exit`, whose
/// forced unwind reads 0.7 MB of unwind tables into memory for nothing.
@main
enum GoAPIMain {
    /// Exit status of a command line that cannot be used (sysexits' EX_USAGE, as
    /// swift-argument-parser exited).
    static let usageStatus: Int32 = 64

    static func main() {
        let options: CommandLineOptions
        do {
            switch try CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst())) {
            case .help:
                FileOutput.writeAll(STDOUT_FILENO, Array(CommandLineOptions.help.utf8))
                exit(0)
            case .serve(let parsed):
                options = parsed
            }
        } catch {
            fail("\(error)", status: usageStatus)
        }
        do {
            try GoAPICommand(options: options).run()
        } catch {
            fail("\(error)", status: 1)
        }
    }

    /// One line on stderr, then exit: how every startup error reaches the operator.
    static func fail(_ sentence: String, status: Int32) -> Never {
        FileOutput.writeAll(STDERR_FILENO, Array("Error: \(sentence)\n".utf8))
        exit(status)
    }
}

/// `go-api`: a whoami-style HTTP service for Nomad failover drills.
struct GoAPICommand {
    let options: CommandLineOptions

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
            bind: options.bind, port: options.port, portLabel: options.portLabel, environment: environment)

        LogOutput.bootstrap()
        let logger = Logger(label: LogOutput.mainLabel)
        let health = HealthState()
        let accessLog = options.quiet ? nil : AccessLog(descriptor: STDOUT_FILENO)
        let router = GoAPIRouter(
            identity: .current(name: options.name, environment: environment),
            interfaces: InterfaceAddresses(),
            health: health,
            maxBodySize: options.maxBodySize,
            accessLog: accessLog
        )
        // One event loop per core: each connection stays on one loop, as do its answers.
        let loops = environment["GO_API_EVENT_LOOPS"].flatMap { Int($0) }.map { min(max($0, 1), 256) } ?? System.coreCount
        let server = GoAPIServer(
            router: router, address: address, group: MultiThreadedEventLoopGroup(numberOfThreads: loops), logger: logger)
        let drainService = DrainService(health: health, drain: .milliseconds(options.drain * 1000), logger: logger)
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
