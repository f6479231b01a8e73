import PluginProto
import XCTest

@testable import SwiftDriver

final class ConfigSchemaTests: XCTestCase {
    func testSmallSchemaProducesExactSpec() {
        let schema = ConfigSchema.object([
            .attr("command", .string, required: true),
            .attr("args", .list(.string)),
            .attr("env", .map(.string)),
            .attr("interval", .duration, default: "1s"),
            .block("disk", [.attr("paths", .list(.string)), .attr("limit", .number, default: 15)]),
        ])
        let expected = HCLSpec.object([
            "command": .attr(name: "command", type: "string", required: true),
            "args": .attr(name: "args", type: "list(string)", required: false),
            "env": .attr(name: "env", type: "map(string)", required: false),
            "interval": .default(primary: .attr(name: "interval", type: "string", required: false), default: .literal("\"1s\"")),
            "disk": .block(
                name: "disk", required: false,
                nested: .object([
                    "paths": .attr(name: "paths", type: "list(string)", required: false),
                    "limit": .default(primary: .attr(name: "limit", type: "number", required: false), default: .literal("15")),
                ])),
        ])
        XCTAssertEqual(schema.spec, expected)
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
                ])),
            "eviction": .block(
                name: "eviction", required: false,
                nested: .object([
                    "enabled": def("enabled", "bool", "true"),
                    "max_grace": def("max_grace", "string", "\"30s\""),
                    "interval": def("interval", "string", "\"30s\""),
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
        XCTAssertEqual(names.count, 21)
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

    func testDecodeFillsDefaultsConvertsAndRejectsUnknownKeys() throws {
        let schema = ConfigSchema.object([
            .attr("name", .string, required: true),
            .attr("count", .number, default: 3),
            .attr("on", .bool),
            .block("inner", [.attr("wait", .duration, default: "2s")]),
        ])
        let object = try schema.decode(["name": 8080, "on": "true"], subject: "test config")
        XCTAssertEqual(object.values["name"], "8080")
        XCTAssertEqual(object.values["count"], 3)
        XCTAssertEqual(object.values["on"], true)
        XCTAssertEqual(try object.block("inner").duration("wait"), .seconds(2))

        let unknown = expectConfigError { () throws(ConfigError) in try schema.decode(["name": "x", "inner": ["wiat": "1s"]], subject: "test config") }
        XCTAssertEqual(unknown?.description, "invalid test config: inner.wiat is not a known option; expected one of: wait")

        let missing = expectConfigError { () throws(ConfigError) in try schema.decode([:], subject: "test config") }
        XCTAssertEqual(missing?.description, "invalid test config: name is required and must be a string")

        let notObject = expectConfigError { () throws(ConfigError) in try schema.decode("x", subject: "test config") }
        XCTAssertEqual(notObject?.description, "invalid test config: the configuration must be an object, got string \"x\"")

        let badBlock = expectConfigError { () throws(ConfigError) in try schema.decode(["name": "x", "inner": 5], subject: "test config") }
        XCTAssertEqual(badBlock?.description, "invalid test config: inner must be a block of settings, got number 5")
    }
}
