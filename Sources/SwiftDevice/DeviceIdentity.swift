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
}
