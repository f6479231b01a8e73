import Foundation
import Glibc
import XCTest
@testable import SwiftDriver

/// A group network namespace, as Nomad makes one for `network { mode = "bridge" }`: the tests make
/// their own with `ip netns add` and a veth pair, so what the task sees can be told apart from the
/// host's network.
final class TaskNetworkNamespaceTests: TaskStoreTestCase {
    private var namespace: TestNetworkNamespace!

    override func setUp() async throws {
        try await super.setUp()
        namespace = try TestNetworkNamespace()
    }

    override func tearDown() async throws {
        try await super.tearDown()
        namespace?.remove()
    }

    /// `net:[inode]` as readlink shows it for a process in the namespace.
    private var namespaceLink: String { "net:[\(namespace.inode)]" }

    func testTasksOfAGroupRunInItsNamespaceAndSeeOnlyItsInterfaces() async throws {
        let script = "cat /proc/net/dev; readlink /proc/self/ns/net; exec sleep 100"
        var first = scratch.request("/bin/sh", ["-c", script])
        first.networkNamespace = namespace.path
        _ = try await store.start(first)
        let shown = await taskEventually { self.scratch.stdout().contains("net:[") }
        XCTAssertTrue(shown, scratch.stdout())
        let output = scratch.stdout()
        XCTAssertTrue(output.contains(namespace.guestInterface + ":"), "the namespace's veth end is visible: \(output)")
        XCTAssertFalse(output.contains(namespace.hostInterface + ":"), "the host's end is not: \(output)")
        XCTAssertTrue(output.contains(namespaceLink), output)
        XCTAssertNotEqual(try Self.ownNamespaceLink(), namespaceLink, "the test itself stays on the host's network")

        // A second task of the same group shares the namespace.
        let other = try TaskScratch()
        defer { other.remove() }
        var second = other.request("/bin/sh", ["-c", "readlink /proc/self/ns/net"])
        second.networkNamespace = namespace.path
        _ = try await store.start(second)
        let exit = try await store.wait(second.id)
        XCTAssertEqual(exit.exitCode, 0)
        XCTAssertEqual(other.stdout(), namespaceLink + "\n")
    }

    func testExecSessionsJoinTheTasksNamespace() async throws {
        var context = ExecTestSupport.context()
        context.networkNamespace = namespace.path
        let output = try await ExecRunner.run(command: ["readlink", "/proc/self/ns/net"], context: context, timeout: .seconds(10))
        XCTAssertEqual(String(decoding: output.stdout, as: UTF8.self), namespaceLink + "\n")
    }

    func testAMissingNamespaceFailsTheStartWithASentence() async throws {
        var req = scratch.request("/bin/true")
        req.networkNamespace = "/var/run/netns/no-such-namespace-\(getpid())"
        let error = await XCTAssertTaskError(.failed) { () async throws(TaskError) in _ = try await self.store.start(req) }
        XCTAssertEqual(error?.message.hasPrefix("The task could not join its network namespace /var/run/netns/no-such-namespace-"), true,
                       error?.message ?? "")
    }

    private static func ownNamespaceLink() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
    }
}

/// A named network namespace with one end of a veth pair inside; removed by `remove()`.
struct TestNetworkNamespace {
    let name: String
    let hostInterface: String
    let guestInterface: String

    var path: String { "/var/run/netns/" + name }

    /// The namespace file's inode: what `/proc/<pid>/ns/net` shows for a process inside.
    var inode: UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    init() throws {
        guard geteuid() == 0 else { throw XCTSkip("network namespaces need root (ip netns add)") }
        let tag = String(UInt32.random(in: 0...0xFFFFFF), radix: 16)
        name = "sdnet-\(tag)"
        hostInterface = "sdh\(tag)"
        guestInterface = "sdg\(tag)"
        try Self.ip(["netns", "add", name])
        do {
            try Self.ip(["link", "add", hostInterface, "type", "veth", "peer", "name", guestInterface, "netns", name])
        } catch {
            remove()
            throw error
        }
    }

    func remove() {
        try? Self.ip(["link", "del", hostInterface])
        try? Self.ip(["netns", "del", name])
    }

    private static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw XCTSkip("`ip \(arguments.joined(separator: " "))` failed (status \(process.terminationStatus)); this host cannot make network namespaces")
        }
    }
}
