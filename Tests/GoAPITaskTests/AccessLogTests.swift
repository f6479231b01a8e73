import Foundation
import XCTest

/// One stdout line per request, unless `--quiet`.
final class AccessLogTests: XCTestCase {
    func testEachRequestWritesOneLineToStdout() async throws {
        let server = try await GoAPIProcess.serving()
        let client = HTTPClient(port: server.port)
        _ = try await client.get("/bench")
        _ = try await client.get("/nope")
        _ = try await client.send("POST", "/health?code=500")
        server.signal(SIGTERM)
        _ = try await server.waitForExit()

        let lines = server.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, server.stdout)
        XCTAssertTrue(lines.contains { $0.contains("\"GET /bench\" 200 1 ") }, server.stdout)
        XCTAssertTrue(lines.contains { $0.contains("\"GET /nope\" 404 ") }, server.stdout)
        XCTAssertTrue(lines.contains { $0.contains("\"POST /health?code=500\" 200 ") }, server.stdout)
        XCTAssertTrue(lines.allSatisfy { $0.contains("127.0.0.1:") }, server.stdout)
        XCTAssertFalse(server.stderr.contains("\"GET /bench\""), "access lines belong on stdout only")
    }

    func testQuietWritesNothingToStdout() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        try await HTTPClient(port: server.port).expect(200, "GET", "/bench")
        server.signal(SIGTERM)
        _ = try await server.waitForExit()
        XCTAssertEqual(server.stdout, "")
    }
}
