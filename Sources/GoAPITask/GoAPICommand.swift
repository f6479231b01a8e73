import ArgumentParser
import GoAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import Logging
import ServiceLifecycle

/// `go-api`: a whoami-style HTTP service for Nomad failover drills.
@main
struct GoAPICommand: AsyncParsableCommand {
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

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let address = try ListenAddress.resolve(
            bind: bind, port: port, portLabel: portLabel, environment: environment)

        LogOutput.bootstrap()
        let logger = Logger(label: LogOutput.mainLabel)
        let health = HealthState()
        let router = GoAPIRouter(
            identity: .current(name: name, environment: environment),
            interfaces: InterfaceAddresses(),
            health: health,
            maxBodySize: maxBodySize,
            accessLog: quiet ? nil : Logger(label: LogOutput.accessLabel)
        )
        let drainService = DrainService(health: health, drain: .milliseconds(drain * 1000), logger: logger)
        try await serve(router, at: address, drainService: drainService, logger: logger)
    }

    private func serve<Responder: HTTPResponder>(
        _ responder: Responder,
        at address: ListenAddress,
        drainService: DrainService,
        logger: Logger
    ) async throws where Responder.Context == GoAPIRequestContext {
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            logger: logger
        )
        // Services shut down in reverse order: the drain runs to its end before
        // the server stops accepting connections.
        let group = ServiceGroup(
            configuration: .init(
                services: [app, drainService],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            throw ConfigurationError("go-api could not serve on \(address.host):\(address.port): \(error)")
        }
        logger.info("stopped")
    }
}
