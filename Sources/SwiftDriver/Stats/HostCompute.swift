import SystemSupport

/// Per-core clock speed in MHz, used to turn a CPU percent into Nomad's "Total Ticks"
/// (consumed MHz). Zero when the host does not say, in which case the field is not reported.
enum HostCompute {
    static let perCoreMHz: Double = detect()

    static func detect() -> Double {
        if let text = FileInput.text(atPath: "/proc/cpuinfo"), let mhz = averageMHz(cpuinfo: text) {
            return mhz
        }
        // Architectures without "cpu MHz" in cpuinfo (e.g. arm64) expose cpufreq in kHz.
        if let text = FileInput.text(atPath: "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"),
           let khz = parseSingleNumber(text), khz > 0 {
            return Double(khz) / 1000
        }
        return 0
    }

    static func averageMHz(cpuinfo: String) -> Double? {
        var sum = 0.0
        var count = 0
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("cpu MHz") {
            guard let colon = line.firstIndex(of: ":"),
                  let value = Double(line[line.index(after: colon)...].trimmingASCIIWhitespace()) else { continue }
            sum += value
            count += 1
        }
        return count > 0 && sum > 0 ? sum / Double(count) : nil
    }
}
