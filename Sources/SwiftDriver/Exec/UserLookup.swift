import Glibc

/// The ids a child switches to for a named user.
struct ResolvedUser: Sendable, Equatable {
    var name: String
    var uid: uid_t
    var gid: gid_t
    var groups: [gid_t]
}

enum UserLookup {
    /// Looks the user up in the passwd and group databases (a numeric name is taken as a uid).
    static func resolve(_ name: String) throws(ExecError) -> ResolvedUser {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        var status = getpwnam_r(name, &entry, &buffer, buffer.count, &result)
        if result == nil, let uid = uid_t(name) {
            status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
        }
        guard status == 0, result != nil else { throw .unknownUser(name) }
        let uid = entry.pw_uid
        let gid = entry.pw_gid
        let loginName = entry.pw_name.map { String(cString: $0) } ?? name
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(loginName, gid, &groups, &count) < 0 {
            // Too small: count now holds the needed size.
            groups = [gid_t](repeating: 0, count: Int(max(count, 1)))
            if getgrouplist(loginName, gid, &groups, &count) < 0 { count = 0 }
        }
        let list = Array(groups.prefix(Int(max(count, 0))))
        return ResolvedUser(name: name, uid: uid, gid: gid, groups: list.isEmpty ? [gid] : list)
    }
}
