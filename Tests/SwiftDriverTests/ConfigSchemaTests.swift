import PluginProto
import XCTest

@testable import ConfigDecoding
@testable import SwiftDriver

final class ConfigSchemaTests: XCTestCase {
    /// A config of the test's own, with a field of every bindable kind.
    private struct Sample: ConfigRoot, Equatable {
        var command = ""
        var args: [String] = []
        var name: String?
        var interval: Duration = .seconds(1)
        var count: UInt64 = 3
        var ratio: Double = 1.5
        var on = false
        var disk = Disk()

        struct Disk: Equatable {
            var paths: [String] = []
            var limit: Double = 15
            var wait: Duration = .seconds(2)
        }
    }

    private let sample = ConfigSchema<Sample>(subject: "test config", [
        .attr("command", \.command, required: true),
        .attr("args", \.args),
        .attr("name", \.name),
        .attr("interval", \.interval),
        .attr("count", \.count),
        .attr("ratio", \.ratio),
        .attr("on", \.on),
        .block("disk", [.attr("paths", \.disk.paths), .attr("limit", \.disk.limit), .attr("wait", \.disk.wait)]),
    ])

    func testSmallSchemaProducesExactSpec() {
        func def(_ name: String, _ type: String, _ literal: String) -> HCLSpec {
            .default(primary: .attr(name: name, type: type, required: false), default: .literal(literal))
        }
        let expected = HCLSpec.object([
            "command": .attr(name: "command", type: "string", required: true),
            "args": .attr(name: "args", type: "list(string)", required: false),
            "name": .attr(name: "name", type: "string", required: false),
            "interval": def("interval", "string", "\"1s\""),
            "count": def("count", "number", "3"),
            "ratio": def("ratio", "number", "1.5"),
            "on": def("on", "bool", "false"),
            "disk": .block(
                name: "disk", required: false,
                nested: .object([
                    "paths": .attr(name: "paths", type: "list(string)", required: false),
                    "limit": def("limit", "number", "15"),
                    "wait": def("wait", "string", "\"2s\""),
                ])),
        ])
        XCTAssertEqual(sample.spec, expected)
    }

    func testNamesComeFromTheSchema() {
        XCTAssertEqual(sample.name(of: \Sample.disk.wait), "disk.wait")
        XCTAssertEqual(sample.name(of: \Sample.count), "count")
        XCTAssertEqual(PluginConfig.configSchema.name(of: \PluginConfig.disk.hardFreePercent), "disk.hard_free_percent")
        XCTAssertEqual(PluginConfig.configSchema.name(of: \PluginConfig.eviction.maxGrace), "eviction.max_grace")
    }

    func testPluginConfigSpecCarriesEveryDefaultAsALiteral() {
        func def(_ name: String, _ type: String, _ literal: String) -> HCLSpec {
            .default(primary: .attr(name: name, type: type, required: false), default: .literal(literal))
        }
        let expected = HCLSpec.object([
            "log_level": .attr(name: "log_level", type: "string", required: false),
            "disk": .block(
                name: "disk", required: false,
                nested: .object([
                    "paths": .attr(name: "paths", type: "list(string)", required: false),
                    "interval": def("interval", "string", "\"1s\""),
                    "soft_free_percent": def("soft_free_percent", "number", "15"),
                    "soft_free_mb": def("soft_free_mb", "number", "0"),
                    "soft_grace": def("soft_grace", "string", "\"1m0s\""),
                    "hard_free_percent": def("hard_free_percent", "number", "10"),
                    "hard_free_mb": def("hard_free_mb", "number", "1024"),
                    "hard_inodes_free_percent": def("hard_inodes_free_percent", "number", "5"),
                    "min_reclaim_percent": def("min_reclaim_percent", "number", "2"),
                    "transition_period": def("transition_period", "string", "\"5m0s\""),
                    "attribute_step_mb": def("attribute_step_mb", "number", "1024"),
                    "attribute_min_interval": def("attribute_min_interval", "string", "\"1m0s\""),
                    "predict_horizon": def("predict_horizon", "string", "\"10m0s\""),
                    "predict_min_window": def("predict_min_window", "string", "\"1m0s\""),
                    "predict_window": def("predict_window", "string", "\"1h0m0s\""),
                ])),
            "eviction": .block(
                name: "eviction", required: false,
                nested: .object([
                    "enabled": def("enabled", "bool", "true"),
                    "max_grace": def("max_grace", "string", "\"30s\""),
                    "interval": def("interval", "string", "\"30s\""),
                    "predictive": def("predictive", "bool", "true"),
                ])),
        ])
        XCTAssertEqual(PluginConfig.schema, expected)
    }

