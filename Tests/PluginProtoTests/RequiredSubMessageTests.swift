import XCTest
import PluginProto

/// Sub-messages Nomad dereferences without a nil check must be on the wire even when every value
/// in them is zero.
final class RequiredSubMessageTests: XCTestCase {
    private func numbers(_ bytes: [UInt8]?, file: StaticString = #filePath, line: UInt = #line) -> [UInt64] {
        guard let bytes, let fields = WireReader.fields(bytes) else {
            XCTFail("not a protobuf message", file: file, line: line)
            return []
        }
        return fields.map(\.number)
    }

    func testWaitTaskResponseAlwaysCarriesResult() {
        XCTAssertEqual(numbers(WaitTaskResponse(result: ExitResult()).wireBytes()), [1])
    }

    func testExecTaskResponseAlwaysCarriesResult() {
        XCTAssertEqual(numbers(ExecTaskResponse(stdout: [], stderr: [], result: ExitResult()).wireBytes()), [3])
    }

    func testExitedStreamingResponseCarriesResult() {
        let bytes = ExecTaskStreamingResponse.exited(ExitResult()).wireBytes()
        XCTAssertEqual(numbers(bytes), [3, 4])
    }

    func testStatsResponseAlwaysCarriesStatsTimestampAndUsage() {
        let bytes = TaskStatsResponse(stats: TaskStats(id: "", timestamp: WireTimestamp(), aggResourceUsage: TaskResourceUsage())).wireBytes()
        XCTAssertEqual(numbers(bytes), [1])
        let stats = WireReader.message(1, in: bytes)
        XCTAssertEqual(numbers(stats), [2, 3])
        let usage = stats.flatMap { WireReader.message(3, in: $0) }
        XCTAssertEqual(numbers(usage), [1, 2])
    }

    func testPerPIDUsageAlsoCarriesCPUAndMemory() throws {
        let bytes = TaskStatsResponse(stats: TaskStats(
            id: "t", timestamp: WireTimestamp(), aggResourceUsage: TaskResourceUsage(),
            resourceUsageByPID: ["1": TaskResourceUsage()])).wireBytes()
        let stats = try XCTUnwrap(WireReader.message(1, in: bytes))
        let entry = try XCTUnwrap(WireReader.message(4, in: stats))
        XCTAssertEqual(numbers(WireReader.message(2, in: entry)), [1, 2])
    }

    func testInspectResponseAlwaysCarriesTaskTimestampsAndResult() {
        let bytes = InspectTaskResponse(task: TaskStatus(id: "", name: "", state: .unknown)).wireBytes()
        XCTAssertEqual(numbers(bytes), [1, 2])
        XCTAssertEqual(numbers(WireReader.message(1, in: bytes)), [4, 5, 6])
    }

    func testCapabilitiesResponseAlwaysCarriesCapabilities() {
        XCTAssertEqual(numbers(CapabilitiesResponse(capabilities: DriverCapabilities()).wireBytes()), [1])
    }

    func testDriverTaskEventAlwaysCarriesTimestamp() {
        let bytes = DriverTaskEvent(taskID: "", allocID: "", taskName: "", timestamp: WireTimestamp(), message: "").wireBytes()
        XCTAssertEqual(numbers(bytes), [4])
    }
}
