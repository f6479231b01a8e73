import Dispatch
import Glibc

/// Process-wide signal dispositions of a go-plugin server.
///
/// SIGINT is ignored because the agent's Ctrl-C reaches its whole process group and the host
/// stops plugins itself; SIGPIPE is ignored so a vanished peer is an error, not a death;
/// SIGTERM asks for the same graceful stop as `GRPCController/Shutdown`.
enum SignalHandling {
    /// Installs the dispositions; the returned source must be kept alive while serving.
    static func install(stop: StopSignal) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler { stop.trigger(reason: "the plugin received SIGTERM") }
        source.resume()
        return source
    }
}
