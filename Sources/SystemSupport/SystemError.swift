import Glibc

/// The C library's sentence for an errno value (`No such file or directory`).
public func errnoDescription(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

/// A failed system call, told by its errno value.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Int32

    public init(code: Int32) {
        self.code = code
    }

    public var description: String { errnoDescription(code) }
}
