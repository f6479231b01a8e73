import Logging

/// Where log lines go: the access log to stdout, everything else to stderr.
enum LogOutput {
    static let accessLabel = "go-api.access"
    static let mainLabel = "go-api"

    static func bootstrap() {
        LoggingSystem.bootstrap { label in
            label == accessLabel
                ? StreamLogHandler.standardOutput(label: label)
                : StreamLogHandler.standardError(label: label)
        }
    }
}
