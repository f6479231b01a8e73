/// Device names: the third part of `swift/disk/<name>` in a job, and the prefix of instance IDs.
public enum DeviceGroupName {
    /// 1 to 32 of a-z, 0-9, `_` and `-`: safe in a job's device name, an ID and a file name.
    public static func isValid(_ name: String) -> Bool {
        (1...32).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
        }
    }

    /// The name for a path without one configured: its last component, lower-cased, with other
    /// characters as `-`; `/` is `root`.
    public static func derived(from path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        guard !last.isEmpty else { return "root" }
        let mapped = String(last.lowercased().unicodeScalars.prefix(32).map { scalar -> Character in
            let c = Character(scalar)
            return isValid(String(c)) ? c : "-"
        })
        return mapped
    }

    /// Every group's name: the configured ones, or derived; derived names that collide get the
    /// group's position appended, so each stays unique.
    public static func names(for paths: [String], configured: [String]) -> [String] {
        if !configured.isEmpty { return configured }
        var names = paths.map(derived(from:))
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        for i in names.indices where counts[names[i], default: 0] > 1 {
            names[i] = String(names[i].prefix(28)) + "-\(i + 1)"
        }
        return names
    }
}
