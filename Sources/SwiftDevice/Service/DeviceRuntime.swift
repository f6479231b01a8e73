import DiskMeasurement
import GRPCCoreServer
import GoPluginServer
import Locking
import Logging
import PluginProto

/// Everything one device plugin process owns: the config in force and the monitor, and the
/// routes of the BasePlugin and DevicePlugin services built on them.
///
/// Nomad launches the binary more than once at agent start (to read PluginInfo, to validate the
/// config); nothing here measures or writes until the kept instance opens its Fingerprint stream
/// or is asked to Reserve.
public final class DeviceRuntime: Sendable {
    let logger: Logger
    let monitor: DeviceMonitor
    let stop: StopSignal
    private let monitoring = Mutex(false)

    public init(stop: StopSignal, logger: Logger, probe: any DiskProbe = StatvfsProbe()) {
        self.logger = logger
        self.stop = stop
        self.monitor = DeviceMonitor(probe: probe, logger: logger)
    }

    /// Every route the plugin serves beside go-plugin's own services.
    public var routes: [String: MethodHandler] {
        basePlugin.routes.merging(DeviceService(runtime: self).routes) { first, _ in first }
    }

    private var basePlugin: BasePluginService {
        BasePluginService(
            info: PluginInfoResponse(
                type: .device, pluginAPIVersions: [DeviceIdentity.pluginAPIVersion],
                pluginVersion: DeviceIdentity.version, name: DeviceIdentity.name),
            schema: DeviceConfig.schema,
            logger: logger,
            decode: { bytes in try DeviceConfig.decode(msgpack: bytes) },
            logLevel: \.logLevel,
            apply: { [self] config in await apply(config) })
    }

    /// Puts a validated config in force (SetConfig with Nomad's agent config).
    private func apply(_ config: DeviceConfig) async {
        await monitor.configure(config)
        logger.info("plugin configured", metadata: [
            "paths": "\(config.paths.joined(separator: ","))", "unit_mb": "\(config.unitMB)",
            "max_instances": "\(config.maxInstancesPerGroup)", "headroom_mb": "\(config.headroomMB)",
        ])
    }

    /// Starts sampling the first time Nomad fingerprints this instance.
    func startMonitoring() async {
        let first = monitoring.withLock { started -> Bool in
            defer { started = true }
            return !started
        }
        guard first else { return }
        await monitor.start()
    }

    /// Stops sampling and ends the streams.
    public func shutdown() async {
        await monitor.stop()
    }
}
