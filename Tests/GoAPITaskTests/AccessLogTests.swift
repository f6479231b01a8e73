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

    /// The log is buffered off the request path; a clean shutdown must still write every line,
    /// including those of requests answered in the last moments and of one still in flight.
    func testCleanShutdownLosesNoLine() async throws {
        let server = try await GoAPIProcess.serving(["--drain", "0"])
        let client = HTTPClient(port: server.port)
        let count = 300
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: count, by: 4) {
                        try await client.expect(200, "GET", "/bench?n=\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        async let inFlight = client.get("/?wait=700ms&n=last")
        try await Task.sleep(for: .milliseconds(200))
        server.signal(SIGTERM)
        let last = try await inFlight
        XCTAssertEqual(last.status, 200)
        let status = try await server.waitForExit()
        XCTAssertEqual(status, 0, server.stderr)

        let lines = server.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, count + 1, "one line per answered request")
        for index in 0..<count {
            XCTAssertTrue(lines.contains { $0.contains("\"GET /bench?n=\(index)\" 200 1 ") }, "line for request \(index)")
        }
        XCTAssertTrue(lines.contains { $0.contains("\"GET /?wait=700ms&n=last\" 200 ") }, server.stdout)
        // swift-log's stream layout, kept byte for byte: time, level, label, source, then the fields.
        let pattern = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info go-api\.access: \[GoAPI\] 127\.0\.0\.1:\d+ "GET /bench\?n=\d+" 200 1 \d+us "[^"]+"$"#
        XCTAssertNotNil(lines.first?.range(of: pattern, options: .regularExpression), lines.first ?? "")
    }

    func testQuietWritesNothingToStdout() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        try await HTTPClient(port: server.port).expect(200, "GET", "/bench")
        server.signal(SIGTERM)
        _ = try await server.waitForExit()
        XCTAssertEqual(server.stdout, "")
    }
}
