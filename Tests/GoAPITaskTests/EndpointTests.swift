import Foundation
import XCTest

/// Every endpoint of a running go-api, over real HTTP.
final class EndpointTests: XCTestCase {
    func testBenchAnswersOneAndRejectsOtherMethods() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        let client = HTTPClient(port: server.port)

        let bench = try await client.get("/bench")
        XCTAssertEqual(bench.status, 200)
        XCTAssertEqual(bench.body, "1")
        XCTAssertEqual(bench.header("Content-Length"), "1")

        let post = try await client.send("POST", "/bench", body: Data("x".utf8))
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.header("Allow"), "GET, HEAD")
    }

    func testUnknownPathIs404AndServerKeepsServing() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        let client = HTTPClient(port: server.port)

        for path in ["/nope", "/api/extra", "/health/", "/%41%42"] {
            let result = try await client.get(path)
            XCTAssertEqual(result.status, 404, path)
        }
        let delete = try await client.send("DELETE", "/")
        XCTAssertEqual(delete.status, 405)
        try await client.expect(200, "GET", "/bench")
        XCTAssertTrue(server.process.isRunning)
    }

    /// `?wait=` values past what a Duration holds once crashed the server (found by FuzzGoAPI).
    func testOutOfRangeWaitIs400AndServerKeepsServing() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        let client = HTTPClient(port: server.port)
        for wait in [String(repeating: "7", count: 90) + "ms", "1e300s", "31s", "-1ms", "nanms", "abc"] {
            try await client.expect(400, "GET", "/?wait=" + wait)
        }
        try await client.expect(200, "GET", "/?wait=1ms")
        XCTAssertTrue(server.process.isRunning)
    }

    func testOversizedBodyIs413() async throws {
        let server = try await GoAPIProcess.serving(["--quiet", "--max-body-size", "1024"])
        let client = HTTPClient(port: server.port)

        let big = Data(repeating: UInt8(ascii: "7"), count: 4096)
        let health = try await client.send("POST", "/health", body: big)
        XCTAssertEqual(health.status, 413)
        let root = try await client.send("PUT", "/", body: big)
        XCTAssertEqual(root.status, 413)

        // Within the limit the same endpoint works, so the 413 was about size.
        let small = try await client.send("POST", "/health", body: Data("200".utf8))
        XCTAssertEqual(small.status, 200)
        XCTAssertTrue(server.process.isRunning)
    }

    func testOversizedHeaderIs400AndServerKeepsServing() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        let client = HTTPClient(port: server.port)

        let huge = try await client.send("GET", "/", headers: ["X-Big": String(repeating: "a", count: 100_000)])
        XCTAssertEqual(huge.status, 400)
        try await client.expect(200, "GET", "/bench")
    }

    func testHealthReportsAndAcceptsDrillCodes() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        let client = HTTPClient(port: server.port)

        let initial = try await client.get("/health")
        XCTAssertEqual(initial.status, 200)
        XCTAssertEqual(initial.body.trimmingCharacters(in: .whitespacesAndNewlines), #"{"status":"ok"}"#)
        try await client.expect(200, "HEAD", "/health")

        let setBody = try await client.send("POST", "/health", body: Data("503\n".utf8))
        XCTAssertEqual(setBody.status, 200)
        try await client.expect(503, "GET", "/health")
        try await client.expect(503, "HEAD", "/health")

        try await client.expect(200, "POST", "/health?code=418")
        try await client.expect(418, "GET", "/health")

        try await client.expect(400, "POST", "/health", body: Data("abc".utf8))
        try await client.expect(400, "POST", "/health?code=700")
        try await client.expect(400, "POST", "/health?code=100")
        try await client.expect(418, "GET", "/health", "a rejected code must not change the state")

        try await client.expect(200, "POST", "/health?code=200")
        try await client.expect(200, "GET", "/health")

        let put = try await client.send("PUT", "/health", body: Data("200".utf8))
        XCTAssertEqual(put.status, 405)
        XCTAssertEqual(put.header("Allow"), "GET, HEAD, POST")
    }

    func testRootEchoesTheRequestAsText() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        let client = HTTPClient(port: server.port)

        let result = try await client.get("/?probe=1", headers: ["X-Drill": "failover"])
        XCTAssertEqual(result.status, 200)
        XCTAssertTrue(result.header("Content-Type")?.hasPrefix("text/plain") ?? false)
        let lines = result.body.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Hostname: \(systemHostname())")
        XCTAssertTrue(lines.contains("IP: 127.0.0.1"), result.body)
        XCTAssertTrue(lines.contains { $0.hasPrefix("RemoteAddr: 127.0.0.1:") }, result.body)
        XCTAssertTrue(lines.contains("GET /?probe=1 HTTP/1.1"), result.body)
        XCTAssertTrue(lines.contains("Host: 127.0.0.1:\(server.port)"), result.body)
        XCTAssertTrue(lines.contains("X-Drill: failover"), result.body)
        XCTAssertFalse(lines.contains { $0.hasPrefix("Name:") || $0.hasPrefix("Node:") || $0.hasPrefix("Alloc:") })

        let head = try await client.send("HEAD", "/")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, "")
    }

    func testApiAndGoApiAnswerJSON() async throws {
        let server = try await GoAPIProcess.serving(["--quiet"])
        let client = HTTPClient(port: server.port)

        for path in ["/api", "/go-api"] {
            let result = try await client.get(path, headers: ["X-Drill": "json"])
            XCTAssertEqual(result.status, 200, path)
            XCTAssertEqual(result.header("Content-Type"), "application/json")
            let object = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(result.body.utf8)) as? [String: Any], path)
            XCTAssertEqual(object["hostname"] as? String, systemHostname())
            XCTAssertEqual(object["method"] as? String, "GET")
            XCTAssertEqual(object["url"] as? String, path)
            XCTAssertEqual(object["host"] as? String, "127.0.0.1:\(server.port)")
            XCTAssertTrue((object["ip"] as? [String])?.contains("127.0.0.1") ?? false)
            XCTAssertTrue((object["remoteAddr"] as? String)?.hasPrefix("127.0.0.1:") ?? false)
            let headers = try XCTUnwrap(object["headers"] as? [String: [String]])
            XCTAssertEqual(headers["X-Drill"], ["json"])
            XCTAssertNil(object["node"])
        }
    }
}

func systemHostname() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    _ = gethostname(&buffer, buffer.count - 1)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
