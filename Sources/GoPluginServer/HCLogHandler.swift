import Glibc
import Logging
import Synchronization
import SystemSupport

/// The level every `HCLogHandler` logs at; set from the plugin config's `log_level` at runtime.
public enum HCLogLevel {
    private static let current = Atomic<UInt8>(Logger.Level.info.ordinal)

    public static var level: Logger.Level {
        get { Logger.Level.fromOrdinal(current.load(ordering: .relaxed)) }
        set { current.store(newValue.ordinal, ordering: .relaxed) }
    }

    /// Parses hclog's level names (trace, debug, info, warn, error) and swift-log's.
    public static func parse(_ name: String) -> Logger.Level? {
        switch name.lowercased() {
        case "trace": .trace
        case "debug": .debug
        case "info": .info
        case "notice": .notice
        case "warn", "warning": .warning
        case "error": .error
        case "critical", "fatal": .critical
        default: nil
        }
    }
}

/// A swift-log handler writing hclog's JSON line format to stderr, which the go-plugin host
/// parses and re-logs at the line's level: `@level`, `@message`, `@module`, `@timestamp`
/// (microseconds, local offset), then metadata as string fields. All values are JSON strings,
/// because the host crashes on a non-string `@level`, `@message` or `@timestamp`.
public struct HCLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let module: String
    private let sink: @Sendable (String) -> Void

    public init(label: String, sink: @escaping @Sendable (String) -> Void = HCLogHandler.writeToStderr) {
        self.module = label
        self.sink = sink
    }

    public var logLevel: Logger.Level {
        get { HCLogLevel.level }
        set { HCLogLevel.level = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard event.level >= HCLogLevel.level else { return }
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        sink(Self.line(level: event.level, message: event.message.description, module: module,
                       timestamp: Self.timestamp(), fields: fields))
    }

    /// One JSON object, newline-terminated. Reserved keys in metadata are renamed so they cannot
    /// shadow the line's own.
    static func line(level: Logger.Level, message: String, module: String, timestamp: String,
                     fields: Logger.Metadata) -> String {
        var out = "{\"@level\":\"\(level.hclogName)\",\"@message\":"
        JSONString.append(message, to: &out)
        out += ",\"@module\":"
        JSONString.append(module, to: &out)
        out += ",\"@timestamp\":\"\(timestamp)\""
        for key in fields.keys.sorted() {
            out += ","
            JSONString.append(key.hasPrefix("@") ? "_" + key : key, to: &out)
            out += ":"
            JSONString.append(fields[key]!.flatDescription, to: &out)
        }
        out += "}\n"
        return out
    }

    /// hclog's JSON time layout: `2006-01-02T15:04:05.000000Z07:00`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let offset = parts.tm_gmtoff
        let zone = offset == 0
            ? "Z"
            : (offset < 0 ? "-" : "+") + pad(abs(offset) / 3600, 2) + ":" + pad(abs(offset) % 3600 / 60, 2)
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(now.tv_nsec / 1000, 6) + zone
    }

    /// Writes the whole line with one write(2), so concurrent lines never interleave.
    public static let writeToStderr: @Sendable (String) -> Void = { line in
        DescriptorWriter.writeAll(2, line)
    }
}

extension Logger.Level {
    var hclogName: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error, .critical: "error"
        }
    }

    var ordinal: UInt8 {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .notice: 3
        case .warning: 4
        case .error: 5
        case .critical: 6
        }
    }

    static func fromOrdinal(_ value: UInt8) -> Logger.Level {
        [.trace, .debug, .info, .notice, .warning, .error, .critical][Int(min(value, 6))]
    }
}

extension Logger.MetadataValue {
    /// Nested values rendered as one string: hclog fields are flat.
    var flatDescription: String {
        switch self {
        case .string(let value): value
        case .stringConvertible(let value): value.description
        case .array(let values): "[" + values.map(\.flatDescription).joined(separator: ", ") + "]"
        case .dictionary(let values):
            "{" + values.keys.sorted().map { "\($0)=\(values[$0]!.flatDescription)" }.joined(separator: ", ") + "}"
        }
    }
}

/// Writes a whole string to a file descriptor, retrying short writes and EINTR; gives up
/// silently on other errors (there is nowhere left to report a failing stderr).
enum DescriptorWriter {
    static func writeAll(_ fd: Int32, _ text: String) {
        FileOutput.writeAll(fd, Array(text.utf8))
    }
}

extension HCLogHandler {
    /// Makes hclog lines on stderr the process's logging, at the level named by the environment
    /// variable `levelVariable` (until a plugin config sets one), and returns the plugin's logger.
    public static func bootstrap(label: String, levelVariable: String) -> Logger {
        LoggingSystem.bootstrap { HCLogHandler(label: $0) }
        if let name = ProcessInfoLite.environment[levelVariable], let level = HCLogLevel.parse(name) {
            HCLogLevel.level = level
        }
        return Logger(label: label)
    }
}
