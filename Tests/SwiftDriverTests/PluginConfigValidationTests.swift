import XCTest

@testable import SwiftDriver

final class PluginConfigValidationTests: XCTestCase {
    func testDefaultsAreValid() throws {
        try PluginConfig().validate()
    }

    private func check(_ change: (inout PluginConfig) -> Void, field: String, message: String, file: StaticString = #filePath, line: UInt = #line) {
        var config = PluginConfig()
        change(&config)
        let error = expectConfigError({ () throws(ConfigError) in try config.validate() }, file: file, line: line)
        XCTAssertEqual(error?.field, field, file: file, line: line)
        XCTAssertEqual(error?.message, message, file: file, line: line)
        XCTAssertEqual(error?.description, "invalid plugin config: \(field) \(message)", file: file, line: line)
    }

    func testEveryValidationError() {
        check({ $0.logLevel = "loud" }, field: "log_level", message: "must be one of trace, debug, info, warn, error, got string \"loud\"")
        check({ $0.disk.paths = ["/data", "relative/dir"] }, field: "disk.paths[1]", message: "must be an absolute path starting with /, got string \"relative/dir\"")
        check({ $0.disk.paths = [""] }, field: "disk.paths[0]", message: "must be an absolute path starting with /, got an empty string")
        check({ $0.disk.softFreePercent = 150 }, field: "disk.soft_free_percent", message: "must be a percentage from 0 to 100, got 150")
        check({ $0.disk.hardFreePercent = -1 }, field: "disk.hard_free_percent", message: "must be a percentage from 0 to 100, got -1")
        check({ $0.disk.hardInodesFreePercent = 100.5 }, field: "disk.hard_inodes_free_percent", message: "must be a percentage from 0 to 100, got 100.5")
        check({ $0.disk.minReclaimPercent = .infinity }, field: "disk.min_reclaim_percent", message: "must be a percentage from 0 to 100, got Infinity")
        check({ $0.disk.hardFreePercent = 20 }, field: "disk.hard_free_percent", message: "must not be above disk.soft_free_percent (15), got 20")
        check({ $0.disk.softFreeMB = 512 }, field: "disk.soft_free_mb", message: "must be 0 (off) or at least disk.hard_free_mb (1024), got 512")
        check({ $0.disk.attributeStepMB = 0 }, field: "disk.attribute_step_mb", message: "must be at least 1, got 0")
        check({ $0.disk.interval = .zero }, field: "disk.interval", message: "must be a duration above zero, got \"0s\"")
        check({ $0.disk.softGrace = .zero }, field: "disk.soft_grace", message: "must be a duration above zero, got \"0s\"")
        check({ $0.eviction.interval = .seconds(-1) }, field: "eviction.interval", message: "must be a duration above zero, got \"-1s\"")
        check({ $0.disk.transitionPeriod = .seconds(-5) }, field: "disk.transition_period", message: "must not be negative, got \"-5s\"")
        check({ $0.disk.attributeMinInterval = .milliseconds(-1) }, field: "disk.attribute_min_interval", message: "must not be negative, got \"-1ms\"")
        check({ $0.eviction.maxGrace = .seconds(-30) }, field: "eviction.max_grace", message: "must not be negative, got \"-30s\"")
        check({ $0.disk.predictHorizon = .seconds(-1) }, field: "disk.predict_horizon", message: "must not be negative, got \"-1s\"")
        check({ $0.disk.predictMinWindow = .zero }, field: "disk.predict_min_window", message: "must be a duration above zero, got \"0s\"")
        check({ $0.disk.predictWindow = .seconds(30) }, field: "disk.predict_window", message: "must not be shorter than disk.predict_min_window (\"1m0s\"), got \"30s\"")
    }

    func testBoundaryValuesAreAccepted() throws {
        var config = PluginConfig()
        config.logLevel = "trace"
        config.disk.paths = ["/"]
        config.disk.softFreePercent = 10  // equal to hard is allowed
        config.disk.softFreeMB = 1024  // equal to hard is allowed
        config.disk.minReclaimPercent = 0
        config.disk.attributeStepMB = 1
        config.disk.transitionPeriod = .zero
        config.eviction.maxGrace = .zero
        config.disk.predictHorizon = .zero  // prediction off
        config.disk.predictWindow = config.disk.predictMinWindow
        try config.validate()
    }

    func testDecodeRunsValidation() {
        let error = expectConfigError { () throws(ConfigError) in
            try PluginConfig.decode(msgpack: TestMsgpack.encode(["disk": ["paths": ["data"]]]))
        }
        XCTAssertEqual(error?.description, "invalid plugin config: disk.paths[0] must be an absolute path starting with /, got string \"data\"")
        let viaCty = expectConfigError { () throws(ConfigError) in try PluginConfig(cty: ["disk": ["hard_free_percent": 50]]) }
        XCTAssertEqual(viaCty?.field, "disk.hard_free_percent")
    }
}
