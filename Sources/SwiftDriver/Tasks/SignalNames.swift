import FoundationEssentials
import Glibc
import SystemSupport

/// Linux signal names and numbers (the generic numbering used by x86-64 and arm64).
public enum SignalNames {
    /// glibc reserves the first two kernel real-time signals for itself, so SIGRTMIN is 34.
    public static let realTimeMin: Int32 = 34
    public static let realTimeMax: Int32 = 64

    /// Names without the `SIG` prefix, upper case.
    static let table: [String: Int32] = [
        "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7,
        "FPE": 8, "KILL": 9, "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14,
        "TERM": 15, "STKFLT": 16, "CHLD": 17, "CLD": 17, "CONT": 18, "STOP": 19, "TSTP": 20,
        "TTIN": 21, "TTOU": 22, "URG": 23, "XCPU": 24, "XFSZ": 25, "VTALRM": 26, "PROF": 27,
        "WINCH": 28, "IO": 29, "POLL": 29, "PWR": 30, "SYS": 31, "UNUSED": 31,
    ]

    /// The number for a signal name such as `SIGTERM`, `term`, `SIGRTMIN+3` or `RTMAX-1`;
    /// nil for anything unknown.
    public static func number(for name: String) -> Int32? {
        var key = String(trimmingBlanks(name)).uppercased()
        if key.hasPrefix("SIG") { key.removeFirst(3) }
        if let n = table[key] { return n }
        return realTime(key)
    }

    /// Whether `name` is empty once blanks are trimmed (then the default signal applies).
    public static func isBlank(_ name: String) -> Bool { trimmingBlanks(name).isEmpty }

    /// `name` without leading and trailing blanks: tabs and Unicode space separators (the set
    /// Foundation calls `whitespaces`; line breaks are not blanks).
    private static func trimmingBlanks(_ name: String) -> Substring {
        name.trimming(where: { c in
            c == "\t" || c.unicodeScalars.allSatisfy { $0.properties.generalCategory == .spaceSeparator }
        })
    }

    private static func realTime(_ key: String) -> Int32? {
        for (base, start) in [("RTMIN", realTimeMin), ("RTMAX", realTimeMax)] where key.hasPrefix(base) {
            let rest = key.dropFirst(base.count)
            if rest.isEmpty { return start }
            guard let sign = rest.first, sign == "+" || sign == "-",
                  let offset = Int32(rest.dropFirst()), offset >= 0 else { return nil }
            let n = sign == "+" ? start + offset : start - offset
            return (realTimeMin...realTimeMax).contains(n) ? n : nil
        }
        return nil
    }
}
