import ConfigDecoding
import PluginProto
@testable import SwiftDevice
import XCTest

final class DeviceConfigTests: XCTestCase {
    func decode(_ entries: [String: CtyValue]) throws -> DeviceConfig {
        try DeviceConfig(cty: .map(entries))
    }

    func assertRefused(_ entries: [String: CtyValue], mentions field: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try decode(entries), file: file, line: line) { error in
            let sentence = (error as? ConfigError)?.description ?? "\(error)"
            XCTAssertTrue(sentence.contains(field), sentence, file: file, line: line)
            XCTAssertTrue(sentence.hasPrefix("invalid device plugin config: "), sentence, file: file, line: line)
        }
    }

    func testAnEmptyBlockIsEveryDefault() throws {
        XCTAssertEqual(try DeviceConfig(cty: .null), DeviceConfig())
        XCTAssertEqual(try DeviceConfig.decode(msgpack: []), DeviceConfig())
    }

    func testEveryOptionDecodes() throws {
        let config = try decode([
            "paths": .list([.string("/data"), .string("/scratch")]), "names": .list([.string("data"), .string("fast")]),
            "unit_mb": 256, "max_instances": 64, "headroom_mb": 2048, "interval": .string("2s"),
            "fingerprint_min_interval": .string("1m"), "log_level": .string("debug"),
        ])
        XCTAssertEqual(config.paths, ["/data", "/scratch"])
        XCTAssertEqual(config.names, ["data", "fast"])
        XCTAssertEqual(config.unitMB, 256)
        XCTAssertEqual(config.maxInstances, 64)
        XCTAssertEqual(config.headroomMB, 2048)
        XCTAssertEqual(config.interval, .seconds(2))
        XCTAssertEqual(config.fingerprintMinInterval, .seconds(60))
    }

    func testBadValuesAreRefusedNamingTheField() {
        assertRefused(["unit_mb": 0], mentions: "unit_mb")
        assertRefused(["paths": .list([.string("relative")])], mentions: "paths[0]")
        assertRefused(["paths": .list([.string("/a"), .string("/a")])], mentions: "paths")
        assertRefused(["paths": .list([.string("/a")]), "names": .list([.string("a"), .string("b")])], mentions: "names")
        assertRefused(["paths": .list([.string("/a")]), "names": .list([.string("Bad Name")])], mentions: "names[0]")
        assertRefused(["max_instances": 0], mentions: "max_instances")
        assertRefused(["max_instances": 321], mentions: "max_instances")
        assertRefused(["paths": .list([.string("/a"), .string("/b")]), "max_instances": 200], mentions: "max_instances")
        assertRefused(["interval": .string("0s")], mentions: "interval")
        assertRefused(["interval": .string("soon")], mentions: "interval")
        assertRefused(["log_level": .string("loud")], mentions: "log_level")
        assertRefused(["unknown_option": true], mentions: "unknown_option")
    }

    func testTheSchemaDeclaresEveryOptionWithItsDefault() {
        guard case .object(let object) = DeviceConfig.schema.block else { return XCTFail("the schema is an object") }
        XCTAssertEqual(Set(object.attributes.keys), [
            "log_level", "paths", "names", "unit_mb", "max_instances", "headroom_mb", "interval", "fingerprint_min_interval",
        ])
    }

    func testGroupNamesAreDerivedFromPathsAndKeptUnique() {
        XCTAssertEqual(DeviceGroupName.names(for: ["/opt/nomad/data", "/"], configured: []), ["data", "root"])
        XCTAssertEqual(DeviceGroupName.names(for: ["/a/data", "/b/data"], configured: []), ["data-1", "data-2"])
        XCTAssertEqual(DeviceGroupName.names(for: ["/mnt/Fast Disk"], configured: []), ["fast-disk"])
        XCTAssertEqual(DeviceGroupName.names(for: ["/x"], configured: ["mine"]), ["mine"])
    }
}
