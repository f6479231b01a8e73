import GoPluginServer
import FoundationEssentials
import Glibc
import GRPCCoreServer
import PluginProto

/// Nomad's Driver service over the task store, the disk monitor and exec.
///
/// Every response the client dereferences carries its sub-message (an absent WaitTask result,
/// Exec result, stats or inspected task crashes the Nomad agent), and every failure is a gRPC
/// status with one sentence: the client ignores `StartTaskResponse.result`.
struct DriverService: Sendable {
    let runtime: DriverRuntime

    /// The truth about this driver: signals and exec yes; no filesystem isolation (tasks see the
    /// host); host networking, or the group's namespace Nomad makes for `network { mode =
    /// "bridge" }` (Nomad refuses a bridge-mode group for a driver without `group`); no volume mounts.
    static let capabilities = DriverCapabilities(
        sendSignals: true,
        exec: true,
        fsIsolation: .none,
        networkIsolationModes: [.host, .group],
        mustCreateNetwork: false,
        mountConfigs: .noMounts,
        remoteTasks: false,
        disableLogCollection: false,
        dynamicWorkloadUsers: false)

    var routes: [String: MethodHandler] {
        var routes: [String: MethodHandler] = [
            RPCPath.driver + "TaskConfigSchema": RPC.unary { (_: Empty) in
                TaskConfigSchemaResponse(spec: TaskSettings.schema)
            },
            RPCPath.driver + "Capabilities": RPC.unary { (_: Empty) in
                CapabilitiesResponse(capabilities: Self.capabilities)
            },
            // Nomad 2.0.4+ calls Init after dispensing the plugin; there is nothing to set up that
            // SetConfig and the first Fingerprint do not already.
            RPCPath.driver + "Init": RPC.unary { (_: Empty) in Empty() },
            // ... and Shutdown before it stops the plugin: no more sampling or evictions, tasks
            // left running for the next plugin to recover.
            RPCPath.driver + "Shutdown": RPC.unary { (_: Empty) in
                await runtime.shutdown()
                return Empty()
            },
            RPCPath.driver + "Fingerprint": RPC.serverStreaming { (_: Empty, writer: MessageWriter<FingerprintResponse>) in
                try await fingerprint(writer)
            },
            RPCPath.driver + "TaskEvents": RPC.serverStreaming { (_: Empty, writer: MessageWriter<DriverTaskEvent>) in
                try await taskEvents(writer)
            },
            RPCPath.driver + "TaskStats": RPC.serverStreaming { (request: TaskStatsRequest, writer: MessageWriter<TaskStatsResponse>) in
                try await taskStats(request, writer)
            },
            RPCPath.driver + "ExecTaskStreaming": .bidiStreaming { requests, writer, _ in
                try await ExecStreamingHandler(runtime: runtime).run(requests: requests, writer: writer)
            },
        ]
        routes.merge(TaskRPCs(runtime: runtime).routes) { first, _ in first }
        return routes
    }

    /// The first response goes out at once (the client waits for it at start-up), then one on
    /// every change the disk monitor emits. The stream stays open for the plugin's life: a closed
    /// stream makes the client re-dispense the driver in a loop.
    private func fingerprint(_ writer: MessageWriter<FingerprintResponse>) async throws {
        await runtime.startMonitoring()
        let limits = DriverAttributes.resourceLimits()
        for await report in await runtime.monitor.reports() {
            try await writer.send(FingerprintMapping.response(DriverAttributes.decorate(report, resourceLimits: limits)))
        }
        // The monitor's streams end only when the plugin stops; hold the call until then.
        await runtime.stop.wait()
    }

    private func taskEvents(_ writer: MessageWriter<DriverTaskEvent>) async throws {
        for await event in await runtime.store.events() {
            try await writer.send(DriverTaskEvent(
                taskID: event.taskID, allocID: event.allocID, taskName: event.taskName,
                timestamp: WireTimestamp(event.timestamp), message: event.message,
                annotations: event.annotations))
        }
        await runtime.stop.wait()
    }

    private func taskStats(_ request: TaskStatsRequest, _ writer: MessageWriter<TaskStatsResponse>) async throws {
        let task: TaskSnapshot
        do throws(TaskError) {
            task = try await runtime.store.inspect(request.taskID)
        } catch {
            throw StatusMapping.status(for: error)
        }
        guard task.state == .running else { return }
        let interval = request.collectionInterval > .zero ? request.collectionInterval : .seconds(1)
        let sampler = ProcessTreeSampler(rootPid: task.pid, processGroup: task.pgid,
                                         cgroupDirectory: task.cgroupPath.flatMap { FilePaths.isDirectory($0) ? $0 : nil })
        for await sample in TaskStatsStream(sampler: sampler, interval: interval).samples() {
            try await writer.send(TaskStatsResponse(stats: StatsMapping.stats(taskID: task.id, sample: sample)))
        }
    }
}
