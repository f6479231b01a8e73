/// How badly a node's disk is filling. Ordered: `none < soft < hard`.
public enum PressureLevel: String, Sendable, Comparable, CaseIterable {
    case none
    case soft
    case hard

    private var rank: Int {
        switch self {
        case .none: return 0
        case .soft: return 1
        case .hard: return 2
        }
    }

    public static func < (lhs: PressureLevel, rhs: PressureLevel) -> Bool { lhs.rank < rhs.rank }
}
