#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// `nomad-driver-swift fingerprint`: one measurement (or a live view) printing exactly the
/// health, description and attributes Nomad would receive, without Nomad.
public enum FingerprintCommand {
    /// Returns the process exit status: 0 healthy, 2 unhealthy, 1 on a config error.
    ///
    /// With `watch`, it samples every `disk.interval` until interrupted: on a terminal a live
    /// view (fill rate, time to full, a sparkline of free space, the report Nomad has), redrawn
    /// at each sample; with `json` one line per sample carrying the same figures; piped text
    /// prints each report Nomad would receive, as it changes.
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
        func decorate(_ status: DiskLiveStatus) -> DiskLiveStatus {
            var status = status
            status.report = DriverAttributes.decorate(status.report, resourceLimits: limits)
            return status
        }
        guard watch else {
            let report = DriverAttributes.decorate(FingerprintBuilder.measureOnce(config: config.disk), resourceLimits: limits)
            print(json ? printer.renderJSON(report) : printer.renderText(report))
            return report.health == .healthy ? 0 : 2
        }

        let monitor = DiskMonitor(config: PluginConfigStore(config), logger: logger)
        let interval = max(config.disk.interval, .milliseconds(10))
        let live = isatty(STDOUT_FILENO) == 1 && !json
        var view = FingerprintWatchView()
        var lastPrinted: FingerprintReport?
        let start = ContinuousClock.now
        while !Task.isCancelled {
            let status = decorate(await monitor.liveStatus())
            view.record(status)
            if json {
                print(FingerprintWatchView.renderJSON(status, printer: printer))
            } else if live {
                // Home and clear, then the screen: one redraw per sample.
                print("\u{1B}[H\u{1B}[2J" + view.renderScreen(status, interval: interval, elapsed: ContinuousClock.now - start), terminator: "")
            } else if status.report != lastPrinted {
                print(printer.renderText(status.report))
                lastPrinted = status.report
            }
            fflush(nil)  // a pipe is block-buffered; each sample must reach the reader now
            do { try await Task.sleep(for: interval) } catch { break }
            await monitor.sample()
        }
        return 0
    }
}
