/// What the plugin tells Nomad about itself.
public enum DriverIdentity {
    /// The driver name jobs use: `driver = "swift"`; also the attribute prefix `driver.swift.`.
    public static let name = "swift"
    /// The binary's file name, which is also the `plugin "..."` block label in the client config.
    public static let binaryName = "nomad-driver-swift"
    /// Our own version (semver), reported in PluginInfo and `driver.swift.version`.
    public static let version = "0.1.0"
    /// The driver API version Nomad 1.x and 2.x accept.
    public static let pluginAPIVersion = "v0.1.0"
}
