/// Orders eviction victims. Pure, so the order is tested without processes.
public enum EvictionPlanner {
    /// Node-pressure order: tasks over their own `disk_limit_mb`, largest overage first; then the
    /// rest by measured usage, largest first; ties go youngest first. Non-evictable tasks are left out.
    public static func pressureOrder(_ candidates: [EvictionCandidate]) -> [EvictionCandidate] {
        candidates.filter(\.evictable).sorted { a, b in
            switch (a.overageBytes, b.overageBytes) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if a.overageBytes == nil, a.usageBytes != b.usageBytes { return a.usageBytes > b.usageBytes }
                return a.startedAt > b.startedAt
            }
        }
    }

    /// Tasks over their own `disk_limit_mb`, largest overage first (evicted even without node pressure).
    public static func overLimit(_ candidates: [EvictionCandidate]) -> [EvictionCandidate] {
        pressureOrder(candidates).filter { $0.overageBytes != nil }
    }

    /// `evicted: ` followed by the health sentence.
    public static func pressureReason(_ sentence: String) -> String {
        "evicted: " + sentence
    }

    /// E.g. `evicted: disk limit exceeded: 612 MiB used of 500 MiB`.
    public static func limitReason(for candidate: EvictionCandidate) -> String {
        "evicted: disk limit exceeded: \(candidate.usageBytes / DiskUnits.mebibyte) MiB used of \(candidate.diskLimitMB ?? 0) MiB"
    }
}
