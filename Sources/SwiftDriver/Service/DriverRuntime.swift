import GRPCCoreServer
import GoPluginServer
import Logging
import Locking

/// Everything one plugin process owns: the plugin config in force, the task store, the disk
/// monitor; and the routes of the BasePlugin and Driver services built on them.
///
/// Nomad launches the binary several times at agent start (to read PluginInfo, to validate the
/// config) before the instance it keeps. Nothing here measures, evicts or writes until the kept
/// instance opens its Fingerprint stream.
public final class DriverRuntime: Sendable {
    let logger: Logger
    /// The one plugin config; the disk monitor and eviction read it too.
    let config: PluginConfigStore
    let store: TaskStore
    let monitor: DiskMonitor
    let stop: StopSignal
    private let monitoring = Mutex(false)

    public init(supervisorExecutable: String, stop: StopSignal, logger: Logger,
                probe: any DiskProbe = StatvfsProbe()) {
        self.logger = logger
        self.stop = stop
        let config = PluginConfigStore()
        self.config = config
        self.store = TaskStore(supervisorExecutable: supervisorExecutable, logger: logger)
        self.monitor = DiskMonitor(config: config, probe: probe, logger: logger)
    }

    /// Every route the plugin serves beside go-plugin's own services.
    public var routes: [String: MethodHandler] {
        DriverBasePlugin.service(runtime: self).routes.merging(DriverService(runtime: self).routes) { first, _ in first }
    }

    /// Puts a validated plugin config in force (SetConfig with Nomad's agent config).
    func apply(_ config: PluginConfig) async {
        self.config.replace(with: config)
        await monitor.configChanged()
        let paths = await monitor.watchedPaths
        logger.info("plugin configured", metadata: [
            "disk_paths": "\(paths.joined(separator: ","))",
            "eviction": "\(config.eviction.enabled)",
        ])
    }

    /// Starts disk sampling and eviction the first time Nomad fingerprints this instance.
    func startMonitoring() async {
        let first = monitoring.withLock { started -> Bool in
            defer { started = true }
            return !started
        }
        guard first else { return }
        await monitor.setEvictionTarget(TaskStoreEvictionTarget(store: store, runtime: self))
        await monitor.start()
    }

    /// Ends streams, sampling and eviction when the plugin stops (Driver.Shutdown, or the end of
    /// serving); running tasks are left alone, and an eviction already under way finishes.
    public func shutdown() async {
        await monitor.stop()
        await monitor.waitForEvictionIdle()
        logger.debug("driver shut down; tasks keep running for the next plugin to recover")
    }
}
