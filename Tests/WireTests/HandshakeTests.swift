import GoPluginServer
import XCTest

/// The start-up decisions a go-plugin server makes from its environment.
final class HandshakeTests: XCTestCase {
    private let cookie = [HandshakeConfig.nomad.magicCookieKey: HandshakeConfig.nomad.magicCookieValue]

    private func negotiate(_ extra: [String: String]) -> Result<HandshakeNegotiation, HandshakeError> {
        HandshakeNegotiation.negotiate(config: .nomad, environment: cookie.merging(extra) { $1 },
                                       binaryName: "nomad-driver-swift")
    }

    func testMissingCookieExplainsWhatTheBinaryIs() throws {
        let result = HandshakeNegotiation.negotiate(config: .nomad, environment: [:], binaryName: "nomad-driver-swift")
        guard case .failure(let error) = result else { return XCTFail("expected a refusal") }
        XCTAssertTrue(error.message.contains("plugin for HashiCorp Nomad"))
        XCTAssertTrue(error.message.contains("plugin_dir"))
    }

    func testWrongCookieIsRefused() {
        let result = HandshakeNegotiation.negotiate(
            config: .nomad, environment: ["NOMAD_PLUGIN_MAGIC_COOKIE": "nope"], binaryName: "x")
        guard case .failure = result else { return XCTFail("expected a refusal") }
    }

    func testNoOfferedVersionsUsesOurs() throws {
        XCTAssertEqual(try negotiate([:]).get().appProtocolVersion, 2)
    }

    func testPicksTwoFromTheOffer() throws {
        XCTAssertEqual(try negotiate(["PLUGIN_PROTOCOL_VERSIONS": "1, 2,3"]).get().appProtocolVersion, 2)
    }

    func testOfferWithoutTwoIsRefusedWithASentence() {
        guard case .failure(let error) = negotiate(["PLUGIN_PROTOCOL_VERSIONS": "1,3"]) else {
            return XCTFail("expected a refusal")
        }
        XCTAssertTrue(error.message.contains("\"1,3\""))
        XCTAssertTrue(error.message.contains("version 2"))
    }

    func testSocketDirectoryAndGroupComeFromTheHost() throws {
        let negotiation = try negotiate(["PLUGIN_UNIX_SOCKET_DIR": "/run/x", "PLUGIN_UNIX_SOCKET_GROUP": "nomad"]).get()
        XCTAssertEqual(negotiation.socketParent, "/run/x")
        XCTAssertEqual(negotiation.socketGroup, "nomad")
        let plain = try negotiate(["PLUGIN_UNIX_SOCKET_DIR": ""]).get()
        XCTAssertNil(plain.socketParent)
    }

    func testHandshakeLineHasSixFieldsAndAnEmptyCertificate() throws {
        let line = try negotiate([:]).get().handshakeLine(socketPath: "/tmp/d/plugin.sock")
        XCTAssertEqual(line, "1|2|unix|/tmp/d/plugin.sock|grpc|")
        XCTAssertEqual(line.split(separator: "|", omittingEmptySubsequences: false).count, 6)
    }

    func testSocketDirectoryIsPrivateAndRemoved() throws {
        let parent = try makeTemporaryDirectory()
        defer { removeTree(parent) }
        let directory = try SocketDirectory(parent: parent, group: nil, environment: [:])
        var info = stat()
        XCTAssertEqual(stat(directory.path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
        XCTAssertTrue(directory.socketPath.hasPrefix(directory.path + "/"))
        directory.remove()
        XCTAssertNotEqual(stat(directory.path, &info), 0)
    }

    func testUnknownSocketGroupIsASentence() throws {
        XCTAssertThrowsError(try SocketDirectory(parent: "/tmp", group: "no-such-group-xyz", environment: [:])) { error in
            XCTAssertTrue((error as? HandshakeError)?.message.contains("no-such-group-xyz") ?? false)
        }
    }
}
