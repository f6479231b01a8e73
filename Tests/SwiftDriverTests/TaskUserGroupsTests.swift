import Foundation
import XCTest
@testable import SwiftDriver

/// A task run as another user must not keep the plugin's supplementary groups (root's groups
/// would give it access to whatever those groups can read).
final class TaskUserGroupsTests: XCTestCase {
    var scratch: TaskScratch!
    private var savedGroups: [gid_t] = []

    override func setUp() async throws {
        try XCTSkipIf(geteuid() != 0, "needs root to switch users and set groups")
        scratch = try TaskScratch()
        chmod(scratch.root, 0o755)
        chmod(scratch.stdoutPath, 0o666)
        savedGroups = Self.currentGroups()
        // Give this process supplementary groups a task must not inherit (adm and disk exist on
        // every Debian system; nobody is in neither).
        let extra: [gid_t] = [4, 6]
        XCTAssertEqual(setgroups(extra.count, extra), 0)
    }

    override func tearDown() async throws {
        if geteuid() == 0 { _ = setgroups(savedGroups.count, savedGroups) }
        scratch?.remove()
    }

    private static func currentGroups() -> [gid_t] {
        let n = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(n, 0)))
        _ = getgroups(n, &groups)
        return groups
    }

    private func groupsOfTask(user: String) async throws -> Set<String> {
        let store = TaskStore(supervisorExecutable: try taskSupervisorBinary(), logger: taskTestLogger)
        var req = scratch.request("/bin/sh", ["-c", "grep '^Groups:' /proc/self/status"])
        req.user = user
        _ = try await store.start(req)
        _ = try await store.wait(req.id)
        try await store.destroy(req.id, force: false)
        let line = scratch.stdout()
        XCTAssertTrue(FileManager.default.createFile(atPath: scratch.stdoutPath, contents: nil))
        return Set(line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
    }

    func testTaskUserGetsOnlyItsOwnGroups() async throws {
        // Without a user the task runs as the plugin and keeps its groups: the setup is real.
        let inherited = try await groupsOfTask(user: "")
        XCTAssertTrue(inherited.isSuperset(of: ["4", "6"]), "plugin's groups: \(inherited)")
        let account = try XCTUnwrap(UserAccount.lookup("nobody"))
        let switched = try await groupsOfTask(user: "nobody")
        XCTAssertEqual(switched, Set(account.groups.map(String.init)), "nobody's groups only")
        XCTAssertFalse(switched.contains("4") || switched.contains("6"))
    }

    func testExecAsUserGetsOnlyItsOwnGroups() async throws {
        let output = try await ExecRunner.run(
            command: ["sh", "-c", "grep '^Groups:' /proc/self/status"], context: ExecTestSupport.context(user: "nobody"),
            timeout: .seconds(20))
        let text = String(decoding: output.stdout, as: UTF8.self)
        let groups = Set(text.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        XCTAssertFalse(groups.contains("4") || groups.contains("6"), "exec kept the plugin's groups: \(text)")
    }
}
