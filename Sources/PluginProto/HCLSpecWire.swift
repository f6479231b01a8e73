import PluginProtoC

/// `HCLSpec` <-> `hashicorp.nomad.plugins.shared.hclspec.Spec`.
extension HCLSpec: WireMessage {
    static let wireName = "hashicorp.nomad.plugins.shared.hclspec.Spec"

    public init(wireBytes: [UInt8]) throws(WireDecodingError) {
        self = try WireCodec.unpack(
            wireBytes, name: HCLSpec.wireName,
            unpack: hashicorp__nomad__plugins__shared__hclspec__spec__unpack,
            free: hashicorp__nomad__plugins__shared__hclspec__spec__free_unpacked
        ) { (c: CSpec) throws(WireDecodingError) in try HCLSpec(c) }
    }

    public func wireBytes() -> [UInt8] {
        WireCodec.pack(
            { build(in: $0) },
            size: hashicorp__nomad__plugins__shared__hclspec__spec__get_packed_size,
            pack: hashicorp__nomad__plugins__shared__hclspec__spec__pack
        )
    }

    // swiftlint:disable:next function_body_length
    func build(in arena: CArena) -> UnsafeMutablePointer<CSpec> {
        let spec = arena.message(hashicorp__nomad__plugins__shared__hclspec__spec__init)
        switch self {
        case .object(let attributes):
            let object = arena.message(hashicorp__nomad__plugins__shared__hclspec__object__init)
            // Sorted so the same spec always encodes to the same bytes.
            let entries = attributes.keys.sorted().map { key in
                let entry = arena.message(hashicorp__nomad__plugins__shared__hclspec__object__attributes_entry__init)
                entry.pointee.key = arena.string(key)
                entry.pointee.value = attributes[key]?.build(in: arena)
                return Optional(entry)
            }
            object.pointee.n_attributes = entries.count
            object.pointee.attributes = arena.array(entries)
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_OBJECT
            spec.pointee.object = object
        case .array(let values):
            let array = arena.message(hashicorp__nomad__plugins__shared__hclspec__array__init)
            array.pointee.n_values = values.count
            array.pointee.values = arena.array(values.map { Optional($0.build(in: arena)) })
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_ARRAY
            spec.pointee.array = array
        case .attr(let name, let type, let required):
            let attr = arena.message(hashicorp__nomad__plugins__shared__hclspec__attr__init)
            attr.pointee.name = arena.string(name)
            attr.pointee.type = arena.string(type)
            attr.pointee.required = required ? 1 : 0
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_ATTR
            spec.pointee.attr = attr
        case .block(let name, let required, let nested):
            let block = arena.message(hashicorp__nomad__plugins__shared__hclspec__block__init)
            block.pointee.name = arena.string(name)
            block.pointee.required = required ? 1 : 0
            block.pointee.nested = nested.build(in: arena)
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_VALUE
            spec.pointee.block_value = block
        case .blockAttrs(let name, let type, let required):
            let attrs = arena.message(hashicorp__nomad__plugins__shared__hclspec__block_attrs__init)
            attrs.pointee.name = arena.string(name)
            attrs.pointee.type = arena.string(type)
            attrs.pointee.required = required ? 1 : 0
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_ATTRS
            spec.pointee.block_attrs = attrs
        case .blockList(let name, let minItems, let maxItems, let nested):
            let list = arena.message(hashicorp__nomad__plugins__shared__hclspec__block_list__init)
            list.pointee.name = arena.string(name)
            list.pointee.min_items = minItems
            list.pointee.max_items = maxItems
            list.pointee.nested = nested.build(in: arena)
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_LIST
            spec.pointee.block_list = list
        case .blockSet(let name, let minItems, let maxItems, let nested):
            let set = arena.message(hashicorp__nomad__plugins__shared__hclspec__block_set__init)
            set.pointee.name = arena.string(name)
            set.pointee.min_items = minItems
            set.pointee.max_items = maxItems
            set.pointee.nested = nested.build(in: arena)
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_SET
            spec.pointee.block_set = set
        case .blockMap(let name, let labels, let nested):
            let map = arena.message(hashicorp__nomad__plugins__shared__hclspec__block_map__init)
            map.pointee.name = arena.string(name)
            map.pointee.n_labels = labels.count
            map.pointee.labels = arena.strings(labels)
            map.pointee.nested = nested.build(in: arena)
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_MAP
            spec.pointee.block_map = map
        case .default(let primary, let fallback):
            let value = arena.message(hashicorp__nomad__plugins__shared__hclspec__default__init)
            value.pointee.primary = primary.build(in: arena)
            value.pointee.default_ = fallback.build(in: arena)
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_DEFAULT
            spec.pointee.default_ = value
        case .literal(let expression):
            let literal = arena.message(hashicorp__nomad__plugins__shared__hclspec__literal__init)
            literal.pointee.value = arena.string(expression)
            spec.pointee.block_case = HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_LITERAL
            spec.pointee.literal = literal
        }
        return spec
    }

