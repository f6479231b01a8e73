@testable import GoPluginServer
import Foundation
import Logging
import Locking
import XCTest

/// The stderr lines Nomad re-logs: hclog JSON with string-valued reserved keys.
final class HCLogHandlerTests: XCTestCase {
    private final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    override func tearDown() {
        HCLogLevel.level = .info
    }

    private func capture(_ body: (Logger) -> Void) throws -> [[String: Any]] {
        let sink = Lines()
        let logger = Logger(label: "nomad-driver-swift") { label in
            HCLogHandler(label: label, sink: { sink.append($0) })
        }
        body(logger)
        return try sink.all.map { line in
            XCTAssertTrue(line.hasSuffix("}\n"))
            XCTAssertEqual(line.filter { $0 == "\n" }.count, 1, "one line per event")
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    func testLineCarriesHclogKeysAsStrings() throws {
        let objects = try capture { $0.warning("disk \"full\"\nnext", metadata: ["path": "/data", "@level": "x"]) }
        XCTAssertEqual(objects.count, 1)
        let object = objects[0]
        XCTAssertEqual(object["@level"] as? String, "warn")
        XCTAssertEqual(object["@message"] as? String, "disk \"full\"\nnext")
        XCTAssertEqual(object["@module"] as? String, "nomad-driver-swift")
        XCTAssertEqual(object["path"] as? String, "/data")
        XCTAssertEqual(object["_@level"] as? String, "x")
        let timestamp = try XCTUnwrap(object["@timestamp"] as? String)
        let pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$"#
        XCTAssertNotNil(timestamp.range(of: pattern, options: .regularExpression), timestamp)
    }

    func testLevelsMapToHclogNames() throws {
        HCLogLevel.level = .trace
        let objects = try capture { logger in
            logger.trace("t"); logger.debug("d"); logger.info("i"); logger.notice("n")
            logger.warning("w"); logger.error("e"); logger.critical("c")
        }
        XCTAssertEqual(objects.map { $0["@level"] as? String },
                       ["trace", "debug", "info", "info", "warn", "error", "error"])
    }

    func testLevelFiltersAndIsSharedAtRuntime() throws {
        HCLogLevel.level = .warning
        let objects = try capture { logger in
            logger.info("hidden")
            logger.error("shown")
        }
        XCTAssertEqual(objects.map { $0["@message"] as? String }, ["shown"])
    }

    func testLevelNamesParse() {
        XCTAssertEqual(HCLogLevel.parse("WARN"), .warning)
        XCTAssertEqual(HCLogLevel.parse("trace"), .trace)
        XCTAssertNil(HCLogLevel.parse("loud"))
    }
}
