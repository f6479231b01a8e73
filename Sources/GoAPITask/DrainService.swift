import GoAPI
import Logging
import ServiceLifecycle

/// The first service shut down on SIGTERM/SIGINT: it turns `/health` to 503
/// and holds the shutdown for the drain period, so load balancers see the
/// failing check while the listener still accepts connections. The HTTP server
/// is only told to stop (refuse new connections, finish in-flight requests)
/// once this service returns.
struct DrainService: Service {
    let health: HealthState
    let drain: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled rather than asked to shut down: the group is failing.
            return
        }
        health.beginShutdown()
        logger.info("shutdown requested: /health now answers 503, draining for \(drain)")
        try? await Task.sleep(for: drain)
        logger.info("drain over: refusing new connections, finishing in-flight requests")
    }
}
