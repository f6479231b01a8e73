import Glibc
import SystemSupport

/// Finds the processes that make up a task: the root and its descendants, plus every
/// member of a process group when one is given (members that were re-parented away from
/// the root still belong to the task).
struct ProcessTreeDiscovery: Sendable {
    let rootPid: Int32
    let processGroup: Int32?
    let procRoot: String

    /// Live (non-zombie) members' stat lines, and the root's own stat line when it exists.
    func discover() -> (members: [ProcStat], root: ProcStat?) {
        if processGroup == nil, let viaChildren = walkChildrenFiles() {
            return viaChildren
        }
        return fullScan()
    }

    func readStat(_ pid: Int32) -> ProcStat? {
        FileInput.text(atPath: "\(procRoot)/\(pid)/stat", limit: 4096).flatMap(ProcStat.parse)
    }

    /// Walks `/proc/<pid>/task/<tid>/children`, which costs work proportional to the tree,
    /// not to the host. Nil when the kernel lacks those files (CONFIG_PROC_CHILDREN off).
    private func walkChildrenFiles() -> (members: [ProcStat], root: ProcStat?)? {
        guard let root = readStat(rootPid) else { return ([], nil) }
        if FileInput.text(atPath: "\(procRoot)/\(rootPid)/task/\(rootPid)/children") == nil {
            // The root may have just exited; only fall back when the file really is missing.
            return readStat(rootPid) == nil ? ([], nil) : nil
        }
        var members: [ProcStat] = []
        var seen: Set<Int32> = []
        var queue: [ProcStat] = [root]
        while let next = queue.popLast() {
            guard seen.insert(next.pid).inserted else { continue }
            if !next.isZombie { members.append(next) }
            for child in childPids(of: next.pid) where !seen.contains(child) {
                if let stat = readStat(child), stat.ppid == next.pid { queue.append(stat) }
            }
        }
        return (members, root)
    }

    private func childPids(of pid: Int32) -> [Int32] {
        var result: [Int32] = []
        for tid in ProcFiles.listPids(procRoot: "\(procRoot)/\(pid)/task") {
            guard let text = FileInput.text(atPath: "\(procRoot)/\(pid)/task/\(tid)/children") else { continue }
            for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                if let child = Int32(word) { result.append(child) }
            }
        }
        return result
    }

    private func fullScan() -> (members: [ProcStat], root: ProcStat?) {
        let all = ProcFiles.listPids(procRoot: procRoot).compactMap(readStat)
        var children: [Int32: [ProcStat]] = [:]
        var root: ProcStat?
        for stat in all {
            children[stat.ppid, default: []].append(stat)
            if stat.pid == rootPid { root = stat }
        }
        var chosen: [Int32: ProcStat] = [:]
        if let root {
            var queue = [root]
            while let next = queue.popLast() {
                guard chosen[next.pid] == nil else { continue }
                chosen[next.pid] = next
                queue.append(contentsOf: children[next.pid] ?? [])
            }
        }
        if let processGroup {
            for stat in all where stat.pgrp == processGroup { chosen[stat.pid] = stat }
        }
        let members = chosen.values.filter { !$0.isZombie }.sorted { $0.pid < $1.pid }
        return (members, root)
    }
}
