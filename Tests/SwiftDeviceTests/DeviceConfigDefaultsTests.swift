import XCTest
@testable import SwiftDevice

/// The plugin block's defaults must be a valid configuration whatever the number of paths: an
/// operator who lists paths and leaves `max_instances` out must not have the plugin refused.
final class DeviceConfigDefaultsTests: XCTestCase {
    private func config(paths: [String], maxInstances: UInt64? = nil) -> DeviceConfig {
        var config = DeviceConfig()
        config.paths = paths
        if let maxInstances { config.maxInstances = maxInstances }
        return config
    }

    func testDefaultMaxInstancesIsValidForThreePaths() {
        XCTAssertNoThrow(try config(paths: ["/a", "/b", "/c"]).validate())
    }

    func testDefaultMaxInstancesIsValidForOnePath() {
        XCTAssertNoThrow(try config(paths: ["/a"]).validate())
    }

    func testAnExplicitCapTooLargeForTheGroupsIsRefused() {
        XCTAssertThrowsError(try config(paths: ["/a", "/b"], maxInstances: 200).validate()) { error in
            XCTAssertTrue("\(error)".contains("max_instances"), "\(error)")
        }
        XCTAssertNoThrow(try config(paths: ["/a", "/b"], maxInstances: 160).validate())
    }
}
