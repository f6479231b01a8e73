/// Attribute names, in one place because jobs' constraints depend on their exact spelling.
public enum DiskAttributeName {
    public static let version = "driver.swift.version"
    public static let paths = "driver.swift.disk.paths"
    public static let pressure = "driver.swift.disk.pressure"
    public static let availableMB = "unique.driver.swift.disk.available_mb"
    public static let capacityMB = "unique.driver.swift.disk.capacity_mb"
    public static let availablePercent = "unique.driver.swift.disk.available_percent"
    public static let inodesFreePercent = "unique.driver.swift.disk.inodes_free_percent"
    public static let fillRateMBPerMin = "unique.driver.swift.disk.fill_rate_mb_per_min"
    public static let secondsToFull = "unique.driver.swift.disk.seconds_to_full"
}
