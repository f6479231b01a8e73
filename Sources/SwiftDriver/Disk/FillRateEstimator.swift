/// One filesystem's fill rate and time to full, from the samples the monitor already takes.
/// Pure: times are the monitor's monotonic `Duration`s, so tests drive it with a fake clock.
///
/// Free space is split into two running totals: space *consumed* (every drop, and every small
/// rise, which is writing that went the other way) and space *released* in steps (a rise larger
/// than `releaseStepBytes` between two samples: a rotated log, a garbage collection, a tmp
/// cleanup). Then:
/// - the **fill rate** is the least-squares slope of consumed space over the last `minWindow`:
///   a regression, so bursts average out, and a step up in free space is not part of it, so a
///   cleanup neither hides a fill nor starts a false "trend" of its own;
/// - the **release credit** is the average rate of released space over `creditWindow`, where a
///   release counts only up to what the disk consumed since the release before it, and the
///   whole is capped by the average consumption over the same span. A sawtooth (fill, clean,
///   fill, clean) releases what its teeth consume, so it nets to about zero however steep the
///   teeth are; a cleanup of old data (or one far larger than what was written meanwhile)
///   earns no credit for it, so it cannot hide the next fill.
/// The net rate is the fill rate minus the credit.
public struct FillRateEstimator: Sendable {
    /// Seconds since the monitor's start, and the two running totals in bytes at that time.
    struct Point: Sendable, Equatable {
        var time: Double
        var consumed: Double
        var released: Double
    }

    public let minWindow: Duration
    public let creditWindow: Duration
    /// Rises above this between two samples are releases (at least 1 MiB, or 0.1 % of capacity).
    public private(set) var releaseStepBytes: Double = Double(DiskUnits.mebibyte)

    private var capacityBytes: UInt64?
    private var lastFree: UInt64?
    private var consumed: Double = 0
    private var released: Double = 0
    private var consumedSinceRelease: Double = 0
    private var firstTime: Double?
    /// Every sample of the last `minWindow`, for the regression.
    private var recent: [Point] = []
    /// Sparser points over `creditWindow`, for the credit (at most about 1,000 of them).
    private var history: [Point] = []

    public init(minWindow: Duration, creditWindow: Duration) {
        self.minWindow = minWindow
        self.creditWindow = max(creditWindow, minWindow)
    }

    /// Adds one reading taken at `now`. A changed capacity (a remount, a resize) starts over:
    /// the old totals describe another filesystem.
    public mutating func add(availableBytes: UInt64, capacityBytes: UInt64, at now: Duration) {
        let time = Self.seconds(now)
        if self.capacityBytes != capacityBytes {
            self = FillRateEstimator(minWindow: minWindow, creditWindow: creditWindow)
            self.capacityBytes = capacityBytes
            releaseStepBytes = max(Double(DiskUnits.mebibyte), Double(capacityBytes) / 1000)
        }
        if let lastFree {
            let change = Double(lastFree) - Double(availableBytes)
            if -change > releaseStepBytes {
                // Only what the disk consumed since the last release counts: a sawtooth frees what
                // its tooth wrote, while a cleanup of old data says nothing about the next fill.
                released += min(-change, max(0, consumedSinceRelease))
                consumedSinceRelease = 0
            } else {
                consumed += change
                consumedSinceRelease += change
            }
        }
        lastFree = availableBytes
        if firstTime == nil { firstTime = time }
        let point = Point(time: time, consumed: consumed, released: released)

        recent.append(point)
        let fitStart = time - Self.seconds(minWindow)
        // Keep one point at or before the window's start, so the fit spans the whole window.
        while recent.count > 2, recent[1].time <= fitStart { recent.removeFirst() }

        // The newest point is always the latest sample; older ones at least `spacing` apart.
        let spacing = Self.seconds(creditWindow) / 1000
        if history.count >= 2, time - history[history.count - 2].time < spacing {
            history[history.count - 1] = point
        } else {
            history.append(point)
        }
        let creditStart = time - Self.seconds(creditWindow)
        while history.count > 2, history[1].time <= creditStart { history.removeFirst() }
    }

