import XCTest
import PluginProto

/// Every message encodes and decodes back to the same value, and re-encodes to the same bytes.
final class RoundTripTests: XCTestCase {
    func testGoPluginAndHealthMessages() {
        assertRoundTrip(Empty())
        XCTAssertEqual(Empty().wireBytes(), [])
        assertRoundTrip(HealthCheckRequest(service: "plugin"))
        assertRoundTrip(HealthCheckResponse(status: .serving))
        assertRoundTrip(HealthCheckResponse(status: .serviceUnknown))
        assertRoundTrip(StdioData(channel: .stderr, data: [0, 1, 2, 255]))
        assertRoundTrip(ConnInfo(serviceID: 7, network: "unix", address: "/tmp/plugin1",
                                 knock: .init(knock: true, ack: false, error: "no")))
        assertRoundTrip(ConnInfo(serviceID: 1, network: "tcp", address: "127.0.0.1:10001"))
    }

    func testBaseMessages() {
        assertRoundTrip(PluginInfoResponse(type: .driver, pluginAPIVersions: ["v0.1.0", "v0.2.0"], pluginVersion: "1.2.3", name: "swift"))
        assertRoundTrip(ConfigSchemaResponse(spec: Fixtures.spec))
        assertRoundTrip(ConfigSchemaResponse(spec: nil))
        XCTAssertEqual(ConfigSchemaResponse(spec: nil).wireBytes(), [])
        assertRoundTrip(SetConfigRequest(
            msgpackConfig: [0x80], nomadConfig: .init(driver: .init(clientMaxPort: 2, clientMinPort: 1)), pluginAPIVersion: "v0.1.0"))
        assertRoundTrip(SetConfigRequest(msgpackConfig: [0x80], nomadConfig: .init(driver: nil), pluginAPIVersion: ""))
    }

    func testEverySpecVariantRoundTrips() throws {
        assertRoundTrip(Fixtures.spec)
        assertRoundTrip(HCLSpec.literal("15"))
        assertRoundTrip(TaskConfigSchemaResponse(spec: Fixtures.spec))
        // Object keys are sorted, so equal specs always give equal bytes.
        XCTAssertEqual(Fixtures.spec.wireBytes(), Fixtures.spec.wireBytes())
    }

    func testCapabilitiesAndFingerprint() throws {
        let all = DriverCapabilities(
            sendSignals: true, exec: true, fsIsolation: .chroot, networkIsolationModes: [.group, .task, .none],
            mustCreateNetwork: true, mountConfigs: .noMounts, remoteTasks: true, disableLogCollection: true,
            dynamicWorkloadUsers: true)
        assertRoundTrip(CapabilitiesResponse(capabilities: all))
        assertRoundTrip(CapabilitiesResponse(capabilities: DriverCapabilities()))
        assertRoundTrip(FingerprintResponse(
            attributes: ["driver.swift.f": .float(1e6, unit: "MHz"), "driver.swift.i": .int(-3), "driver.swift.b": .bool(true),
                         "driver.swift.s": .string("x"), "driver.swift.none": Attribute(nil)],
            health: .unhealthy, healthDescription: "bad", err: "failed"))
    }

    func testRemoteTasksTravelsAsReservedField7() throws {
        let bytes = CapabilitiesResponse(capabilities: DriverCapabilities(remoteTasks: true)).wireBytes()
        let caps = try XCTUnwrap(WireReader.message(1, in: bytes))
        XCTAssertEqual(WireReader.fields(caps)?.last, WireField(number: 7, wireType: 0, varint: 1, bytes: []))
        let without = CapabilitiesResponse(capabilities: DriverCapabilities()).wireBytes()
        XCTAssertEqual(without, hexBytes("0a 00"))
    }

