import GRPCCoreServer
import Logging
import Locking
import XCTest

/// The gRPC core server and client through a real unix socket: every RPC kind, status details,
/// unknown methods, client cancellation seen by the handler, deadlines and graceful shutdown.
final class GRPCServerTests: XCTestCase {
    private var directory = ""
    private var server: GRPCServer!
    private var client: GRPCClient!
    private let cancelled = CancelProbe()

    override func setUp() async throws {
        directory = try makeTemporaryDirectory()
        let probe = cancelled
        let routes: [String: MethodHandler] = [
            "/test.Echo/Unary": .unary { request, _ in request.reversed() },
            "/test.Echo/Fail": .unary { _, _ in
                throw GRPCStatus(.failedPrecondition, "boom", details: [1, 2, 3])
            },
            "/test.Echo/Count": .serverStreaming { request, writer, _ in
                for index in 0..<Int(request.first ?? 0) {
                    try await writer.send([UInt8(index)])
                }
            },
            "/test.Echo/Sum": .clientStreaming { requests, _ in
                var total = 0
                for try await message in requests { total += message.reduce(0) { $0 + Int($1) } }
                return [UInt8(total & 0xFF)]
            },
            "/test.Echo/Chat": .bidiStreaming { requests, writer, _ in
                for try await message in requests { try await writer.send(message + [0]) }
            },
            "/test.Echo/Hang": .unary { _, _ in
                do {
                    try await Task.sleep(for: .seconds(60))
                } catch {
                    probe.mark()
                    throw error
                }
                return []
            },
            "/test.Echo/Slow": .unary { request, _ in
                try? await Task.sleep(for: .milliseconds(300))
                return request
            },
        ]
        server = GRPCServer(routes: routes, logger: Logger(label: "test"))
        try server.start(unixSocketPath: directory + "/s.sock")
        client = GRPCClient(unixSocketPath: directory + "/s.sock")
    }

    override func tearDown() async throws {
        client?.close()
        await server?.shutdown(grace: .seconds(1))
        removeTree(directory)
    }

    func testUnaryRoundTrip() async throws {
        let response = try await client.unary("/test.Echo/Unary", [1, 2, 3])
        XCTAssertEqual(response, [3, 2, 1])
        let empty = try await client.unary("/test.Echo/Unary", [])
        XCTAssertEqual(empty, [])
    }

    func testLargeMessage() async throws {
        let big = (0..<(3 << 20)).map { UInt8($0 & 0xFF) }
        let response = try await client.unary("/test.Echo/Unary", big)
        XCTAssertEqual(response, big.reversed())
    }

    func testStatusWithDetails() async throws {
        do {
            _ = try await client.unary("/test.Echo/Fail", [])
            XCTFail("expected an error")
        } catch let status as GRPCStatus {
            XCTAssertEqual(status.code, .failedPrecondition)
            XCTAssertEqual(status.message, "boom")
            XCTAssertEqual(status.details, [1, 2, 3])
        }
    }

    func testUnknownMethodIsUnimplemented() async throws {
        do {
            _ = try await client.unary("/test.Echo/Nope", [])
            XCTFail("expected an error")
        } catch let status as GRPCStatus {
            XCTAssertEqual(status.code, .unimplemented)
            XCTAssertTrue(status.message.contains("/test.Echo/Nope"))
        }
    }

    func testServerStreaming() async throws {
        let call = client.serverStream("/test.Echo/Count", [5])
        var received: [UInt8] = []
        while let message = try await call.next() { received += message }
        XCTAssertEqual(received, [0, 1, 2, 3, 4])
        let status = await call.status()
        XCTAssertEqual(status.code, .ok)
    }

    func testClientStreaming() async throws {
        let call = client.bidiStream("/test.Echo/Sum")
        for chunk in [[1, 2], [3], [4, 5]] as [[UInt8]] { try await call.send(chunk) }
        await call.closeSend()
        let response = try await call.next()
        XCTAssertEqual(response, [15])
        let end = try await call.next()
        XCTAssertNil(end)
    }

    func testBidiStreaming() async throws {
        let call = client.bidiStream("/test.Echo/Chat")
        for value in 1...3 as ClosedRange<UInt8> {
            try await call.send([value])
            let echoed = try await call.next()
            XCTAssertEqual(echoed, [value, 0])
        }
        await call.closeSend()
        let end = try await call.next()
        XCTAssertNil(end)
    }

    func testClientCancellationReachesHandler() async throws {
        let client = self.client!
        let task = Task { try await client.unary("/test.Echo/Hang", []) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        guard case .failure(let error as GRPCStatus) = result else { return XCTFail("expected a cancelled status, got \(result)") }
        XCTAssertEqual(error.code, .cancelled)
        try await waitUntil { self.cancelled.isMarked }
    }

    func testDeadlineCancelsHandler() async throws {
        do {
            _ = try await client.unary("/test.Echo/Hang", [], timeout: .milliseconds(200))
            XCTFail("expected DEADLINE_EXCEEDED")
        } catch let status as GRPCStatus {
            XCTAssertEqual(status.code, .deadlineExceeded)
        }
        try await waitUntil { self.cancelled.isMarked }
    }

    func testGracefulShutdownFinishesInFlightCalls() async throws {
        let client = self.client!
        let slow = Task { try await client.unary("/test.Echo/Slow", [7]) }
        try await Task.sleep(for: .milliseconds(50))
        await server.shutdown(grace: .seconds(5))
        let response = try await slow.value
        XCTAssertEqual(response, [7])
        server = nil
    }

    func testConcurrentLongPollsDoNotBlockNewCalls() async throws {
        let client = self.client!
        var hanging: [Task<[UInt8], Error>] = []
        for _ in 0..<150 { hanging.append(Task { try await client.unary("/test.Echo/Hang", []) }) }
        try await Task.sleep(for: .milliseconds(200))
        let response = try await client.unary("/test.Echo/Unary", [9], timeout: .seconds(5))
        XCTAssertEqual(response, [9])
        hanging.forEach { $0.cancel() }
        for task in hanging { _ = await task.result }
    }

    private func waitUntil(_ condition: @escaping () -> Bool) async throws {
        for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertTrue(condition())
    }
}

final class CancelProbe: Sendable {
    private let flag = Mutex(false)
    func mark() { flag.withLock { $0 = true } }
    var isMarked: Bool { flag.withLock { $0 } }
}
