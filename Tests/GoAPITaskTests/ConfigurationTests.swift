import Foundation
import XCTest

/// Where go-api listens, and how it refuses settings it cannot use.
final class ConfigurationTests: XCTestCase {
    func testNomadVariablesForTheLabelChooseTheAddress() async throws {
        let port = try GoAPIProcess.freePort()
        let server = try GoAPIProcess(
            arguments: ["--quiet", "--port-label", "web"],
            environment: ["NOMAD_IP_web": "127.0.0.1", "NOMAD_PORT_web": String(port), "PORT": "1"],
            port: port)
        try await server.waitUntilListening()
        try await HTTPClient(port: port).expect(200, "GET", "/bench")
    }

    func testPortVariableIsTheFallback() async throws {
        let port = try GoAPIProcess.freePort()
        let server = try GoAPIProcess(arguments: ["--quiet"], environment: ["PORT": String(port)], port: port)
        try await server.waitUntilListening()
        try await HTTPClient(port: port).expect(200, "GET", "/bench")
    }

    func testFlagsWinOverNomadVariables() async throws {
        let port = try GoAPIProcess.freePort()
        let server = try GoAPIProcess(
            arguments: ["--quiet", "--bind", "127.0.0.1", "--port", String(port)],
            environment: ["NOMAD_IP_http": "not an address", "NOMAD_PORT_http": "not a port"],
            port: port)
        try await server.waitUntilListening()
        try await HTTPClient(port: port).expect(200, "GET", "/bench")
    }

    func testHostNamesAndEqualsSignFlagsServe() async throws {
        // localhost comes from /etc/hosts or, failing that, is the loopback: never from NSS,
        // which the static release binary cannot load.
        let port = try GoAPIProcess.freePort()
        let server = try GoAPIProcess(arguments: ["--quiet", "--bind=localhost", "--port=\(port)"], port: port)
        try await server.waitUntilListening()
        try await HTTPClient(port: port).expect(200, "GET", "/bench")
        XCTAssertTrue(server.stderr.contains("listening on localhost:\(port) ("), server.stderr)
    }

    func testHelpListsEveryFlagAndExitsZero() async throws {
        let process = try GoAPIProcess(arguments: ["--help"], port: 0)
        let status = try await process.waitForExit()
        XCTAssertEqual(status, 0)
        for flag in ["--bind", "--port", "--port-label", "--name", "--drain", "--max-body-size", "--quiet", "--help"] {
            XCTAssertTrue(process.stdout.contains(flag), "\(flag) missing from: \(process.stdout)")
        }
    }

    func testBadValuesAreAClearStartupError() async throws {
        let cases: [(arguments: [String], environment: [String: String], mentions: String)] = [
            (["--port", "70000"], [:], "--port"),
            (["--port", "eighty"], [:], "port"),
            ([], ["NOMAD_PORT_http": "eighty"], "NOMAD_PORT_http"),
            (["--port-label", "web"], ["NOMAD_PORT_web": "-5"], "NOMAD_PORT_web"),
            ([], ["PORT": "0"], "PORT"),
            (["--bind", " "], [:], "--bind"),
            (["--drain", "-1"], [:], "--drain"),
            (["--max-body-size", "0"], [:], "--max-body-size"),
            (["--port-label", "a b"], [:], "--port-label"),
            (["--no-such-flag"], [:], "no-such-flag"),
            (["--drain", "soon"], [:], "--drain"),
            (["--max-body-size", "big"], [:], "--max-body-size"),
            (["--port"], [:], "--port needs a value"),
            (["--quiet=yes"], [:], "--quiet takes no value"),
            (["serve"], [:], "unexpected argument 'serve'"),
        ]
        for testCase in cases {
            let process = try GoAPIProcess(arguments: testCase.arguments, environment: testCase.environment, port: 0)
            let status = try await process.waitForExit()
            let label = "\(testCase.arguments) \(testCase.environment)"
            XCTAssertNotNil(status, "still running: \(label)")
            XCTAssertNotEqual(status, 0, label)
            XCTAssertTrue(process.stderr.contains(testCase.mentions), "\(label): \(process.stderr)")
            XCTAssertEqual(process.stdout, "", label)
        }
    }

    func testPortAlreadyInUseFailsWithoutHanging() async throws {
        let first = try await GoAPIProcess.serving(["--quiet"])
        let second = try GoAPIProcess(
            arguments: ["--quiet", "--bind", "127.0.0.1", "--port", String(first.port)], port: first.port)
        let status = try await second.waitForExit()
        XCTAssertNotNil(status)
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(second.stderr.contains("127.0.0.1:\(first.port)"), second.stderr)
        XCTAssertTrue(first.process.isRunning)
    }
}
