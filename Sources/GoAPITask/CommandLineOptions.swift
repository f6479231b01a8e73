/// go-api's flags, parsed by hand. swift-argument-parser (and FoundationEssentials, which it
/// imports) cost 2 MiB of go-api's idle RSS, about a quarter of it: the pages its
/// reflection-driven parsing touches at start-up stay mapped for the life of the process, and
/// the issue asks go-api to stay within 1.5x a Go server's. Seven flags do not need it.
struct CommandLineOptions: Equatable, Sendable {
    var bind: String?
    var port: Int?
    var portLabel = "http"
    var name: String?
    var drain: Double = 2
    var maxBodySize = 1_048_576
    var quiet = false

    /// What the command line asks for.
    enum Request: Equatable, Sendable {
        case serve(CommandLineOptions)
        case help
    }

    /// A command line that cannot be used; its description is one sentence.
    struct UsageError: Error, CustomStringConvertible, Sendable {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let overview = "A whoami-style HTTP API for Nomad failover drills and load tests."

    /// Every flag, in the order help lists them: name, value placeholder (nil: a switch), help.
    static let flags: [(name: String, value: String?, help: String)] = [
        ("--bind", "address", "Address to listen on: an IP address or host name (docs/go-api.md). Default: $NOMAD_IP_<label>, else 0.0.0.0."),
        ("--port", "port", "Port to listen on. Default: $NOMAD_PORT_<label>, else $PORT, else 8080."),
        ("--port-label", "label", "Nomad port label whose NOMAD_IP_/NOMAD_PORT_ variables give the address. Default: http."),
        ("--name", "name", "Instance name shown as 'Name:'. Default: $GO_API_NAME."),
        ("--drain", "seconds", "Seconds between a shutdown signal and refusing new connections; /health answers 503 meanwhile. Default: 2."),
        ("--max-body-size", "bytes", "Largest request body accepted, in bytes; larger requests get 413. Default: 1048576."),
        ("--quiet", nil, "Do not write the per-request access log to stdout."),
        ("-h, --help", nil, "Show this help."),
    ]

    /// Parses the arguments after the program name. `--flag value` and `--flag=value` both work;
    /// a flag given twice keeps the last value, as swift-argument-parser did.
    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var options = CommandLineOptions()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument == "-h" || argument == "--help" { return .help }
            guard argument.hasPrefix("--") else {
                throw UsageError("unexpected argument '\(argument)'; go-api takes flags only (see --help).")
            }
            var flag = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let known = flags.first(where: { $0.name == flag }) else {
                throw UsageError("unknown option '\(flag)' (see --help).")
            }
            guard known.value != nil else {
                if inlineValue != nil { throw UsageError("\(flag) takes no value, got '\(argument)'.") }
                options.quiet = true  // the only switch
                continue
            }
            guard let value = inlineValue ?? rest.popFirst() else {
                throw UsageError("\(flag) needs a value.")
            }
            try options.set(flag, value)
        }
        try options.validate()
        return .serve(options)
    }

    private mutating func set(_ flag: String, _ value: String) throws(UsageError) {
        switch flag {
        case "--bind": bind = value
        case "--port":
            guard let number = Int(value) else {
                throw UsageError("--port must be a port number between 1 and 65535, got '\(value)'.")
            }
            port = number
        case "--port-label": portLabel = value
        case "--name": name = value
        case "--drain":
            guard let seconds = Double(value) else {
                throw UsageError("--drain must be a number of seconds from 0 to 3600, got '\(value)'.")
            }
            drain = seconds
        case "--max-body-size":
            guard let bytes = Int(value) else {
                throw UsageError("--max-body-size must be a positive number of bytes, got '\(value)'.")
            }
            maxBodySize = bytes
        default:
            preconditionFailure("flag \(flag) is listed without a setter")
        }
    }

    private func validate() throws(UsageError) {
        guard drain.isFinite, drain >= 0, drain <= 3600 else {
            throw UsageError("--drain must be a number of seconds from 0 to 3600, got \(drain).")
        }
        guard maxBodySize > 0 else {
            throw UsageError("--max-body-size must be a positive number of bytes, got \(maxBodySize).")
        }
        guard !portLabel.isEmpty, portLabel.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw UsageError("--port-label must be a Nomad port label (letters, digits, '_' or '-'), got '\(portLabel)'.")
        }
    }

    /// `go-api --help`.
    static var help: String {
        let usage = flags.dropLast().map { flag in
            flag.value.map { "[\(flag.name) <\($0)>]" } ?? "[\(flag.name)]"
        }
        let column = flags.map { flagColumn($0).count }.max()! + 2
        var text = "OVERVIEW: \(overview)\n\nUSAGE: go-api \(usage.joined(separator: " "))\n\nOPTIONS:\n"
        for flag in flags {
            let left = flagColumn(flag)
            text += "  " + left + String(repeating: " ", count: column - left.count) + flag.help + "\n"
        }
        return text
    }

    private static func flagColumn(_ flag: (name: String, value: String?, help: String)) -> String {
        flag.value.map { "\(flag.name) <\($0)>" } ?? flag.name
    }
}
