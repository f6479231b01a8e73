import Glibc
import SystemSupport

/// The host's users and groups, as a child process switching user needs them.
///
/// The release plugin is one statically linked binary, and glibc's name service switch cannot
/// load its modules into a static process (`getpwnam` there crashes inside libnss_systemd). So
/// this reads `/etc/passwd` and `/etc/group` itself, and asks `getent` (a dynamically linked
/// program with the host's full NSS: LDAP, SSSD, systemd users) about a name the files don't
/// have. The same code runs in every build, so the tests exercise what operators run.
///
/// Nothing else in the plugin may reach NSS either: no `getpwnam`/`getgrgid` and no Foundation
/// API built on them (`FileManager.attributesOfItem`'s owner names, home directories, `~`
/// expansion), or the static binary crashes on hosts whose nsswitch.conf names a module.
public struct AccountDatabase: Sendable {
    public var passwdPath: String
    public var groupPath: String
    /// `getent`, asked only when the files do not know a name; nil skips it.
    public var getentPath: String?

    public init(passwdPath: String = "/etc/passwd", groupPath: String = "/etc/group",
                getentPath: String? = AccountDatabase.defaultGetent) {
        self.passwdPath = passwdPath
        self.groupPath = groupPath
        self.getentPath = getentPath
    }

    /// The first executable `getent` in the usual system directories (never a relative PATH entry).
    public static var defaultGetent: String? {
        ["/usr/bin/getent", "/bin/getent", "/usr/sbin/getent"].first { access($0, X_OK) == 0 }
    }

    /// A user by login name, or else by numeric uid (as `getpwnam`, then `getpwuid`).
    public func user(_ nameOrID: String) -> PasswdEntry? {
        guard Self.isPlausibleName(nameOrID) else { return nil }
        let entries = AccountFile.read(passwdPath).compactMap(PasswdEntry.init(line:))
        if let entry = entries.first(where: { $0.name == nameOrID }) { return entry }
        if let uid = uid_t(nameOrID), let entry = entries.first(where: { $0.uid == uid }) { return entry }
        var entry = getent("passwd", nameOrID).flatMap { $0.first.flatMap(PasswdEntry.init(line:)) }
        entry?.fromGetent = true
        return entry
    }

    /// A group's id by name, or a numeric gid as given.
    public func groupID(_ nameOrID: String) -> gid_t? {
        if let gid = gid_t(nameOrID) { return gid }
        guard Self.isPlausibleName(nameOrID) else { return nil }
        if let entry = AccountFile.read(groupPath).compactMap(GroupEntry.init(line:)).first(where: { $0.name == nameOrID }) {
            return entry.gid
        }
        return getent("group", nameOrID).flatMap { $0.first.flatMap(GroupEntry.init(line:))?.gid }
    }

    /// The user's primary group, then every group listing the user as a member, without
    /// repeats (what `getgrouplist` returns from the files).
    public func groups(of user: PasswdEntry) -> [gid_t] {
        var result = [user.gid]
        for group in AccountFile.read(groupPath).compactMap(GroupEntry.init(line:))
        where group.members.contains(where: { $0 == user.name }) && !result.contains(group.gid) {
            result.append(group.gid)
        }
        // A user the files do not list (LDAP and the like): its groups come from the same source.
        if user.fromGetent, let line = getent("initgroups", user.name)?.first {
            for field in line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst() {
                if let gid = gid_t(field), !result.contains(gid) { result.append(gid) }
            }
        }
        return result
    }

    /// A name no account file can hold (empty, or with a field separator, newline or NUL) is
    /// unknown without asking anything: it would split a line or an argument.
    static func isPlausibleName(_ name: String) -> Bool {
        !name.isEmpty && !name.utf8.contains { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "\n") || $0 == 0 }
    }

    /// `getent <database> -- <key>`: the `--` keeps a key starting with "-" from reading as an option.
    private func getent(_ database: String, _ key: String) -> [Substring]? {
        guard let getentPath, let output = CommandOutput.run(getentPath, [database, "--", key]) else { return nil }
        let lines = output.split(separator: "\n")
        return lines.isEmpty ? nil : lines
    }
}

/// One `/etc/passwd` line: `name:password:uid:gid:gecos:home:shell`.
public struct PasswdEntry: Sendable, Equatable {
    public var name: String
    public var uid: uid_t
    public var gid: gid_t
    /// Found by `getent` rather than in the files: its groups are asked of `getent` too.
    public var fromGetent = false

    init?(line: Substring) {
        let fields = line.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count >= 4, let first = fields.first, !first.isEmpty,
              !first.hasPrefix("+"), !first.hasPrefix("-"),
              let uid = uid_t(fields[2]), let gid = gid_t(fields[3]) else { return nil }
        self.name = String(first)
        self.uid = uid
        self.gid = gid
    }
}

/// One `/etc/group` line: `name:password:gid:member,member`.
struct GroupEntry {
    var name: Substring
    var gid: gid_t
    var members: [Substring]

    init?(line: Substring) {
        let fields = line.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count >= 3, let first = fields.first, !first.isEmpty,
              !first.hasPrefix("+"), !first.hasPrefix("-"), let gid = gid_t(fields[2]) else { return nil }
        self.name = first
        self.gid = gid
        self.members = fields.count > 3 ? fields[3].split(separator: ",").map { $0.trimming(where: { $0 == " " }) } : []
    }
}

