import Glibc

/// A user a child process switches to: ids and the user's own supplementary groups (never the
/// plugin's, which as root would leak root's groups into the task).
struct UserAccount: Sendable, Equatable {
    var name: String
    var uid: uid_t
    var gid: gid_t
    var groups: [gid_t]

    /// Looks a user name (or a numeric uid) up in the passwd and group databases; nil if unknown.
    static func lookup(_ name: String) -> UserAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        var status = getpwnam_r(name, &entry, &buffer, buffer.count, &result)
        if result == nil, let uid = uid_t(name) {
            status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
        }
        guard status == 0, result != nil else { return nil }
        let loginName = entry.pw_name.map { String(cString: $0) } ?? name
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(loginName, entry.pw_gid, &groups, &count) < 0 {
            // Too small: count now holds the size needed.
            groups = [gid_t](repeating: 0, count: Int(max(count, 1)))
            if getgrouplist(loginName, entry.pw_gid, &groups, &count) < 0 { count = 0 }
        }
        let list = Array(groups.prefix(Int(max(count, 0))))
        return UserAccount(name: name, uid: entry.pw_uid, gid: entry.pw_gid, groups: list.isEmpty ? [entry.pw_gid] : list)
    }
}
