extension StringProtocol {
    /// The text without the leading and trailing characters `isTrimmed` accepts.
    public func trimming(where isTrimmed: (Character) -> Bool) -> SubSequence {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }

    /// The text without leading and trailing spaces, tabs and line breaks: the only whitespace
    /// HTTP, environment values, proc files and config numbers use.
    public func trimmingASCIIWhitespace() -> SubSequence {
        trimming(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
    }
}
