/// Typed node attributes as the fingerprint writes them: `.string("x")`, `.int(8, unit: "MB")`.
extension Attribute {
    /// `value` nil means no value is set (Nomad turns that into the empty string).
    public init(_ value: Value?, unit: String = "") {
        self.init(value: value, unit: unit)
    }

    public static func string(_ value: String) -> Attribute { Attribute(.stringVal(value)) }
    public static func int(_ value: Int64, unit: String = "") -> Attribute { Attribute(.intVal(value), unit: unit) }
    public static func float(_ value: Double, unit: String = "") -> Attribute { Attribute(.floatVal(value), unit: unit) }
    public static func bool(_ value: Bool) -> Attribute { Attribute(.boolVal(value)) }
}
