import Logging

/// `nomad-driver-swift fingerprint`: one measurement (or a live view) printing exactly the
/// health, description and attributes Nomad would receive, without Nomad.
public enum FingerprintCommand {
    /// Returns the process exit status: 0 healthy, 2 unhealthy, 1 on a config error.
    public static func run(configPath: String?, json: Bool, watch: Bool, logger: Logger) async -> Int32 {
        let config: PluginConfig
        do {
            config = try configPath.map(PluginConfigFile.load(path:)) ?? PluginConfig()
        } catch {
            logger.error("\(error.description)")
            return 1
        }
        let printer = FingerprintPrinter()
        let limits = DriverAttributes.resourceLimits()
        func render(_ report: FingerprintReport) {
            let decorated = DriverAttributes.decorate(report, resourceLimits: limits)
            print(json ? printer.renderJSON(decorated) : printer.renderText(decorated))
        }
        guard watch else {
            let report = FingerprintBuilder.measureOnce(config: config.disk)
            render(report)
            return report.health == .healthy ? 0 : 2
        }
        let monitor = DiskMonitor(config: PluginConfigStore(config), logger: logger)
        await monitor.start()
        for await report in await monitor.reports() {
            render(report)
        }
        return 0
    }
}
