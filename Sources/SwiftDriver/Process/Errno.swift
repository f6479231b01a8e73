import Glibc

/// The C library's sentence for an errno value.
func errnoDescription(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

/// Errnos that mean the host is short of processes, descriptors or memory right now.
func isResourceErrno(_ code: Int32) -> Bool {
    code == EAGAIN || code == EMFILE || code == ENFILE || code == ENOMEM
}
