import XCTest
final class SwiftDriverTestsPlaceholder: XCTestCase { func testBuilds() {} }