    func testTaskSettingsSpec() {
        let expected = HCLSpec.object([
            "command": .attr(name: "command", type: "string", required: true),
            "args": .attr(name: "args", type: "list(string)", required: false),
            "work_dir": .attr(name: "work_dir", type: "string", required: false),
            "disk_limit_mb": .attr(name: "disk_limit_mb", type: "number", required: false),
            "evictable": .default(primary: .attr(name: "evictable", type: "bool", required: false), default: .literal("true")),
        ])
        XCTAssertEqual(TaskSettings.schema, expected)
    }

    /// Nomad rejects an Attr with an empty name inside a Default ("Missing name in attribute spec").
    func testEveryAttrInTheSpecsHasAName() {
        func attrNames(_ spec: HCLSpec) -> [String] {
            switch spec.block {
            case .object(let object): return object.attributes.values.flatMap(attrNames)
            case .array(let array): return array.values.flatMap(attrNames)
            case .attr(let attr): return [attr.name]
            case .blockValue(let block): return attrNames(block.nested)
            case .blockList(let list): return attrNames(list.nested)
            case .blockSet(let set): return attrNames(set.nested)
            case .blockMap(let map): return attrNames(map.nested)
            case .default(let value): return attrNames(value.primary) + attrNames(value.default)
            case .blockAttrs, .literal: return []
            }
        }
        let names = attrNames(PluginConfig.schema) + attrNames(TaskSettings.schema)
        XCTAssertEqual(names.count, 25)
        XCTAssertFalse(names.contains(""))
    }

    func testLiteralRenderingEscapesHCL() {
        XCTAssertEqual(HCLLiteral.render("a\"b\\c"), #""a\"b\\c""#)
        XCTAssertEqual(HCLLiteral.render("${HOME}/x and %{if}"), #""$${HOME}/x and %%{if}""#)
        XCTAssertEqual(HCLLiteral.render("line\nnext\u{01}"), #""line\nnext\u0001""#)
        XCTAssertEqual(HCLLiteral.render(["/a", "/b"]), #"["/a", "/b"]"#)
        XCTAssertEqual(HCLLiteral.render(2.5), "2.5")
        XCTAssertEqual(HCLLiteral.render(false), "false")
    }

    func testDecodeStoresTypedValuesKeepsDefaultsAndRejectsUnknownKeys() throws {
        let decoded = try sample.decode(["command": 8080, "on": "true", "count": "7", "disk": ["wait": "1m30s"]])
        var expected = Sample()
        expected.command = "8080"
        expected.on = true
        expected.count = 7
        expected.disk.wait = .seconds(90)
        XCTAssertEqual(decoded, expected)
        XCTAssertEqual(try sample.decode(["command": "x", "name": nil, "args": ["a", 1]]).args, ["a", "1"])

        let unknown = expectConfigError { () throws(ConfigError) in try self.sample.decode(["command": "x", "disk": ["wiat": "1s"]]) }
        XCTAssertEqual(unknown?.description, "invalid test config: disk.wiat is not a known option; expected one of: limit, paths, wait")

        let missing = expectConfigError { () throws(ConfigError) in try self.sample.decode([:]) }
        XCTAssertEqual(missing?.description, "invalid test config: command is required and must be a string")

        let notObject = expectConfigError { () throws(ConfigError) in try self.sample.decode("x") }
        XCTAssertEqual(notObject?.description, "invalid test config: the configuration must be an object, got string \"x\"")

        let badBlock = expectConfigError { () throws(ConfigError) in try self.sample.decode(["command": "x", "disk": 5]) }
        XCTAssertEqual(badBlock?.description, "invalid test config: disk must be a block of settings, got number 5")

        let badDuration = expectConfigError { () throws(ConfigError) in try self.sample.decode(["command": "x", "interval": true]) }
        XCTAssertEqual(badDuration?.description, "invalid test config: interval must be a duration such as \"30s\" or \"1m30s\", got bool true: invalid duration \"true\"")
    }
}
