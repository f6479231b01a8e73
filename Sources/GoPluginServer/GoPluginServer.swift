import GRPCCoreServer
import Glibc
import Logging

/// Runs a go-plugin gRPC server the way a go-plugin host expects it.
///
/// Start-up: check the magic cookie, negotiate the protocol version, listen on a unix socket in
/// a fresh private directory, print the handshake line once the socket accepts connections and
/// never write stdout again. Then serve go-plugin's services plus the application's `routes`
/// until `GRPCController/Shutdown` or SIGTERM, finish in-flight calls briefly, and remove the
/// socket directory.
public struct GoPluginServer: Sendable {
    public var handshake: HandshakeConfig
    public var binaryName: String
    /// How jobs use the plugin, for the sentence that greets someone running it by hand.
    public var jobUsage: String
    /// How long in-flight calls get to finish after a stop is requested. go-plugin's host kills
    /// a plugin that has not exited two seconds after asking it to shut down.
    public var shutdownGrace: Duration = .milliseconds(800)

    public init(handshake: HandshakeConfig = .nomad, binaryName: String, jobUsage: String) {
        self.handshake = handshake
        self.binaryName = binaryName
        self.jobUsage = jobUsage
    }

    /// Serves until stopped; returns the process exit status. `stop` may be triggered by the
    /// application too (it is also what long-lived streams should wait on).
    public func serve(
        routes: [String: MethodHandler],
        environment: [String: String],
        stop: StopSignal,
        logger: Logger
    ) async -> Int32 {
        let negotiation: HandshakeNegotiation
        switch HandshakeNegotiation.negotiate(config: handshake, environment: environment, binaryName: binaryName, jobUsage: jobUsage) {
        case .success(let value): negotiation = value
        case .failure(let error):
            HCLogHandler.writeToStderr(error.message + "\n")
            return 1
        }
        let directory: SocketDirectory
        do {
            directory = try SocketDirectory(parent: negotiation.socketParent, group: negotiation.socketGroup,
                                            environment: environment)
        } catch {
            logger.error("\(error.message)")
            return 1
        }
        defer { directory.remove() }

        SignalHandling.install(stop: stop)

        let allRoutes = routes.merging(GoPluginServices.routes(stop: stop)) { application, _ in application }
        let server = GRPCServer(routes: allRoutes, logger: logger)
        do {
            try server.start(unixSocketPath: directory.socketPath)
        } catch {
            logger.error("could not start the gRPC server: \(error.message)")
            return 1
        }
        directory.secureSocket()
        guard await waitUntilAccepting(directory) else {
            logger.error("the plugin socket \(directory.socketPath) does not accept connections")
            await server.shutdown(grace: .zero)
            return 1
        }
        Self.announce(negotiation.handshakeLine(socketPath: directory.socketPath))
        logger.debug("plugin serving", metadata: ["socket": "\(directory.socketPath)",
                                                   "protocol": "\(negotiation.appProtocolVersion)"])

        await stop.wait()
        logger.info("plugin shutting down", metadata: ["reason": "\(stop.reason ?? "stop requested")"])
        await server.shutdown(grace: shutdownGrace)
        return 0
    }

    /// grpc core listens as soon as the server starts; the probe makes "only once the listener
    /// accepts" a checked fact rather than an assumption.
    private func waitUntilAccepting(_ directory: SocketDirectory) async -> Bool {
        for _ in 0..<200 {
            if directory.acceptsConnections() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    /// Prints the handshake line, then points fd 1 at stderr: the host reads stdout only for the
    /// handshake, and anything a library might print later must not reach it.
    private static func announce(_ line: String) {
        DescriptorWriter.writeAll(1, line + "\n")
        _ = dup2(2, 1)
    }
}
