/// A configuration problem, told as one sentence that names the field, what was expected and
/// what was given, e.g. `invalid plugin config: disk.soft_free_percent must be a number, got
/// string "high"`. Nomad shows this text to the operator (SetConfig) or the job author (a task's
/// `Failed Validation` event), so it must stand on its own.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being read: `plugin config`, `task config`, `plugin config in /etc/x.json`.
    public var subject: String
    /// Dotted path of the offending field (`disk.paths[1]`); empty for whole-document errors.
    public var field: String
    /// The rest of the sentence after the field, e.g. `must be a number, got string "high"`.
    public var message: String

    public init(field: String = "", _ message: String, subject: String = "config") {
        self.subject = subject
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "invalid \(subject): \(message)" : "invalid \(subject): \(field) \(message)"
    }

    /// The same error told about another subject; decoders are subject-agnostic and callers relabel.
    public func about(_ subject: String) -> ConfigError {
        var copy = self
        copy.subject = subject
        return copy
    }
}

/// Field-path arithmetic shared by the decoders, so every error spells paths the same way.
public enum FieldPath {
    public static func child(_ parent: String, _ name: String) -> String {
        parent.isEmpty ? name : "\(parent).\(name)"
    }

    public static func index(_ parent: String, _ index: Int) -> String {
        "\(parent)[\(index)]"
    }
}
