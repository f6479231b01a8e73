import GRPCCoreServer
import GoPluginServer
import PluginProto

/// Nomad's DevicePlugin service over the device monitor.
struct DeviceService: Sendable {
    let runtime: DeviceRuntime

    var routes: [String: MethodHandler] {
        [
            RPCPath.device + "Fingerprint": RPC.serverStreaming { (_: Empty, writer: MessageWriter<DeviceFingerprintResponse>) in
                try await fingerprint(writer)
            },
            RPCPath.device + "Reserve": RPC.unary { (request: ReserveRequest) in
                try await reserve(request)
            },
            RPCPath.device + "Stats": RPC.serverStreaming { (request: DeviceStatsRequest, writer: MessageWriter<DeviceStatsResponse>) in
                try await stats(request, writer)
            },
        ]
    }

    /// The first list goes out at once; the stream stays open for the plugin's life, since Nomad
    /// drops every device of a plugin whose stream ends.
    private func fingerprint(_ writer: MessageWriter<DeviceFingerprintResponse>) async throws {
        await runtime.startMonitoring()
        for await groups in await runtime.monitor.fingerprints() {
            try await writer.send(DeviceMapping.fingerprint(groups))
        }
        await runtime.stop.wait()
    }

    private func reserve(_ request: ReserveRequest) async throws -> ReserveResponse {
        do throws(DeviceError) {
            let (reservation, _) = try await runtime.monitor.reserve(request.deviceIDs)
            return DeviceMapping.reservation(reservation)
        } catch {
            runtime.logger.error("reserve refused", metadata: ["error": "\(error.sentence)", "devices": "\(request.deviceIDs)"])
            throw error.status
        }
    }

    /// One response per collection interval (Nomad's `collection_interval`, 1 s when unset),
    /// from the monitor's latest sample.
    private func stats(_ request: DeviceStatsRequest, _ writer: MessageWriter<DeviceStatsResponse>) async throws {
        let interval = request.collectionInterval > .zero ? request.collectionInterval : .seconds(1)
        while runtime.stop.reason == nil {
            let groups = await runtime.monitor.accounting()
            try await writer.send(DeviceMapping.stats(groups, at: .now()))
            try await Task.sleep(for: interval)
        }
    }
}

extension DeviceError {
    /// The one sentence a caller sees.
    var sentence: String {
        switch self {
        case .reserve(let error): return error.description
        case .storage(let problem): return problem
        }
    }

    /// Bad IDs are the caller's mistake; a directory or ledger that cannot be written is ours.
    var status: GRPCStatus {
        switch self {
        case .reserve(.insufficientSpace): return GRPCStatus(.resourceExhausted, sentence)
        case .reserve: return GRPCStatus(.invalidArgument, sentence)
        case .storage: return GRPCStatus(.internal, sentence)
        }
    }
}
