/// What the device plugin tells Nomad about itself, and the names jobs use for its devices.
public enum DeviceIdentity {
    /// The binary's file name, which is also the `plugin "..."` block label in the client config.
    public static let binaryName = "nomad-device-swift"
    /// The plugin name in PluginInfo (Nomad's logs and `nomad node status`).
    public static let name = "swift-disk"
    /// Our own version (semver), reported in PluginInfo.
    public static let version = "0.1.0"
    /// The device plugin API version Nomad 1.x and 2.x accept.
    public static let pluginAPIVersion = "v0.1.0"
    /// Jobs ask for `device "swift/disk"` (all groups) or `device "swift/disk/<name>"`.
    public static let vendor = "swift"
    public static let deviceType = "disk"
    /// The directory, at the top of each watched path, that holds reservations' scratch
    /// directories and the ledger; on the watched filesystem, so what tasks write there is
    /// what the plugin accounts for.
    public static let stateDirectoryName = ".nomad-device-swift"
}

/// The environment a reservation gives its task (the Reserve answer). The swift driver reads
/// the budget and the path; any task can.
public enum ReservationEnvironment {
    /// The scratch directory the reservation's space is for.
    public static let path = "SWIFT_DISK_PATH"
    /// The reservation's size in MiB: the task's disk budget.
    public static let budgetMB = "SWIFT_DISK_BUDGET_MB"
    /// The reservation's ID (its directory's name).
    public static let reservation = "SWIFT_DISK_RESERVATION"
}
