import Glibc
import SystemSupport

extension NomadCgroupPlan {
    /// What `enter()` did: the directories to go back to after the fork, and what did not work.
    struct Entered {
        /// The supervisor's own cgroups before it joined the task's, one per hierarchy.
        var home: [String]
        var warnings: [String]
    }

    /// Run in the supervisor before the fork: makes any directory Nomad has not made, writes the
    /// limits, and puts the supervisor in every directory, so the task is confined from its first
    /// instruction. A limit that cannot be written is a warning (the task still runs), as in
    /// Nomad's executor.
    func enter(hierarchy: CgroupHierarchy = .current()) -> Entered {
        var warnings: [String] = []
        let homes = hierarchy.directories(membership: FileInput.text(atPath: "/proc/self/cgroup") ?? "")
        var home: [String] = []
        for directory in join {
            if TaskFiles.makeDirectoriesReportingErrno(directory) != 0 {
                warnings.append("The cgroup \(directory) Nomad chose could not be made: \(errnoDescription(errno)).")
                continue
            }
            Self.inheritCpusetIfEmpty(directory)
        }
        for write in writes where !TaskFiles.writeControlFile(write.file, write.value) {
            warnings.append("The \(write.what) could not be applied (\(write.file)).")
        }
        for directory in join {
            if let mount = hierarchy.mount(containing: directory)?.mount, let original = homes[mount] { home.append(original) }
            if !TaskFiles.writeControlFile(directory + "/cgroup.procs", String(getpid())) {
                warnings.append("The task could not join the cgroup \(directory) Nomad chose: \(errnoDescription(errno)).")
            }
        }
        return Entered(home: home, warnings: warnings)
    }

    /// Back to where the supervisor was, after the fork: cgroup.kill or the OOM killer must not
    /// take the supervisor (and the task's exit record) with the task.
    static func leave(_ entered: Entered) -> [String] {
        entered.home.compactMap { directory in
            TaskFiles.writeControlFile(directory + "/cgroup.procs", String(getpid()))
                ? nil : "The task supervisor could not leave the task's cgroup (back to \(directory))."
        }
    }

    /// A v1 cpuset cgroup made here starts with no CPUs and no memory nodes, and takes no
    /// process until it has both; like Nomad's client, give it its parent's.
    private static func inheritCpusetIfEmpty(_ directory: String) {
        let parent = FilePaths.parent(of: directory)
        for file in ["cpuset.cpus", "cpuset.mems"] {
            guard let own = FileInput.text(atPath: directory + "/" + file), own.trimmingASCIIWhitespace().isEmpty,
                  let inherited = FileInput.text(atPath: parent + "/" + file) else { continue }
            TaskFiles.writeControlFile(directory + "/" + file, String(inherited.trimmingASCIIWhitespace()))
        }
    }
}
