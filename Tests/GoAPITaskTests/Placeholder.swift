import XCTest
final class GoAPITaskTestsPlaceholder: XCTestCase { func testBuilds() {} }
