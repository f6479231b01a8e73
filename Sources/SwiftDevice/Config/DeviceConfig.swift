import ConfigDecoding

/// The plugin block an operator writes in the Nomad client config:
/// `plugin "nomad-device-swift" { config { ... } }`. Every field has a default, so an empty
/// block is a complete configuration.
public struct DeviceConfig: Sendable, Equatable, ConfigRoot {
    /// `log_level`: trace, debug, info, warn or error; nil keeps NOMAD_DEVICE_SWIFT_LOG_LEVEL / info.
    public var logLevel: String?
    /// `paths`: one device group per absolute path (per filesystem). Empty means the default:
    /// `/opt/nomad/data` if it exists, else `/`.
    public var paths: [String] = []
    /// `names`: the device name of each path's group, in the same order; empty derives each
    /// name from its path's last component (`/` is `root`).
    public var names: [String] = []
    /// `unit_mb`: the smallest size one instance stands for. On a disk too large for
    /// `max_instances` of them, the unit grows (in whole multiples of this) so the count fits.
    public var unitMB: UInt64 = 1024
    /// `max_instances`: the most instances one group offers; keeps the node's device list small.
    /// Unset, it is `defaultMaxInstances`, lowered so that every group together stays within
    /// `maxInstancesPerNode` (see `maxInstancesPerGroup`): a block that lists three paths and
    /// leaves this out is then still valid.
    public var maxInstances: UInt64?
    /// `headroom_mb`: space on each path that is never offered.
    public var headroomMB: UInt64 = 1024
    /// `interval`: how often the paths and reservations are measured.
    public var interval: Duration = .seconds(1)
    /// `fingerprint_min_interval`: instances coming back to health (and attribute changes) reach
    /// Nomad at most this often; instances turning unhealthy go out at the next sample.
    public var fingerprintMinInterval: Duration = .seconds(30)

    public init() {}

    /// `max_instances` when the block does not set it, for a node with one or two groups.
    public static let defaultMaxInstances: UInt64 = 128

    /// The groups this config makes: one per path, or the one default path.
    public var groupCount: UInt64 { UInt64(max(paths.count, 1)) }

    /// The cap each group's layout uses: the configured one, else the default within the
    /// node's share.
    public var maxInstancesPerGroup: UInt64 {
        maxInstances ?? min(Self.defaultMaxInstances, Self.maxInstancesPerNode / groupCount)
    }
}
