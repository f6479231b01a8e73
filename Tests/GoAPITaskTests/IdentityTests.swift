import Foundation
import XCTest

/// Fields that come from the environment Nomad gives the task.
final class IdentityTests: XCTestCase {
    func testEnvironmentFieldsAppearInTextAndJSON() async throws {
        let server = try await GoAPIProcess.serving(
            ["--quiet"],
            environment: ["GO_API_NAME": "api-7", "NODE_NAME": "client-4", "NOMAD_ALLOC_ID": "0b9c1f2e-alloc"]
        )
        let client = HTTPClient(port: server.port)

        let lines = try await client.get("/").body.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(4)), [
            "Name: api-7", "Hostname: \(systemHostname())", "Node: client-4", "Alloc: 0b9c1f2e-alloc",
        ])

        let json = try await client.get("/go-api").body
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["name"] as? String, "api-7")
        XCTAssertEqual(object["node"] as? String, "client-4")
        XCTAssertEqual(object["alloc"] as? String, "0b9c1f2e-alloc")
    }

    func testNameFlagWinsOverEnvironment() async throws {
        let server = try await GoAPIProcess.serving(
            ["--quiet", "--name", "from-flag"], environment: ["GO_API_NAME": "from-env"])
        let body = try await HTTPClient(port: server.port).get("/").body
        XCTAssertTrue(body.hasPrefix("Name: from-flag\n"), body)
    }
}