    /// Decodes a spec tree; a node with no variant set, or a missing required child, is malformed.
    init(_ c: CSpec) throws(WireDecodingError) {
        let malformed = WireDecodingError(messageName: HCLSpec.wireName)
        func child(_ pointer: UnsafeMutablePointer<CSpec>?) throws(WireDecodingError) -> HCLSpec {
            guard let pointer else { throw malformed }
            return try HCLSpec(pointer.pointee)
        }
        switch c.block_case {
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_OBJECT:
            guard let object = c.object?.pointee else { throw malformed }
            var attributes: [String: HCLSpec] = [:]
            for entry in CRead.messages(object.attributes, object.n_attributes) {
                attributes[CRead.string(entry.key)] = try child(entry.value)
            }
            self = .object(attributes)
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_ARRAY:
            guard let array = c.array?.pointee else { throw malformed }
            var values: [HCLSpec] = []
            for value in CRead.array(array.values, array.n_values) { values.append(try child(value)) }
            self = .array(values)
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_ATTR:
            guard let attr = c.attr?.pointee else { throw malformed }
            self = .attr(name: CRead.string(attr.name), type: CRead.string(attr.type), required: attr.required != 0)
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_VALUE:
            guard let block = c.block_value?.pointee else { throw malformed }
            self = .block(name: CRead.string(block.name), required: block.required != 0, nested: try child(block.nested))
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_ATTRS:
            guard let attrs = c.block_attrs?.pointee else { throw malformed }
            self = .blockAttrs(name: CRead.string(attrs.name), type: CRead.string(attrs.type), required: attrs.required != 0)
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_LIST:
            guard let list = c.block_list?.pointee else { throw malformed }
            self = .blockList(
                name: CRead.string(list.name), minItems: list.min_items, maxItems: list.max_items,
                nested: try child(list.nested))
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_SET:
            guard let set = c.block_set?.pointee else { throw malformed }
            self = .blockSet(
                name: CRead.string(set.name), minItems: set.min_items, maxItems: set.max_items,
                nested: try child(set.nested))
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_BLOCK_MAP:
            guard let map = c.block_map?.pointee else { throw malformed }
            self = .blockMap(
                name: CRead.string(map.name), labels: CRead.strings(map.labels, map.n_labels),
                nested: try child(map.nested))
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_DEFAULT:
            guard let value = c.default_?.pointee else { throw malformed }
            self = .default(primary: try child(value.primary), default: try child(value.default_))
        case HASHICORP__NOMAD__PLUGINS__SHARED__HCLSPEC__SPEC__BLOCK_LITERAL:
            guard let literal = c.literal?.pointee else { throw malformed }
            self = .literal(CRead.string(literal.value))
        default:
            throw malformed
        }
    }
}
