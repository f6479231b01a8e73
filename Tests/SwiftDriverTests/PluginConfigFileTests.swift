import Foundation
import XCTest

@testable import ConfigDecoding
@testable import SwiftDriver

final class PluginConfigFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-file-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private var expectedOverride: PluginConfig {
        var config = PluginConfig()
        config.disk.paths = ["/data"]
        config.disk.hardFreeMB = 2048
        config.disk.softFreeMB = 4096
        config.eviction.enabled = false
        config.eviction.maxGrace = .seconds(90)
        return config
    }

    // MARK: JSON

    func testPlainJSONBlock() throws {
        let path = try write("swift.json", #"{"disk": {"paths": ["/data"], "hard_free_mb": 2048, "soft_free_mb": 4096}, "eviction": {"enabled": false, "max_grace": "1m30s"}}"#)
        XCTAssertEqual(try PluginConfigFile.load(path: path), expectedOverride)
    }

    func testWrappedJSONForms() throws {
        let inner = #"{"disk": {"paths": ["/data"], "hard_free_mb": 2048, "soft_free_mb": 4096}, "eviction": {"enabled": false, "max_grace": "1m30s"}}"#
        let wrapped = try write("a.json", #"{"plugin": {"nomad-driver-swift": {"config": \#(inner)}}}"#)
        XCTAssertEqual(try PluginConfigFile.load(path: wrapped), expectedOverride)
        // HCL's JSON form may write each block level as an array.
        let arrays = try write("b.json", #"{"plugin": [{"other": [{"config": [{}]}]}, {"nomad-driver-swift": [{"args": ["-x"], "config": [\#(inner)]}]}]}"#)
        XCTAssertEqual(try PluginConfigFile.load(path: arrays), expectedOverride)
        let noConfig = try write("c.json", #"{"plugin": {"nomad-driver-swift": {}}}"#)
        XCTAssertEqual(try PluginConfigFile.load(path: noConfig), PluginConfig())
    }

    func testJSONBoolsAndNumbersAreTold() throws {
        let path = try write("bad.json", #"{"eviction": {"enabled": 1}}"#)
        let error = expectConfigError { () throws(ConfigError) in try PluginConfigFile.load(path: path) }
        XCTAssertEqual(error?.description, "invalid plugin config in \(path): eviction.enabled must be a bool (true or false), got number 1")
        let fraction = try write("frac.json", #"{"disk": {"soft_free_percent": 12.5, "min_reclaim_percent": 0}}"#)
        XCTAssertEqual(try PluginConfigFile.load(path: fraction).disk.softFreePercent, 12.5)
    }

    func testFileErrorsNameTheFile() throws {
        let missing = directory.appendingPathComponent("missing.json").path
        let notFound = expectConfigError { () throws(ConfigError) in try PluginConfigFile.load(path: missing) }
        XCTAssertTrue(notFound?.description.hasPrefix("invalid plugin config in \(missing): cannot read the file") ?? false, notFound?.description ?? "")

        let broken = try write("broken.json", #"{"disk": {"paths": ["/data"]"#)
        let syntax = expectConfigError { () throws(ConfigError) in try PluginConfigFile.load(path: broken) }
        XCTAssertTrue(syntax?.description.hasPrefix("invalid plugin config in \(broken): the file is not valid JSON") ?? false, syntax?.description ?? "")

        let invalid = try write("invalid.json", #"{"disk": {"paths": ["data"]}}"#)
        let validation = expectConfigError { () throws(ConfigError) in try PluginConfigFile.load(path: invalid) }
        XCTAssertEqual(validation?.description, "invalid plugin config in \(invalid): disk.paths[0] must be an absolute path starting with /, got string \"data\"")

        let otherLabel = try write("other.json", #"{"plugin": {"docker": {"config": {}}}}"#)
        let label = expectConfigError { () throws(ConfigError) in try PluginConfigFile.load(path: otherLabel) }
        XCTAssertEqual(label?.description, "invalid plugin config in \(otherLabel): the file has plugin blocks but none labelled \"nomad-driver-swift\"")
    }

    // MARK: HCL subset

    func testHCLPluginBlock() throws {
        let path = try write("client.hcl", """
            # Nomad client config excerpt
            plugin "nomad-driver-swift" {
              config {
                disk {
                  paths        = ["/data"]   // the data disk
                  hard_free_mb = 2048
                  soft_free_mb = 4096
                }
                /* eviction
                   settings */
                eviction {
                  enabled   = false
                  max_grace = "1m30s"
                }
              }
            }
            """)
        XCTAssertEqual(try PluginConfigFile.load(path: path), expectedOverride)
    }

    func testHCLBodyWithoutWrapperPickedByContent() throws {
        let path = try write("swift.conf", """
            log_level = "debug"
            disk {
              paths = [
                "/data",
                "/var/lib/nomad",
              ]
              soft_free_percent = 20.5
              min_reclaim_percent = 0.1
            }
            """)
        let config = try PluginConfigFile.load(path: path)
        XCTAssertEqual(config.logLevel, "debug")
        XCTAssertEqual(config.disk.paths, ["/data", "/var/lib/nomad"])
        XCTAssertEqual(config.disk.softFreePercent, 20.5)
        XCTAssertEqual(config.disk.minReclaimPercent, 0.1)
    }

    func testHCLReaderValues() throws {
        let value = try HCLSubsetReader.parse("""
            a = "x\\ty\\u00e9 $${HOME}"
            b = -12
            c = 2.5e3
            d = true
            e = null
            f = { k = "v", "q" = [1, 2] }
            g "one" "two" { h = false }
            g "one" "three" {}
            """)
        let expected: CtyValue = [
            "a": "x\ty\u{e9} ${HOME}", "b": -12, "c": .number(CtyNumber(decimal: "2.5e3") ?? 0), "d": true, "e": nil,
            "f": ["k": "v", "q": [1, 2]], "g": ["one": ["two": ["h": false], "three": [:]]],
        ]
        XCTAssertEqual(value, expected)
    }

    func testHCLErrorsHaveLineNumbers() {
        let cases: [(String, String)] = [
            ("disk {\n  paths = \"${path}\"\n}", "line 2: template sequences (${...}) are not supported here; write the value literally"),
            ("disk {\n  paths = [\"/a\"\n}", "line 3: expected , or ] in a list, got }"),
            ("disk {\n  interval = 5s\n}", "line 2: expected a new line after the value of interval, got s"),
            ("disk {\n", "line 2: a block is never closed with }"),
            ("log_level = \"a\"\nlog_level = \"b\"", "line 2: log_level is set more than once"),
            ("disk {}\ndisk {}", "line 2: disk is declared more than once"),
            ("x = <<EOF\nhi\nEOF", "line 1: heredoc strings (<<) are not supported here; use a quoted string"),
            ("x = \"open", "line 1: a quoted string is never closed"),
            ("x = env.HOME", "line 1: unexpected character \".\""),
        ]
        for (text, message) in cases {
            let error = expectConfigError { () throws(ConfigError) in try HCLSubsetReader.parse(text) }
            XCTAssertEqual(error?.message, message, text)
        }
    }

    func testHCLValidationGoesThroughTheSamePath() throws {
        let path = try write("bad.hcl", "disk {\n  soft_free_percent = \"high\"\n}\n")
        let error = expectConfigError { () throws(ConfigError) in try PluginConfigFile.load(path: path) }
        XCTAssertEqual(error?.description, "invalid plugin config in \(path): disk.soft_free_percent must be a number, got string \"high\"")
    }
}

final class HCLSubsetReaderRobustnessTests: XCTestCase {
    private let sample = """
        plugin "nomad-driver-swift" {
          config {
            log_level = "info" # comment
            disk { paths = ["/data", "/x"] soft_free_percent = 12.5 }
            eviction {
              enabled = true
              /* c */ max_grace = "10s"
            }
          }
        }
        """

    func testBareIdentifierLabels() throws {
        XCTAssertEqual(try HCLSubsetReader.parse("plugin docker { config {} }"), ["plugin": ["docker": ["config": [:]]]])
    }

    func testEveryPrefixDecodesOrThrows() {
        // Each prefix must either parse or throw a sentence; none may crash.
        let scalars = Array(sample.unicodeScalars)
        var parsed = 0
        for length in 0...scalars.count {
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars.prefix(length))
            do {
                _ = try HCLSubsetReader.parse(text)
                parsed += 1
            } catch {
                XCTAssertTrue(error.message.hasPrefix("line "), error.description)
            }
        }
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertLessThan(parsed, scalars.count)
    }

    func testDeepNestingIsRejected() {
        let lists = "x = " + String(repeating: "[", count: 100_000)
        XCTAssertTrue(expectConfigError { () throws(ConfigError) in try HCLSubsetReader.parse(lists) }?.message.contains("deeper than 64") ?? false)
        let blocks = String(repeating: "a {", count: 100_000)
        XCTAssertTrue(expectConfigError { () throws(ConfigError) in try HCLSubsetReader.parse(blocks) }?.message.contains("deeper than 64") ?? false)
        XCTAssertNoThrow(try HCLSubsetReader.parse("x = " + String(repeating: "[", count: 60) + String(repeating: "]", count: 60)))
    }
}
