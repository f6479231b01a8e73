import Foundation
import GoAPI
import XCTest

/// go-api's `--bind` resolution without NSS: literals, the hosts file, localhost, then getent.
final class BindHostResolverTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bind-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A resolver over a hosts file with `hosts` and a getent that is a script printing `getent`
    /// (nil: no getent at all).
    private func resolver(hosts: String, getent: String? = nil) throws -> BindHostResolver {
        let hostsPath = directory.appendingPathComponent("hosts").path
        try hosts.write(toFile: hostsPath, atomically: true, encoding: .utf8)
        var getentPath: String?
        if let getent {
            getentPath = directory.appendingPathComponent("getent").path
            // Prints its arguments to a file, so a test can see what was asked.
            let script = "#!/bin/sh\necho \"$@\" > \(directory.appendingPathComponent("asked").path)\ncat <<'END'\n\(getent)END\n"
            try script.write(toFile: getentPath!, atomically: true, encoding: .utf8)
            chmod(getentPath!, 0o755)
        }
        return BindHostResolver(hostsPath: hostsPath, getentPath: getentPath)
    }

    private var asked: String? {
        try? String(contentsOf: directory.appendingPathComponent("asked"), encoding: .utf8)
    }

    func testIPLiteralsAreUsedAsTheyAreWithoutReadingAnything() throws {
        let resolver = BindHostResolver(hostsPath: "/nonexistent/hosts", getentPath: nil)
        XCTAssertEqual(try resolver.resolve("127.0.0.1"), "127.0.0.1")
        XCTAssertEqual(try resolver.resolve("0.0.0.0"), "0.0.0.0")
        XCTAssertEqual(try resolver.resolve("::"), "::")
        XCTAssertEqual(try resolver.resolve("fe80::1"), "fe80::1")
    }

    func testHostsFileNamesAndAliasesPreferringIPv4() throws {
        let resolver = try resolver(hosts: """
            # comment line mentioning web
            ::1\tlocalhost ip6-localhost
            127.0.0.1 localhost
            fd00::5   web  # web's v6 first
            10.0.0.5  web.example web   www
            not-an-address web
            192.0.2.7 MixedCaseName
            2001:db8::7 v6only

            """, getent: "203.0.113.9 STREAM web\n")
        XCTAssertEqual(try resolver.resolve("web"), "10.0.0.5")
        XCTAssertEqual(try resolver.resolve("www"), "10.0.0.5")
        XCTAssertEqual(try resolver.resolve("WEB.Example."), "10.0.0.5")
        XCTAssertEqual(try resolver.resolve("localhost"), "127.0.0.1")
        XCTAssertEqual(try resolver.resolve("mixedcasename"), "192.0.2.7")
        XCTAssertEqual(try resolver.resolve("v6only"), "2001:db8::7")
        XCTAssertNil(asked, "getent asked although the hosts file knew every name")
    }

    func testLocalhostWithoutAHostsEntryIsTheLoopback() throws {
        let resolver = try resolver(hosts: "", getent: nil)
        XCTAssertEqual(try resolver.resolve("localhost"), "127.0.0.1")
        XCTAssertEqual(try resolver.resolve("app.localhost"), "127.0.0.1")
    }

    func testNamesTheHostsFileLacksGoToGetent() throws {
        let resolver = try resolver(hosts: "127.0.0.1 localhost\n", getent: """
            2001:db8::1     STREAM db.internal
            2001:db8::1     DGRAM
            198.51.100.4    STREAM
            198.51.100.4    DGRAM

            """)
        XCTAssertEqual(try resolver.resolve("db.internal"), "198.51.100.4")
        XCTAssertEqual(asked?.trimmingCharacters(in: .whitespacesAndNewlines), "ahosts -- db.internal")
    }

    func testUnknownNamesAreOneSentence() throws {
        let withoutGetent = try resolver(hosts: "127.0.0.1 localhost\n")
        XCTAssertThrowsError(try withoutGetent.resolve("nowhere")) { error in
            XCTAssertEqual("\(error)", "host name 'nowhere' is not in \(withoutGetent.hostsPath) and no getent program was found to look it up; give an IP address instead.")
        }
        // getent exits 2 for a name it cannot resolve: the script's `false`.
        let failing = BindHostResolver(hostsPath: withoutGetent.hostsPath, getentPath: "/bin/false")
        XCTAssertThrowsError(try failing.resolve("nowhere.invalid")) { error in
            XCTAssertTrue("\(error)".contains("getent ahosts did not resolve it"), "\(error)")
        }
        XCTAssertThrowsError(try failing.resolve(".")) { error in
            XCTAssertEqual("\(error)", "'.' is not an IP address or host name.")
        }
    }

    func testGetentOutputParsing() {
        XCTAssertEqual(BindHostResolver.getentAddresses(in: "::1 STREAM localhost\n::1 DGRAM\n127.0.0.1 RAW\nbogus\n\n"), ["::1", "127.0.0.1"])
        XCTAssertEqual(BindHostResolver.preferred(["::1", "127.0.0.1"]), "127.0.0.1")
        XCTAssertEqual(BindHostResolver.preferred(["::1"]), "::1")
        XCTAssertNil(BindHostResolver.preferred([]))
    }
}
