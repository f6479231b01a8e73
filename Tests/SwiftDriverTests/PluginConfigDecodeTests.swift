import XCTest

@testable import ConfigDecoding
@testable import SwiftDriver

final class PluginConfigDecodeTests: XCTestCase {
    /// What Nomad sends for `config { disk { ... } }`: every attribute of the block present,
    /// defaults filled from the spec's literals (as their HCL values), absent optionals nil.
    private func nomadDisk(_ overrides: [String: CtyValue] = [:]) -> CtyValue {
        var disk: [String: CtyValue] = [
            "paths": nil, "interval": "1s", "soft_free_percent": 15, "soft_free_mb": 0, "soft_grace": "1m0s",
            "hard_free_percent": 10, "hard_free_mb": 1024, "hard_inodes_free_percent": 5, "min_reclaim_percent": 2,
            "transition_period": "5m0s", "attribute_step_mb": 1024, "attribute_min_interval": "1m0s",
            "predict_horizon": "10m0s", "predict_min_window": "1m0s", "predict_window": "1h0m0s",
        ]
        disk.merge(overrides) { _, new in new }
        return .map(disk)
    }

    private func decode(_ value: CtyValue) throws(ConfigError) -> PluginConfig {
        try PluginConfig.decode(msgpack: TestMsgpack.encode(value))
    }

    func testEmptyAndAbsentConfigGiveDefaults() throws {
        XCTAssertEqual(try PluginConfig.decode(msgpack: []), PluginConfig())
        XCTAssertEqual(try PluginConfig.decode(msgpack: [0xc0]), PluginConfig())
        XCTAssertEqual(try PluginConfig.decode(msgpack: [0x80]), PluginConfig())
        // Nomad's encoding of an empty block: every top-level key present, blocks nil.
        XCTAssertEqual(try decode(["log_level": nil, "disk": nil, "eviction": nil]), PluginConfig())
        XCTAssertEqual(try decode(["disk": [:], "eviction": [:]]), PluginConfig())
    }

    func testNomadFilledDefaultsDecodeToTheSwiftDefaults() throws {
        let value: CtyValue = ["log_level": nil, "disk": nomadDisk(), "eviction": ["enabled": true, "max_grace": "30s", "interval": "30s", "predictive": true]]
        XCTAssertEqual(try decode(value), PluginConfig())
    }

    func testOverrides() throws {
        let value: CtyValue = [
            "log_level": "debug",
            "disk": nomadDisk([
                "paths": ["/data", "/var/lib/nomad"], "interval": "500ms", "soft_free_percent": 20.5,
                "soft_free_mb": 4096, "soft_grace": "1m30s", "hard_free_mb": 2048,
                // 0.1 is not a float64: Nomad sends it as a decimal string.
                "min_reclaim_percent": .number(CtyNumber(decimal: "0.1") ?? 0),
                "transition_period": "0s", "attribute_step_mb": 512, "attribute_min_interval": "2m",
            ]),
            "eviction": ["enabled": false, "max_grace": "1m", "interval": "10s"],
        ]
        let bytes = TestMsgpack.encode(value)
        XCTAssertTrue(bytes.contains(0xa3), "0.1 travels as a string")
        let config = try PluginConfig.decode(msgpack: bytes)
        XCTAssertEqual(config.logLevel, "debug")
        XCTAssertEqual(config.disk.paths, ["/data", "/var/lib/nomad"])
        XCTAssertEqual(config.disk.interval, .milliseconds(500))
        XCTAssertEqual(config.disk.softFreePercent, 20.5)
        XCTAssertEqual(config.disk.softFreeMB, 4096)
        XCTAssertEqual(config.disk.softGrace, .seconds(90))
        XCTAssertEqual(config.disk.hardFreePercent, 10)
        XCTAssertEqual(config.disk.hardFreeMB, 2048)
        XCTAssertEqual(config.disk.minReclaimPercent, 0.1)
        XCTAssertEqual(config.disk.transitionPeriod, .zero)
        XCTAssertEqual(config.disk.attributeStepMB, 512)
        XCTAssertEqual(config.disk.attributeMinInterval, .seconds(120))
        XCTAssertFalse(config.eviction.enabled)
        XCTAssertEqual(config.eviction.maxGrace, .seconds(60))
        XCTAssertEqual(config.eviction.interval, .seconds(10))
    }

