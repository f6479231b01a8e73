import FuzzSupport
import PluginProto

/// Fuzz target: protobuf unpacking (protoc-c generated code plus our Swift mapping) of every
/// request message the plugin's server accepts. The first input byte picks the message type,
/// the rest is the message.
@main
enum FuzzWireMessages {
    /// Every request type the Driver, BasePlugin and health services decode.
    static let requestTypes: [any WireMessage.Type] = [
        SetConfigRequest.self,
        StartTaskRequest.self,
        RecoverTaskRequest.self,
        WaitTaskRequest.self,
        StopTaskRequest.self,
        DestroyTaskRequest.self,
        InspectTaskRequest.self,
        SignalTaskRequest.self,
        ExecTaskRequest.self,
        ExecTaskStreamingRequest.self,
        TaskStatsRequest.self,
        HealthCheckRequest.self,
    ]

    static func main() {
        FuzzEntry.run { data, size in
            FuzzEntry.result(FuzzWireMessages.check(FuzzEntry.bytes(data, size)))
        }
    }

    /// True when the message decodes. Whatever decodes must encode to bytes that decode again:
    /// replies echo parts of requests (StartTask's handle carries the whole TaskConfig back).
    static func check(_ bytes: [UInt8]) -> Bool {
        guard let selector = bytes.first else { return false }
        let type = requestTypes[Int(selector) % requestTypes.count]
        guard let message = try? type.init(wireBytes: Array(bytes.dropFirst())) else { return false }
        guard (try? type.init(wireBytes: message.wireBytes())) != nil else {
            preconditionFailure("a decoded \(type) does not decode after encoding")
        }
        if let start = message as? StartTaskRequest {
            let handle = TaskHandle(version: 1, config: start.task, state: .running, driverState: [0x7b, 0x7d])
            guard (try? StartTaskResponse(wireBytes: StartTaskResponse(handle: handle).wireBytes())) != nil else {
                preconditionFailure("the StartTask reply echoing a decoded TaskConfig does not decode")
            }
        }
        return true
    }
}
