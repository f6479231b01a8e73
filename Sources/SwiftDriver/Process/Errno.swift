import Glibc

/// Errnos that mean the host is short of processes, descriptors or memory right now.
func isResourceErrno(_ code: Int32) -> Bool {
    code == EAGAIN || code == EMFILE || code == ENFILE || code == ENOMEM
}