    func testPartialBlockFillsTheRestWithDefaults() throws {
        let config = try decode(["disk": ["hard_free_mb": 2048, "soft_free_mb": 4096]])
        var expected = PluginConfig()
        expected.disk.hardFreeMB = 2048
        expected.disk.softFreeMB = 4096
        XCTAssertEqual(config, expected)
    }

    func testNumberGivenAsDecimalStringIsConverted() throws {
        XCTAssertEqual(try decode(["disk": ["soft_free_percent": "42"]]).disk.softFreePercent, 42)
    }

    func testWrongTypeSentence() {
        let error = expectConfigError { () throws(ConfigError) in try self.decode(["disk": nomadDisk(["soft_free_percent": "high"])]) }
        XCTAssertEqual(error?.description, "invalid plugin config: disk.soft_free_percent must be a number, got string \"high\"")
        XCTAssertEqual(error?.field, "disk.soft_free_percent")
    }

    func testTypeErrorsNameTheirField() {
        let cases: [(CtyValue, String, String)] = [
            (["disk": ["paths": "/data"]], "disk.paths", "must be a list of strings, got string \"/data\""),
            (["disk": ["paths": ["/data", ["/x"]]]], "disk.paths[1]", "must be a string, got list of 1 item"),
            (["disk": ["paths": ["/data", nil]]], "disk.paths[1]", "must be a string, got null"),
            (["disk": ["hard_free_mb": -1]], "disk.hard_free_mb", "must be a whole number from 0 to 18446744073709551615, got number -1"),
            (["disk": ["hard_free_mb": 1.5]], "disk.hard_free_mb", "must be a whole number from 0 to 18446744073709551615, got number 1.5"),
            (["disk": ["soft_grace": "5 minutes"]], "disk.soft_grace", "must be a duration such as \"30s\" or \"1m30s\", got string \"5 minutes\": unknown unit \" minutes\" in duration \"5 minutes\"; use ns, us, ms, s, m or h"),
            (["disk": ["interval": 30]], "disk.interval", "must be a duration such as \"30s\" or \"1m30s\", got number 30: missing unit in duration \"30\"; use ns, us, ms, s, m or h"),
            (["eviction": ["enabled": "yes"]], "eviction.enabled", "must be a bool (true or false), got string \"yes\""),
            (["eviction": ["enabled": 1]], "eviction.enabled", "must be a bool (true or false), got number 1"),
            (["log_level": ["info"]], "log_level", "must be a string, got list of 1 item"),
            (["disk": ["inodes": 5]], "disk.inodes", "is not a known option; expected one of: attribute_min_interval, attribute_step_mb, hard_free_mb, hard_free_percent, hard_inodes_free_percent, interval, min_reclaim_percent, paths, predict_horizon, predict_min_window, predict_window, soft_free_mb, soft_free_percent, soft_grace, transition_period"),
            (["evictoin": [:]], "evictoin", "is not a known option; expected one of: disk, eviction, log_level"),
            (["disk": "big"], "disk", "must be a block of settings, got string \"big\""),
        ]
        for (value, field, message) in cases {
            let error = expectConfigError { () throws(ConfigError) in try self.decode(value) }
            XCTAssertEqual(error?.field, field, "\(value)")
            XCTAssertEqual(error?.message, message, "\(value)")
            XCTAssertEqual(error?.subject, "plugin config")
        }
    }

    func testMsgpackErrorsAreAboutThePluginConfig() {
        let ext = expectConfigError { () throws(ConfigError) in
            try PluginConfig.decode(msgpack: TestMsgpack.hex("81 a46469736b 81 a8696e74657276616c d40000"))
        }
        XCTAssertEqual(ext?.description, "invalid plugin config: disk.interval is an unknown value (msgpack extension type 0), which a configuration cannot hold")
        let truncated = expectConfigError { () throws(ConfigError) in try PluginConfig.decode(msgpack: [0x81, 0xa4, 0x64]) }
        XCTAssertTrue(truncated?.description.hasPrefix("invalid plugin config: the msgpack input is truncated") ?? false, truncated?.description ?? "")
    }
}
