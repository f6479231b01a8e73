import PluginProto

extension TaskSettings {
    /// The subject named in a task config's error sentences.
    public static let errorSubject = "task config"

    /// A task's `config {}` block, declared once.
    public static let configSchema: ConfigSchema = .object([
        .attr("command", .string, required: true),
        .attr("args", .list(.string)),
        .attr("work_dir", .string),
        .attr("disk_limit_mb", .number),
        .attr("evictable", .bool, default: true),
    ])

    /// What `TaskConfigSchema` returns to Nomad.
    public static var schema: HCLSpec { configSchema.spec }

    /// Decodes `TaskConfig.msgpack_driver_config`.
    public static func decode(msgpack: [UInt8]) throws(ConfigError) -> TaskSettings {
        let value: CtyValue
        do {
            value = try CtyMsgpackDecoder().decode(msgpack)
        } catch {
            throw error.about(errorSubject)
        }
        return try TaskSettings(cty: value)
    }

    /// Reads a decoded task config block and checks it.
    public init(cty: CtyValue) throws(ConfigError) {
        let root = try Self.configSchema.decode(cty, subject: Self.errorSubject)
        guard let command = try root.string("command") else {
            throw ConfigError(field: "command", "is required and must be a string", subject: Self.errorSubject)
        }
        self.init(
            command: command,
            args: try root.stringList("args") ?? [],
            workDir: try root.string("work_dir"),
            diskLimitMB: try root.uint64("disk_limit_mb"),
            evictable: try root.bool("evictable") ?? true)
        try validate()
    }

    /// Checks what the types cannot: a command to run, a usable working directory.
    public func validate() throws(ConfigError) {
        if command.trimmingCharacters(in: " \t").isEmpty {
            throw ConfigError(field: "command", "must name a program, got an empty string", subject: Self.errorSubject)
        }
        if let workDir, workDir.isEmpty {
            throw ConfigError(field: "work_dir", "must be a directory path, got an empty string", subject: Self.errorSubject)
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
