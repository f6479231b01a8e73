import Accounts
import Glibc

/// A user a child process switches to: ids and the user's own supplementary groups (never the
/// plugin's, which as root would leak root's groups into the task).
struct UserAccount: Sendable, Equatable {
    var name: String
    var uid: uid_t
    var gid: gid_t
    var groups: [gid_t]

    /// Looks a user name (or a numeric uid) up in the host's account database; nil if unknown.
    static func lookup(_ name: String, in database: AccountDatabase = AccountDatabase()) -> UserAccount? {
        guard let entry = database.user(name) else { return nil }
        return UserAccount(name: name, uid: entry.uid, gid: entry.gid, groups: database.groups(of: entry))
    }

    /// Whether the user exists, without collecting its groups (StartTask's preflight needs no
    /// more; the supervisor looks the whole account up when it switches).
    static func exists(_ name: String, in database: AccountDatabase = AccountDatabase()) -> Bool {
        database.user(name) != nil
    }
}
