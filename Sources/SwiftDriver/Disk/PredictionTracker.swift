/// The predictive level over time, beside the thresholds: one `FillRateEstimator` per watched
/// filesystem, entered when some filesystem is predicted full within `predict_horizon` and that
/// has held at every sample for `predict_min_window`; left like the other levels, once every
/// filesystem is clear with `min_reclaim_percent` to spare for `transition_period`. Pure.
public struct PredictionTracker: Sendable {
    /// True while the predictive level is in force (entered and not yet recovered).
    public private(set) var isActive = false
    /// True when the latest complete judgement predicts full within the horizon (the raw signal,
    /// before `predict_min_window` and recovery).
    public private(set) var isPredictedNow = false
    /// The latest sample's estimates, one per measured filesystem that has enough history.
    public private(set) var estimates: [FillEstimate] = []
    /// The estimate that decides the sentence: the filesystem predicted full soonest, or while
    /// recovering the one that was; kept across unknown samples.
    public private(set) var worst: FillEstimate?

    private var estimators: [String: FillRateEstimator] = [:]
    /// Since the raw signal held (the `predict_min_window` clock).
    private var predictedClock = HoldClock()
    /// Since every filesystem cleared the prediction with margin (the transition clock).
    private var recoveryClock = HoldClock()

    public init() {}

    /// Feeds the readings of one sample; `complete` is false when some watched path failed.
    public mutating func observe(_ readings: [DiskReading], complete: Bool, config: DiskPressureConfig, at now: Duration) {
        var fresh: [String: FillRateEstimator] = [:]
        var current: [FillEstimate] = []
        // A SetConfig that changes the windows starts the history over.
        let blank = FillRateEstimator(minWindow: config.predictMinWindow, creditWindow: config.predictWindow)
        for reading in readings {
            var estimator = estimators[reading.path]
                .flatMap { $0.minWindow == blank.minWindow && $0.creditWindow == blank.creditWindow ? $0 : nil } ?? blank
            estimator.add(availableBytes: reading.availableBytes, capacityBytes: reading.capacityBytes, at: now)
            if let estimate = estimator.estimate(path: reading.path, availableBytes: reading.availableBytes, at: now) {
                current.append(estimate)
            }
            fresh[reading.path] = estimator
        }
        // A path that failed this sample keeps its history; one no longer watched loses it.
        if !complete {
            for (path, estimator) in estimators where fresh[path] == nil { fresh[path] = estimator }
        }
        estimators = fresh
        estimates = current

        let horizon = FillRateEstimator.seconds(config.predictHorizon)
        let enabled = horizon > 0
        let predicted = enabled && current.contains { $0.predictsFull(within: horizon) }
        let stillPredicted = enabled && current.contains { Self.holds($0, horizon: horizon, config: config) }
        isPredictedNow = predicted

        if let soonest = Self.soonest(current) {
            worst = soonest
        } else if let previous = worst, let again = current.first(where: { $0.path == previous.path }) {
            worst = again  // no longer filling: the sentence says so while the level recovers
        } else if complete {
            worst = nil
        }

        predictedClock.observe(predicted, at: now, stopsWhenNot: complete)
        let wasActive = isActive
        if !enabled {
            isActive = false
        } else if predicted, !isActive, predictedClock.hasHeld(config.predictMinWindow, at: now) {
            isActive = true
        }

        recoveryClock.observe(wasActive && isActive && !stillPredicted && complete, at: now)
        if recoveryClock.hasHeld(config.transitionPeriod, at: now) {
            isActive = false
            recoveryClock.stop()
        }
    }

    /// The filling filesystem predicted full soonest (the attributes' figures).
    public var soonestFull: FillEstimate? { Self.soonest(estimates) }

    static func soonest(_ estimates: [FillEstimate]) -> FillEstimate? {
        estimates.filter(\.isFilling).min { ($0.secondsToFull ?? .infinity) < ($1.secondsToFull ?? .infinity) }
    }

    /// True while a filesystem is still predicted full within the horizon when it is credited
    /// `min_reclaim_percent` of capacity: the same margin the thresholds need to be left.
    static func holds(_ estimate: FillEstimate, horizon: Double, config: DiskPressureConfig) -> Bool {
        guard estimate.isFilling else { return false }
        let margin = Double(estimate.capacityBytes) * config.minReclaimPercent / 100
        return Double(estimate.availableBytes) - margin < estimate.bytesPerSecond * horizon
    }
}
