import Foundation

/// A resolved user account for the task's user switch.
struct TaskUserAccount: Sendable, Equatable {
    var uid: uid_t
    var gid: gid_t
    var groups: [gid_t]

    /// Looks a user name (or numeric uid) up in the passwd database, with its supplementary groups.
    static func lookup(_ name: String) -> Result<TaskUserAccount, TaskError> {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16384)
        let rc: Int32
        if let uid = UInt32(name) {
            rc = getpwuid_r(uid, &pwd, &buffer, buffer.count, &result)
        } else {
            rc = getpwnam_r(name, &pwd, &buffer, buffer.count, &result)
        }
        guard rc == 0, result != nil else {
            return .failure(TaskError(.invalidConfig, "The task user \"\(name)\" does not exist on this node."))
        }
        let uid = pwd.pw_uid
        let gid = pwd.pw_gid
        var groups = [gid_t](repeating: 0, count: 256)
        var count = Int32(groups.count)
        if let pwName = pwd.pw_name, getgrouplist(pwName, gid, &groups, &count) >= 0 {
            groups = Array(groups.prefix(Int(count)))
        } else {
            groups = [gid]
        }
        return .success(TaskUserAccount(uid: uid, gid: gid, groups: groups))
    }
}
