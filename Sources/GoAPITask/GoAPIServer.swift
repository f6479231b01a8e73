import GoAPI
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// The HTTP listener: SwiftNIO's HTTP/1 pipeline with go-api's handler on every connection
/// (`GoAPIPipeline`). On graceful shutdown it closes the listener, closes idle keep-alive
/// connections, lets in-flight requests finish (NIO's quiescing), then returns.
struct GoAPIServer: Service {
    let router: GoAPIRouter
    let address: ListenAddress
    let group: any EventLoopGroup
    let logger: Logger

    func run() async throws {
        let quiesce = ServerQuiescingHelper(group: group)
        let router = self.router
        let channel: any Channel
        let listenAddress: String
        do {
            // Resolved here rather than by NIO's bind(host:), whose getaddrinfo needs NSS,
            // which the static release binary cannot load (BindHostResolver).
            listenAddress = try BindHostResolver().resolve(address.host)
            let socketAddress = try SocketAddress(ipAddress: listenAddress, port: address.port)
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 512)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                    }
                }
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try GoAPIPipeline.configure(channel, router: router)
                    }
                }
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .bind(to: socketAddress)
                .get()
        } catch {
            throw ConfigurationError("go-api could not serve on \(address.host):\(address.port): \(error)")
        }
        let resolved = listenAddress == address.host ? "" : " (\(listenAddress))"
        logger.info("listening on \(address.host):\(address.port)\(resolved)")

        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled: the group is failing; stop at once.
            try? await channel.close()
            return
        }
        let done = group.next().makePromise(of: Void.self)
        quiesce.initiateShutdown(promise: done)
        try await done.futureResult.get()
    }
}

/// Writes the buffered access log every `AccessLog.flushInterval`, and everything still
/// buffered once the server has stopped (it is shut down after the server), so a clean
/// shutdown loses no line.
struct AccessLogFlusher: Service {
    let log: AccessLog

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: AccessLog.flushInterval)
                log.flush()
            }
        }
        log.flush()
    }
}
