/// The predictive level's health sentence and the fill-rate figures in words. Like the
/// threshold sentences, it is also StartTask's refusal and, prefixed with `evicted: `, an
/// evicted task's error.
extension PressureStateMachine {
    /// E.g. `disk filling at 310 MiB/min on /opt/nomad/data: full in about 6 min`; while the
    /// level recovers it says what recovery waits for.
    static func predictionSentence(_ estimate: FillEstimate?, predictedNow: Bool, config: DiskPressureConfig) -> String {
        let recovery = " for \(formatSeconds(config.transitionPeriod)) to recover"
        guard let estimate else { return "disk predicted full soon: no fill rate measured" + recovery }
        guard estimate.isFilling, let seconds = estimate.secondsToFull else {
            return "disk no longer filling on \(estimate.path): needs to stay clear" + recovery
        }
        let sentence = "disk filling at \(formatRate(estimate.mebibytesPerMinute)) MiB/min on \(estimate.path): "
            + "full in \(formatTimeToFull(seconds))"
        return predictedNow ? sentence : sentence + ", needs to stay clear" + recovery
    }
}

/// `310`, `42`, `3.5`: whole MiB/min from 10 up, one decimal below.
func formatRate(_ mebibytesPerMinute: Double) -> String {
    if mebibytesPerMinute >= 10 { return String(Int64(mebibytesPerMinute.rounded())) }
    let tenths = Int64((max(0, mebibytesPerMinute) * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

/// `about 45 s`, `about 6 min`, `about 3 h`.
func formatTimeToFull(_ seconds: Double) -> String {
    if seconds < 120 { return "about \(Int64(max(0, seconds).rounded())) s" }
    if seconds < 7200 { return "about \(Int64((seconds / 60).rounded())) min" }
    return "about \(Int64((seconds / 3600).rounded())) h"
}
