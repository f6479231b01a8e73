/// Where and as whom an exec runs: the task's environment and directory.
public struct ExecContext: Sendable, Equatable {
    /// The complete environment of the command (nothing is inherited from the plugin).
    public var env: [String: String]
    /// Working directory; the task directory when nil.
    public var workDir: String?
    /// User to run as. Honoured only when the plugin runs as root; otherwise the command
    /// runs as the plugin's own user.
    public var user: String?
    public var taskDir: String
    /// The task's network namespace, which the command joins; nil: the host's network.
    public var networkNamespace: String?
    /// The task's cgroups, which the command joins, so its limits and reserved cores hold for it too.
    public var cgroups: [String]

    public init(env: [String: String] = [:], workDir: String? = nil, user: String? = nil, taskDir: String,
                networkNamespace: String? = nil, cgroups: [String] = []) {
        self.env = env
        self.workDir = workDir
        self.user = user
        self.taskDir = taskDir
        self.networkNamespace = networkNamespace
        self.cgroups = cgroups
    }

    var effectiveWorkDir: String { workDir ?? taskDir }
}
