import Glibc

extension SpawnFailure {
    /// Sorts the failure the way Nomad's restart logic needs it: a short host is worth a retry,
    /// a program or directory that cannot be used is not.
    var taskErrorKind: TaskError.Kind {
        switch kind {
        case .resourcesExhausted: .transient
        case .exec, .workDirectory: .invalidConfig
        case .userSwitch: code == EPERM ? .invalidConfig : .failed
        case .networkNamespace, .cgroup, .other: .failed
        }
    }
}
