import XCTest

@testable import SwiftDriver

final class TaskSettingsDecodeTests: XCTestCase {
    private func decode(_ value: CtyValue) throws(ConfigError) -> TaskSettings {
        try TaskSettings.decode(msgpack: TestMsgpack.encode(value))
    }

    func testFullConfig() throws {
        // Nomad's shape: every attribute present, absent ones nil, evictable's default filled.
        let settings = try decode(["command": "/bin/app", "args": ["-v", "--port", "8080"], "work_dir": nil, "disk_limit_mb": 512, "evictable": false])
        XCTAssertEqual(settings, TaskSettings(command: "/bin/app", args: ["-v", "--port", "8080"], workDir: nil, diskLimitMB: 512, evictable: false))
    }

    func testMinimalConfigTakesDefaults() throws {
        XCTAssertEqual(try decode(["command": "app"]), TaskSettings(command: "app"))
        XCTAssertEqual(try TaskSettings(cty: ["command": "app", "work_dir": "/srv"]), TaskSettings(command: "app", workDir: "/srv"))
    }

    func testWorkedExampleHasUnknownFields() {
        // The protocol reference's example config uses `port` and `enabled`, which our spec lacks.
        let bytes = TestMsgpack.hex("84a46172677392a161a162a7636f6d6d616e64a178a7656e61626c6564c3a4706f7274cd1f90")
        let error = expectConfigError { () throws(ConfigError) in try TaskSettings.decode(msgpack: bytes) }
        XCTAssertEqual(error?.description, "invalid task config: enabled is not a known option; expected one of: args, command, disk_limit_mb, evictable, work_dir")
    }

    func testErrorsNameTheField() {
        let cases: [(CtyValue, String, String)] = [
            ([:], "command", "is required and must be a string"),
            (["command": nil], "command", "is required and must be a string"),
            (["command": ["a"]], "command", "must be a string, got list of 1 item"),
            (["command": "  "], "command", "must name a program, got an empty string"),
            (["command": "x", "args": "-v"], "args", "must be a list of strings, got string \"-v\""),
            (["command": "x", "args": ["-v", ["nested"]]], "args[1]", "must be a string, got list of 1 item"),
            (["command": "x", "work_dir": ""], "work_dir", "must be a directory path, got an empty string"),
            (["command": "x", "disk_limit_mb": -5], "disk_limit_mb", "must be a whole number from 0 to 18446744073709551615, got number -5"),
            (["command": "x", "disk_limit_mb": "lots"], "disk_limit_mb", "must be a number, got string \"lots\""),
            (["command": "x", "evictable": "maybe"], "evictable", "must be a bool (true or false), got string \"maybe\""),
            (["command": "x", "image": "redis"], "image", "is not a known option; expected one of: args, command, disk_limit_mb, evictable, work_dir"),
        ]
        for (value, field, message) in cases {
            let error = expectConfigError { () throws(ConfigError) in try self.decode(value) }
            XCTAssertEqual(error?.field, field, "\(value)")
            XCTAssertEqual(error?.message, message, "\(value)")
            XCTAssertTrue(error?.description.hasPrefix("invalid task config: \(field) ") ?? false)
        }
    }

    func testNonObjectAndBrokenInput() {
        let notObject = expectConfigError { () throws(ConfigError) in try self.decode("x") }
        XCTAssertEqual(notObject?.description, "invalid task config: the configuration must be an object, got string \"x\"")
        let empty = expectConfigError { () throws(ConfigError) in try TaskSettings.decode(msgpack: []) }
        XCTAssertTrue(empty?.description.hasPrefix("invalid task config: the msgpack input is truncated") ?? false, empty?.description ?? "")
    }

    func testHCLStyleConversions() throws {
        // HCL converts 8080 to "8080" for a list(string), and "true" to true for a bool.
        let settings = try decode(["command": "x", "args": ["--port", 8080], "evictable": "false"])
        XCTAssertEqual(settings.args, ["--port", "8080"])
        XCTAssertFalse(settings.evictable)
    }
}
