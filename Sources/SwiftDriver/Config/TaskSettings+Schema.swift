import PluginProto
import SystemSupport

extension TaskSettings: ConfigRoot {
    /// No command yet: the schema requires one, so a decoded value always has it.
    public init() {
        self.init(command: "")
    }

    /// A task's `config {}` block, declared once: each name bound to its field.
    public static let configSchema = ConfigSchema<TaskSettings>(subject: "task config", [
        .attr("command", \.command, required: true),
        .attr("args", \.args),
        .attr("work_dir", \.workDir),
        .attr("disk_limit_mb", \.diskLimitMB),
        .attr("evictable", \.evictable),
    ])

    /// The subject named in a task config's error sentences.
    public static var errorSubject: String { configSchema.subject }

    /// What `TaskConfigSchema` returns to Nomad.
    public static var schema: HCLSpec { configSchema.spec }

    /// Decodes `TaskConfig.msgpack_driver_config`.
    public static func decode(msgpack: [UInt8]) throws(ConfigError) -> TaskSettings {
        try TaskSettings(cty: try CtyMsgpackDecoder.decode(msgpack, about: errorSubject))
    }

    /// Reads a decoded task config block and checks it.
    public init(cty: CtyValue) throws(ConfigError) {
        self = try Self.configSchema.decode(cty)
        try validate()
    }

    /// Checks what the types cannot: a command to run, a usable working directory.
    public func validate() throws(ConfigError) {
        if command.trimming(where: { $0 == " " || $0 == "\t" }).isEmpty {
            throw ConfigError(field: "command", "must name a program, got an empty string", subject: Self.errorSubject)
        }
        if let workDir, workDir.isEmpty {
            throw ConfigError(field: "work_dir", "must be a directory path, got an empty string", subject: Self.errorSubject)
        }
    }
}