    func testTaskLifecycleMessages() {
        assertRoundTrip(Fixtures.taskConfig)
        assertRoundTrip(TaskConfig())
        assertRoundTrip(StartTaskRequest(task: Fixtures.taskConfig))
        assertRoundTrip(StartTaskResponse(result: .retry, driverErrorMsg: "later", handle: Fixtures.handle,
                                          networkOverride: NetworkOverride(portMap: ["http": 8080, "db": 5432], addr: "10.0.0.2", autoAdvertise: true)),
                        sameBytes: false)
        assertRoundTrip(StartTaskResponse(handle: Fixtures.handle), sameBytes: false)
        assertRoundTrip(Fixtures.handle, sameBytes: false)
        assertRoundTrip(RecoverTaskRequest(taskID: "", handle: Fixtures.handle), sameBytes: false)
        assertRoundTrip(WaitTaskRequest(taskID: "t1"))
        assertRoundTrip(WaitTaskResponse(result: ExitResult(exitCode: 137, signal: 9, oomKilled: true), err: "killed"))
        assertRoundTrip(StopTaskRequest(taskID: "t1", timeout: .milliseconds(1500), signal: "SIGTERM"))
        assertRoundTrip(DestroyTaskRequest(taskID: "t1", force: true))
        assertRoundTrip(SignalTaskRequest(taskID: "t1", signal: "SIGHUP"))
        assertRoundTrip(InspectTaskRequest(taskID: "t1"))
        assertRoundTrip(InspectTaskResponse(
            task: TaskStatus(id: "t1", name: "web", state: .exited, startedAt: WireTimestamp(seconds: 10, nanos: 5),
                             completedAt: WireTimestamp(seconds: 20, nanos: 999_999_999), result: ExitResult(exitCode: 1)),
            driver: TaskDriverStatus(attributes: ["pid": "42"]), networkOverride: NetworkOverride(addr: "x")))
    }

    func testStatsEventsExecAndStatus() {
        assertRoundTrip(TaskStatsRequest(taskID: "t1", collectionInterval: .seconds(1)))
        assertRoundTrip(TaskStatsResponse(stats: TaskStats(
            id: "t1", timestamp: WireTimestamp(seconds: 1_700_000_000, nanos: 42), aggResourceUsage: Fixtures.usage,
            resourceUsageByPID: ["42": Fixtures.usage, "43": TaskResourceUsage()])))
        assertRoundTrip(DriverTaskEvent(taskID: "t1", allocID: "a1", taskName: "web", timestamp: WireTimestamp(seconds: 3),
                                        message: "Downloading", annotations: ["image": "x", "step": "1"]))
        assertRoundTrip(ExecTaskRequest(taskID: "t1", command: ["/bin/sh", "-c", "echo hi"], timeout: .seconds(30)))
        assertRoundTrip(ExecTaskResponse(stdout: Array("hi\n".utf8), stderr: [], result: ExitResult(exitCode: 2)))
        assertRoundTrip(ExecTaskStreamingRequest(setup: .init(taskID: "t1", command: ["bash"], tty: true)))
        assertRoundTrip(ExecTaskStreamingRequest(ttySize: .init(height: 40, width: 120)))
        assertRoundTrip(ExecTaskStreamingRequest(stdin: ExecIOOperation(data: [1, 2], close: false)))
        assertRoundTrip(ExecTaskStreamingRequest(stdin: ExecIOOperation(close: true)))
        assertRoundTrip(ExecTaskStreamingResponse(stdout: ExecIOOperation(data: Array("out".utf8))))
        assertRoundTrip(ExecTaskStreamingResponse(stderr: ExecIOOperation(close: true)))
        assertRoundTrip(ExecTaskStreamingResponse.exited(ExitResult(exitCode: 0)))
        assertRoundTrip(RPCStatus(code: 5, message: "not found", details: [AnyMessage(typeURL: "type.googleapis.com/x.Y", value: [8, 1])]))
        assertRoundTrip(RecoverableError(recoverable: true))
    }

    func testHeartbeatIsTheEmptyMessage() throws {
        let heartbeat = try ExecTaskStreamingRequest(wireBytes: [])
        XCTAssertTrue(heartbeat.isHeartbeat)
        XCTAssertFalse(ExecTaskStreamingRequest(stdin: ExecIOOperation()).isHeartbeat)
    }

    func testDurationsKeepSubSecondAndNegativeValues() throws {
        for duration: Duration in [.zero, .nanoseconds(1), .milliseconds(1500), .seconds(-2), .milliseconds(-1500), .seconds(86_400 * 365)] {
            let decoded = try StopTaskRequest(wireBytes: StopTaskRequest(taskID: "t", timeout: duration, signal: "").wireBytes())
            XCTAssertEqual(decoded.timeout, duration)
        }
        // -1.5 s is seconds -1, nanos -500000000 on the wire (same sign, as protobuf requires).
        let bytes = StopTaskRequest(taskID: "", timeout: .milliseconds(-1500), signal: "").wireBytes()
        let duration = try XCTUnwrap(WireReader.message(2, in: bytes))
        let fields = try XCTUnwrap(WireReader.fields(duration))
        XCTAssertEqual(fields.map { Int64(bitPattern: $0.varint ?? 0) }, [-1, -500_000_000])
    }
}
