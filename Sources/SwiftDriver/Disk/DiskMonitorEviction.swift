import Logging

/// The monitor's eviction bookkeeping: one victim at a time, paced, never on unknown readings.
struct EvictionState: Sendable {
    var target: (any EvictionTarget)?
    var taskUsageInterval: Duration
    /// The eviction step under way (fetching candidates and evicting one task).
    var inFlight: Task<Void, Never>?
    /// When the last node-pressure step finished (a victim evicted, or none found); the next
    /// waits `eviction.interval`, so the level is re-measured and task dirs are not walked every sample.
    var lastPressureStepAt: Duration?
    /// When tasks were last checked against their own limits.
    var lastLimitCheckAt: Duration?
    /// Tasks already evicted; never chosen again while the target still lists them.
    var evicted: Set<String> = []

    init(target: (any EvictionTarget)?, taskUsageInterval: Duration) {
        self.target = target
        self.taskUsageInterval = taskUsageInterval
    }
}

extension DiskMonitor {
    /// Waits for the eviction step under way, if any (tests and shutdown use it).
    public func waitForEvictionIdle() async {
        while let step = eviction.inFlight { await step.value }
    }

    func startEvictionStepIfDue(now: Duration) {
        let settings = config.current.eviction
        guard settings.enabled, eviction.inFlight == nil, let target = eviction.target else { return }
        let pressureDue = evictsForPressure(settings)
            && (eviction.lastPressureStepAt.map { now - $0 >= pressurePace(settings) } ?? true)
        let limitsDue = eviction.lastLimitCheckAt.map { now - $0 >= eviction.taskUsageInterval } ?? true
        guard pressureDue || limitsDue else { return }
        eviction.lastLimitCheckAt = now
        eviction.inFlight = Task {
            let candidates = await target.evictionCandidates()
            if let choice = self.chooseVictim(from: candidates, pressure: pressureDue) {
                await target.evict(taskID: choice.taskID, reason: choice.reason, grace: choice.grace)
            }
            self.finishEvictionStep(pressureStep: pressureDue)
        }
    }

    /// Node pressure calls for a victim: a crossed threshold (soft after grace, or hard), or,
    /// with `eviction.predictive`, the predictive level while the disk is still predicted full
    /// (once the fill stops, recovery waits without taking more tasks). Never on unknown readings.
    func evictsForPressure(_ settings: EvictionConfig) -> Bool {
        guard !state.isUnknown else { return false }
        if state.isOverThreshold { return true }
        return settings.predictive && state.level == .predicted && state.prediction.isPredictedNow
    }

    /// The pause after a pressure step. A predictive step also waits one `predict_min_window`,
    /// so the next decision rests on a fill rate measured wholly after the last eviction.
    func pressurePace(_ settings: EvictionConfig) -> Duration {
        state.isOverThreshold ? settings.interval : max(settings.interval, config.current.disk.predictMinWindow)
    }

    struct VictimChoice: Sendable {
        var taskID: String
        var reason: String
        var grace: Duration
    }

    /// Re-checks the level after the (slow) candidate listing: it may have cleared meanwhile.
    func chooseVictim(from candidates: [EvictionCandidate], pressure: Bool) -> VictimChoice? {
        let listed = Set(candidates.map(\.taskID))
        eviction.evicted.formIntersection(listed)
        let fresh = candidates.filter { !eviction.evicted.contains($0.taskID) }
        // Nomad does not pass a task's kill_timeout to drivers, so every victim gets the cap.
        let grace = config.current.eviction.maxGrace
        if pressure, evictsForPressure(config.current.eviction), let sentence = state.pressureSentence,
           let victim = EvictionPlanner.pressureOrder(fresh).first {
            return record(VictimChoice(
                taskID: victim.taskID, reason: EvictionPlanner.pressureReason(sentence),
                grace: grace
            ), usage: victim)
        }
        if let victim = EvictionPlanner.overLimit(fresh).first {
            return record(VictimChoice(
                taskID: victim.taskID, reason: EvictionPlanner.limitReason(for: victim),
                grace: grace
            ), usage: victim)
        }
        return nil
    }

    private func record(_ choice: VictimChoice, usage victim: EvictionCandidate) -> VictimChoice {
        eviction.evicted.insert(choice.taskID)
        logEviction(choice, victim: victim)
        return choice
    }

    func finishEvictionStep(pressureStep: Bool) {
        if pressureStep { eviction.lastPressureStepAt = clock.now() }
        eviction.inFlight = nil
    }

    private func logEviction(_ choice: VictimChoice, victim: EvictionCandidate) {
        logger.info("evicting task", metadata: [
            "task_id": "\(choice.taskID)",
            "reason": "\(choice.reason)",
            "grace": "\(formatSeconds(choice.grace))",
            "usage_mb": "\(victim.usageBytes / DiskUnits.mebibyte)",
            "disk_limit_mb": "\(victim.diskLimitMB.map(String.init) ?? "none")",
        ])
    }
}
