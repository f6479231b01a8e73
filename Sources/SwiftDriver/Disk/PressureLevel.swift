/// How badly a node's disk is filling. Ordered: `none < predicted < soft < hard`.
///
/// `predicted` is the mildest pressure: the disk still has room above every threshold, but at
/// its current fill rate it will be full within `disk.predict_horizon`.
public enum PressureLevel: String, Sendable, Comparable, CaseIterable {
    case none
    case predicted
    case soft
    case hard

    private var rank: Int {
        switch self {
        case .none: return 0
        case .predicted: return 1
        case .soft: return 2
        case .hard: return 3
        }
    }

    public static func < (lhs: PressureLevel, rhs: PressureLevel) -> Bool { lhs.rank < rhs.rank }
}
