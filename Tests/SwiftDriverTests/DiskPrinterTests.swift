import Foundation
import XCTest
@testable import SwiftDriver

final class DiskPrinterTests: XCTestCase {
    private let report = FingerprintReport(
        health: .unhealthy,
        healthDescription: "disk pressure (hard) on /d: 1 MiB free (1.6%), needs 16 MiB",
        attributes: [
            "unique.driver.swift.disk.available_mb": .int(1),
            "driver.swift.disk.paths": .string("/d"),
            "driver.swift.disk.pressure": .string("hard"),
            "x.float": .float(1.5),
            "x.bool": .bool(true),
            "x.quote": .string("a\"b\\c\n"),
        ]
    )

    func testTextSortsAttributes() {
        let text = FingerprintPrinter().renderText(report)
        XCTAssertEqual(text, """
        Health: unhealthy
        Description: disk pressure (hard) on /d: 1 MiB free (1.6%), needs 16 MiB
        Attributes:
          driver.swift.disk.paths = /d
          driver.swift.disk.pressure = hard
          unique.driver.swift.disk.available_mb = 1
          x.bool = true
          x.float = 1.5
          x.quote = a"b\\c

        """ + "\n")
    }

    func testJSONIsOneValidLineWithTypedValues() throws {
        let json = FingerprintPrinter().renderJSON(report)
        XCTAssertFalse(json.contains("\n"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["health"] as? String, "unhealthy")
        XCTAssertEqual(object["health_description"] as? String, report.healthDescription)
        let attributes = try XCTUnwrap(object["attributes"] as? [String: Any])
        XCTAssertEqual(attributes.count, report.attributes.count)
        XCTAssertEqual(attributes["unique.driver.swift.disk.available_mb"] as? Int, 1)
        XCTAssertEqual(attributes["x.float"] as? Double, 1.5)
        XCTAssertEqual(attributes["x.bool"] as? Bool, true)
        XCTAssertEqual(attributes["x.quote"] as? String, "a\"b\\c\n")
        XCTAssertTrue(json.hasPrefix("{\"health\":\"unhealthy\",\"health_description\":"))
    }
}
