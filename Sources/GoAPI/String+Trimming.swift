extension String {
    /// The text without leading and trailing spaces, tabs and line breaks (the only
    /// whitespace HTTP and environment values use).
    package func trimmingASCIIWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            slice.removeFirst()
        }
        while let last = slice.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            slice.removeLast()
        }
        return String(slice)
    }
}
