import Accounts
import Foundation
import XCTest

/// The account database the plugin and its supervisors use instead of glibc's NSS (the static
/// release binary cannot load NSS modules): the files' rules, the getent fallback, and
/// agreement with glibc on this host's real accounts.
final class AccountDatabaseTests: XCTestCase {
    private var directory: String!

    override func setUp() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func database(passwd: String, group: String, getent: String? = nil) throws -> AccountDatabase {
        try passwd.write(toFile: directory + "/passwd", atomically: true, encoding: .utf8)
        try group.write(toFile: directory + "/group", atomically: true, encoding: .utf8)
        return AccountDatabase(passwdPath: directory + "/passwd", groupPath: directory + "/group", getentPath: getent)
    }

    private let passwd = """
        # comment line
        root:x:0:0:root:/root:/bin/bash

        +nisuser::::::
        broken:x:notanumber:1::/:/bin/sh
        svc:x:1200:1300:service:/srv:/usr/sbin/nologin
        1201:x:1500:1300:a user named by digits:/:/bin/sh
        short:x:1400:1400
        tooshort:x:1401
        """

    private let group = """
        root:x:0:
        svcgroup:x:1300:
        logs:x:1301:other, svc ,more
        data:x:1302:svc
        again:x:1300:svc
        -nisgroup:::
        empty:x:1303
        """

    func testUsersByNameThenByNumericID() throws {
        let db = try database(passwd: passwd, group: group)
        XCTAssertEqual(db.user("svc").map { [$0.uid, $0.gid] }, [1200, 1300])
        XCTAssertEqual(db.user("1200")?.name, "svc", "a number no login name matches is a uid")
        XCTAssertEqual(db.user("1201")?.uid, 1500, "a login name made of digits wins over the uid")
        XCTAssertEqual(db.user("0")?.name, "root")
        XCTAssertEqual(db.user("short")?.uid, 1400, "four fields are enough")
        XCTAssertNil(db.user("tooshort"), "a line without the gid field is skipped")
        XCTAssertNil(db.user("broken"), "a line with a non-numeric uid is skipped")
        XCTAssertNil(db.user("+nisuser"))
        XCTAssertNil(db.user("nisuser"))
        XCTAssertNil(db.user("nobody-here"))
        XCTAssertNil(db.user("9999"))
    }

    func testGroupsArePrimaryThenMembershipsWithoutRepeats() throws {
        let db = try database(passwd: passwd, group: group)
        let svc = try XCTUnwrap(db.user("svc"))
        XCTAssertEqual(db.groups(of: svc), [1300, 1301, 1302], "primary first; spaces around member names ignored")
        let root = try XCTUnwrap(db.user("root"))
        XCTAssertEqual(db.groups(of: root), [0])
    }

    func testGroupIDs() throws {
        let db = try database(passwd: passwd, group: group)
        XCTAssertEqual(db.groupID("data"), 1302)
        XCTAssertEqual(db.groupID("4242"), 4242, "a number is a gid as given")
        XCTAssertEqual(db.groupID("empty"), 1303, "a group line without the member field still counts")
        XCTAssertNil(db.groupID("nisgroup"))
        XCTAssertNil(db.groupID("-nisgroup"))
        XCTAssertNil(db.groupID("missing"))
    }

    func testMissingFilesReadAsEmpty() {
        let db = AccountDatabase(passwdPath: directory + "/none", groupPath: directory + "/none", getentPath: nil)
        XCTAssertNil(db.user("root"))
        XCTAssertNil(db.groupID("root"))
    }

    /// A fake getent that logs its arguments and knows one directory user.
    private func fakeGetent() throws -> (path: String, log: String) {
        let path = directory + "/getent"
        let log = directory + "/getent.log"
        let script = """
            #!/bin/sh
            echo "$*" >> \(log)
            case "$1 $2 $3" in
              "passwd -- ldapuser"|"passwd -- 7000") echo "ldapuser:*:7000:7100:LDAP user:/home/ldapuser:/bin/sh" ;;
              "initgroups -- ldapuser") echo "ldapuser             7200 7201 7100" ;;
              "group -- ldapgroup") echo "ldapgroup:*:7300:ldapuser" ;;
              *) exit 2 ;;
            esac
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return (path, log)
    }

    func testNamesTheFilesDoNotKnowAreAskedOfGetent() throws {
        let fake = try fakeGetent()
        let db = try database(passwd: passwd, group: group, getent: fake.path)
        let user = try XCTUnwrap(db.user("ldapuser"))
        XCTAssertEqual([user.uid, user.gid], [7000, 7100])
        XCTAssertEqual(db.groups(of: user), [7100, 7200, 7201], "getent's initgroups, after the primary group, no repeats")
        XCTAssertEqual(db.user("7000")?.name, "ldapuser")
        XCTAssertEqual(db.groupID("ldapgroup"), 7300)
        XCTAssertNil(db.user("nobody-anywhere"), "getent's exit status 2 is 'unknown'")
        XCTAssertNil(db.user("-s"))
        let calls = try String(contentsOfFile: fake.log, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(calls.contains("passwd -- -s"), "a key starting with '-' reaches getent after '--': \(calls)")
    }

    func testFileHitsAndImpossibleNamesNeverRunGetent() throws {
        let fake = try fakeGetent()
        let db = try database(passwd: passwd, group: group, getent: fake.path)
        XCTAssertNotNil(db.user("svc"))
        XCTAssertEqual(db.groups(of: try XCTUnwrap(db.user("svc"))).count, 3)
        XCTAssertEqual(db.groupID("data"), 1302)
        for name in ["", "a:b", "a\nb", "a\u{0}b"] {
            XCTAssertNil(db.user(name), "\(name.debugDescription)")
            XCTAssertNil(db.groupID(name), "\(name.debugDescription)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fake.log), "getent ran: \((try? String(contentsOfFile: fake.log, encoding: .utf8)) ?? "")")
    }

    /// Every account on this host resolves as glibc resolves it (this test binary is dynamically
    /// linked, so getpwnam and getgrouplist here are the real NSS).
    func testAgreesWithGlibcOnThisHost() throws {
        let db = AccountDatabase()
        let names = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
            .split(separator: "\n").compactMap { $0.split(separator: ":").first.map(String.init) }
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("+") && !$0.hasPrefix("-") }
        XCTAssertFalse(names.isEmpty)
        for name in names {
            guard let pw = getpwnam(name) else { continue }
            let ours = try XCTUnwrap(db.user(name), name)
            XCTAssertEqual([ours.uid, ours.gid], [pw.pointee.pw_uid, pw.pointee.pw_gid], name)
            var count: Int32 = 256
            var groups = [gid_t](repeating: 0, count: 256)
            XCTAssertGreaterThanOrEqual(getgrouplist(name, pw.pointee.pw_gid, &groups, &count), 0, name)
            XCTAssertEqual(Set(db.groups(of: ours)), Set(groups.prefix(Int(count))), name)
            XCTAssertEqual(db.groups(of: ours).first, pw.pointee.pw_gid, name)
        }
        for line in try String(contentsOfFile: "/etc/group", encoding: .utf8).split(separator: "\n") {
            guard let name = line.split(separator: ":").first.map(String.init), let gr = getgrnam(name) else { continue }
            XCTAssertEqual(db.groupID(name), gr.pointee.gr_gid, name)
        }
    }
}
