/// A synthetic free-space curve: free MiB at a time in seconds. Curves are pure functions, so a
/// simulation of a day takes a second and gives the same figures every run.
public struct DiskCurve: Sendable {
    public var name: String
    public var capacityMiB: Double
    public var freeMiB: @Sendable (Double) -> Double

    public init(name: String, capacityMiB: Double, freeMiB: @escaping @Sendable (Double) -> Double) {
        self.name = name
        self.capacityMiB = capacityMiB
        self.freeMiB = freeMiB
    }

    /// Flat at `startFree` until `start`, then falling at `rate` MiB/min until empty.
    public static func steady(capacityMiB: Double, startFree: Double, rate: Double, start: Double = 0) -> DiskCurve {
        DiskCurve(name: "steady fill at \(Int(rate)) MiB/min", capacityMiB: capacityMiB) { t in
            max(0, startFree - max(0, t - start) * rate / 60)
        }
    }

    /// Writes in bursts: `burstSeconds` of every `period` at the rate that averages `rate` MiB/min.
    public static func bursty(capacityMiB: Double, startFree: Double, rate: Double, period: Double, burstSeconds: Double,
                              start: Double = 0) -> DiskCurve {
        DiskCurve(name: "bursty fill averaging \(Int(rate)) MiB/min", capacityMiB: capacityMiB) { t in
            let elapsed = max(0, t - start)
            let cycles = (elapsed / period).rounded(.down)
            let inBurst = min(elapsed - cycles * period, burstSeconds)
            let perCycle = rate / 60 * period
            return max(0, startFree - cycles * perCycle - perCycle * inBurst / burstSeconds)
        }
    }

    /// Falls by `amplitude` MiB over each `period` seconds, then a cleanup frees it all at once
    /// (log rotation, garbage collection, tmp cleanup). Never fills. `jitter` (0..1) varies each
    /// period's length and amplitude deterministically, as real cleanups do not run like clockwork.
    public static func sawtooth(name: String, capacityMiB: Double, high: Double, amplitude: Double, period: Double,
                                jitter: Double = 0) -> DiskCurve {
        DiskCurve(name: name, capacityMiB: capacityMiB) { t in
            // Period k lasts period * (1 + jitter * w(k)), w in [-0.5, 0.5]; found by walking.
            var begin = 0.0
            var k: UInt64 = 0
            var length = period * (1 + jitter * wobble(k))
            while begin + length <= t {
                begin += length
                k += 1
                length = period * (1 + jitter * wobble(k))
            }
            let depth = amplitude * (1 + jitter * wobble(k &+ 7919))
            return high - depth * (t - begin) / length
        }
    }

    /// Steady until `stopAfter` seconds of filling (a one-off copy of rate × stopAfter), then flat.
    public static func copy(capacityMiB: Double, startFree: Double, rate: Double, stopAfter: Double, start: Double = 0) -> DiskCurve {
        DiskCurve(name: "one-off copy of \(Int(rate * stopAfter / 60)) MiB", capacityMiB: capacityMiB) { t in
            startFree - min(max(0, t - start), stopAfter) * rate / 60
        }
    }

    /// Fills at `rate` for `fillFor` seconds, then frees space at `freeRate` MiB/min (a job that
    /// cleans up after itself), never above `startFree`.
    public static func reversing(capacityMiB: Double, startFree: Double, rate: Double, fillFor: Double, freeRate: Double,
                                 start: Double = 0) -> DiskCurve {
        DiskCurve(name: "fill that reverses", capacityMiB: capacityMiB) { t in
            let elapsed = max(0, t - start)
            let low = startFree - min(elapsed, fillFor) * rate / 60
            return min(startFree, low + max(0, elapsed - fillFor) * freeRate / 60)
        }
    }

    /// This curve plus up to ±`mib` of deterministic per-second noise (other writers, deletes).
    public func noisy(_ mib: Double) -> DiskCurve {
        let base = freeMiB
        return DiskCurve(name: name, capacityMiB: capacityMiB) { t in
            max(0, base(t) + mib * 2 * wobble(UInt64(max(0, t).rounded())))
        }
    }
}

/// A deterministic value in [-0.5, 0.5] for `k` (SplitMix64).
func wobble(_ k: UInt64) -> Double {
    var z = k &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 53) - 0.5
}
