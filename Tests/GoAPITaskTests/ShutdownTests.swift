import Foundation
import XCTest

/// The Nomad stop sequence: signal, failing health check, drain, clean exit.
final class ShutdownTests: XCTestCase {
    func testSigtermTurnsHealthTo503FinishesInFlightAndExitsZero() async throws {
        let server = try await GoAPIProcess.serving(["--quiet", "--drain", "2"])
        let client = HTTPClient(port: server.port)
        try await client.expect(200, "GET", "/health")

        // A request still being answered when the signal arrives.
        async let inFlight = client.get("/?wait=2500ms")
        try await Task.sleep(for: .milliseconds(300))
        server.signal(SIGTERM)

        var health = try await client.get("/health")
        for _ in 0..<40 where health.status != 503 {
            try await Task.sleep(for: .milliseconds(25))
            health = try await client.get("/health")
        }
        XCTAssertEqual(health.status, 503)
        XCTAssertTrue(health.body.contains("shutting down"), health.body)
        XCTAssertEqual(health.header("Connection")?.lowercased(), "close")
        XCTAssertTrue(server.process.isRunning, "must keep serving through the drain")

        // Drills cannot flip a draining instance back to healthy.
        try await client.expect(503, "POST", "/health?code=200")

        let finished = try await inFlight
        XCTAssertEqual(finished.status, 200)
        XCTAssertTrue(finished.body.contains("GET /?wait=2500ms HTTP/1.1"), finished.body)

        let status = try await server.waitForExit()
        XCTAssertEqual(status, 0, server.stderr)
        XCTAssertFalse(GoAPIProcess.canConnect(port: server.port))
    }

    func testSigintAlsoExitsZero() async throws {
        let server = try await GoAPIProcess.serving(["--quiet", "--drain", "0"])
        try await HTTPClient(port: server.port).expect(200, "GET", "/bench")
        server.signal(SIGINT)
        let status = try await server.waitForExit()
        XCTAssertEqual(status, 0, server.stderr)
    }
}

/// After the drain the listener is closed while a slow request is still answered.
final class DrainEndTests: XCTestCase {
    func testNewConnectionsAreRefusedAfterDrainWhileInFlightFinishes() async throws {
        let server = try await GoAPIProcess.serving(["--quiet", "--drain", "0.5"])
        let client = HTTPClient(port: server.port)

        async let inFlight = client.get("/?wait=3s")
        try await Task.sleep(for: .milliseconds(300))
        server.signal(SIGTERM)

        var refused = false
        for _ in 0..<100 where !refused {
            try await Task.sleep(for: .milliseconds(25))
            refused = !GoAPIProcess.canConnect(port: server.port)
        }
        XCTAssertTrue(refused, "the listener should close once the drain is over")
        XCTAssertTrue(server.process.isRunning, "the in-flight request should hold the exit")

        let finished = try await inFlight
        XCTAssertEqual(finished.status, 200)
        let status = try await server.waitForExit()
        XCTAssertEqual(status, 0, server.stderr)
    }
}
