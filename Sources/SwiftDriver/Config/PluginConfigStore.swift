import Locking

/// The plugin config in force: the one copy the runtime holds, which SetConfig replaces and the
/// disk monitor and eviction read when they need a setting, so no part keeps its own.
public final class PluginConfigStore: Sendable {
    private let value: Mutex<PluginConfig>

    public init(_ config: PluginConfig = PluginConfig()) {
        self.value = Mutex(config)
    }

    /// The config as of now.
    public var current: PluginConfig { value.withLock { $0 } }

    /// Puts a validated config in force.
    public func replace(with config: PluginConfig) {
        value.withLock { $0 = config }
    }
}