    /// The estimate at `now` for a filesystem with `availableBytes` free, or nil until the
    /// samples span `minWindow`.
    public func estimate(path: String, availableBytes: UInt64, at now: Duration) -> FillEstimate? {
        let time = Self.seconds(now)
        guard let firstTime, time - firstTime >= Self.seconds(minWindow), recent.count >= 2 else { return nil }
        let fillRate = Self.slope(recent)
        var credit = 0.0
        if let oldest = history.first, let newest = history.last, newest.time > oldest.time {
            let span = newest.time - oldest.time
            let releasedRate = (newest.released - oldest.released) / span
            let consumedRate = (newest.consumed - oldest.consumed) / span
            credit = max(0, min(releasedRate, consumedRate))
        }
        // The average over the window's latest half: a fill that has just stopped (the end of a
        // copy) drops out of it while the regression still remembers it.
        let halfStart = time - Self.seconds(minWindow) / 2
        let recentStart = recent.last(where: { $0.time <= halfStart }) ?? recent[0]
        let recentRate = time > recentStart.time ? (consumed - recentStart.consumed) / (time - recentStart.time) : fillRate
        return FillEstimate(
            path: path, bytesPerSecond: fillRate - credit, recentBytesPerSecond: recentRate - credit, fillBytesPerSecond: fillRate,
            creditBytesPerSecond: credit, availableBytes: availableBytes, capacityBytes: capacityBytes ?? 0
        )
    }

    /// Least-squares slope of consumed bytes over time, in bytes per second.
    static func slope(_ points: [Point]) -> Double {
        let n = Double(points.count)
        let meanT = points.reduce(0) { $0 + $1.time } / n
        let meanC = points.reduce(0) { $0 + $1.consumed } / n
        var sxy = 0.0
        var sxx = 0.0
        for p in points {
            sxy += (p.time - meanT) * (p.consumed - meanC)
            sxx += (p.time - meanT) * (p.time - meanT)
        }
        return sxx > 0 ? sxy / sxx : 0
    }

    /// A duration in seconds, as a Double.
    public static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// What the estimator says about one filesystem at one moment.
public struct FillEstimate: Sendable, Equatable {
    /// The watched path of the filesystem.
    public var path: String
    /// Net fill rate in bytes per second (fill rate minus release credit); positive while filling.
    public var bytesPerSecond: Double
    /// Net rate over the latest half of the window (average, not regression), for telling a
    /// fill that goes on from one that has just stopped.
    public var recentBytesPerSecond: Double
    /// The regression's fill rate before the release credit.
    public var fillBytesPerSecond: Double
    /// Space released in steps, as an average rate credited against the fill rate.
    public var creditBytesPerSecond: Double
    public var availableBytes: UInt64
    public var capacityBytes: UInt64

    /// Net rate in MiB per minute.
    public var mebibytesPerMinute: Double { bytesPerSecond * 60 / Double(DiskUnits.mebibyte) }

    /// True while the net rate is at least 1 MiB/min: slower than that is noise on a live node
    /// (and the integer attribute would read 0).
    public var isFilling: Bool { mebibytesPerMinute >= 1 }

    /// True when the disk is predicted full within `horizon` seconds at the net rate, and the
    /// latest half window's own rate agrees (so a fill that just stopped no longer counts).
    public func predictsFull(within horizon: Double) -> Bool {
        guard let seconds = secondsToFull, seconds < horizon, recentBytesPerSecond > 0 else { return false }
        return Double(availableBytes) / recentBytesPerSecond < horizon
    }

    /// Seconds until no space is left at the net rate; nil while not filling.
    public var secondsToFull: Double? {
        isFilling ? Double(availableBytes) / bytesPerSecond : nil
    }
}
