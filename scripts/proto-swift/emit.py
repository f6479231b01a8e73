"""Swift source for one .proto file: a struct per message (with its decode and encode over the
protoc-c struct), an enum per proto enum, nested types nested."""

import options
from fields import Field, Oneof
from model import EMPTY, GeneratorError
from names import escape, lower_camel

INDENT = "    "


def doc_lines(model, item_file, path):
    # Only our own .proto files: the well-known types' comments are long and about other languages.
    comment = None if item_file.name.startswith("google/protobuf/") else model.comment(item_file, path)
    if not comment:
        return []
    lines = [line[1:] if line.startswith(" ") else line for line in comment.rstrip().split("\n")]
    return ["///" + (" " + line.rstrip() if line.strip() else "") for line in lines]


def indent(lines, depth=1):
    return [(INDENT * depth + line) if line else "" for line in lines]


def emit_enum(model, enum):
    values = list(enum.proto.value)
    if not values or values[0].number != 0:
        raise GeneratorError(f"{enum.full_name}: a proto3 enum starts with 0")
    cases, aliases, seen = [], [], {}
    for value in values:
        name = escape(lower_camel(value.name))
        if value.number in seen:
            aliases.append((name, seen[value.number]))
        else:
            seen[value.number] = name
            cases.append((name, value.number))
    lines = doc_lines(model, enum.file, enum.path)
    lines.append(f"public enum {enum.swift_name}: RawRepresentable, Sendable, Equatable, Hashable {{")
    body = [f"case {name}" for name, _ in cases]
    body.append("/// A value this contract does not name, kept so that it survives a round trip.")
    body.append("case unrecognized(Int32)")
    for alias, target in aliases:
        body += ["", f"public static var {alias}: Self {{ .{target} }}"]
    body += ["", "public init(rawValue: Int32) {", INDENT + "switch rawValue {"]
    body += [f"{INDENT}case {number}: self = .{name}" for name, number in cases]
    body += [INDENT + "default: self = .unrecognized(rawValue)", INDENT + "}", "}"]
    body += ["", "public var rawValue: Int32 {", INDENT + "switch self {"]
    body += [f"{INDENT}case .{name}: {number}" for name, number in cases]
    body += [INDENT + "case .unrecognized(let value): value", INDENT + "}", "}"]
    lines += indent(body)
    lines.append("}")
    return lines


def keeps_source(message):
    return message.full_name in options.KEEPS_SOURCE_BYTES


def emit_message(model, message):
    if message.is_map_entry:
        return []
    lines = doc_lines(model, message.file, message.path)
    if message.is_fieldless and message.full_name != EMPTY:
        # Every field-less message encodes to zero bytes: one Swift type serves them all.
        if message.swift_name == "Empty":
            return []
        return lines + [f"public typealias {message.swift_name} = Empty"]
    # protoc-c gives only top-level messages their own pack and unpack functions.
    top_level = message.parent is None
    if keeps_source(message) and not top_level:
        raise GeneratorError(f"{message.full_name}: only a top-level message can keep its bytes")
    keeps = keeps_source(message)
    # Properties in .proto order; a oneof takes the place of its first member.
    oneofs, members = {}, []
    for proto in message.proto.field:
        field = Field(model, message, proto)
        if proto.HasField("oneof_index"):
            oneofs.setdefault(proto.oneof_index, []).append(field)
            if len(oneofs[proto.oneof_index]) == 1:
                members.append(("oneof", proto.oneof_index))
        else:
            members.append(("field", field))
    oneof_objects = {i: Oneof(model, message, i, f) for i, f in oneofs.items()}
    properties = [oneof_objects[m] if kind == "oneof" else m for kind, m in members]
    # A property's comment sits on its field in the .proto.
    field_paths = {f.name: message.path + (2, i) for i, f in enumerate(message.proto.field)}

    conformances = "WireMessage, Equatable" if top_level else "Sendable, Equatable"
    lines.append(f"public struct {message.swift_name}: {conformances} {{")
    body = [f'public static var wireName: String {{ "{message.full_name}" }}']
    for nested in message.proto.enum_type:
        body += [""] + emit_enum(model, model.enums[f"{message.full_name}.{nested.name}"])
    for nested in message.proto.nested_type:
        nested_lines = emit_message(model, model.messages[f"{message.full_name}.{nested.name}"])
        if nested_lines:
            body += [""] + nested_lines
    for oneof in oneof_objects.values():
        body += [""] + oneof.declaration()

    body.append("")
    binding = "let" if keeps else "var"
    for prop in properties:
        if isinstance(prop, Field):
            body += doc_lines(model, message.file, field_paths[prop.proto.name])
        else:
            body += doc_lines(model, message.file, message.path + (8, prop.index))
        body.append(f"public {binding} {prop.swift_name}: {prop.swift_type()}")
    if keeps:
        body.append("/// The protobuf bytes this value was decoded from (nil when built in Swift); encoding")
        body.append("/// re-emits them unchanged.")
        body.append("public let rawBytes: [UInt8]?")

    # Memberwise init: every field in .proto order, defaulted unless required.
    params = []
    for prop in properties:
        default = prop.default()
        params.append(f"{prop.swift_name}: {prop.swift_type()}" + (f" = {default}" if default is not None else ""))
    body.append("")
    if params:
        body.append("public init(")
        body += [INDENT + p + ("," if i < len(params) - 1 else "") for i, p in enumerate(params)]
        body.append(") {")
    else:
        body.append("public init() {")
    body += [INDENT + f"self.{p.swift_name} = {p.swift_name}" for p in properties]
    if keeps:
        body.append(INDENT + "self.rawBytes = nil")
    body.append("}")

    if keeps:
        compared = [f"lhs.{p.swift_name} == rhs.{p.swift_name}" for p in properties] or ["true"]
        body += [
            "",
            "/// Compares the fields; `rawBytes` is the wire form of the same value, not part of it.",
            "public static func == (lhs: Self, rhs: Self) -> Bool {",
            INDENT + compared[0],
        ]
        body += [INDENT * 2 + "&& " + term for term in compared[1:]]
        body.append("}")

    body += emit_codec(model, message, properties, keeps, top_level)
    lines += indent(body)
    lines.append("}")
    return lines


def emit_codec(model, message, properties, keeps, top_level):
    c_prefix = message.c_prefix
    body = []
    if top_level:
        body += [
            "",
            "public init(wireBytes: [UInt8]) throws(WireDecodingError) {",
            INDENT + "self = try WireCodec.unpack(",
            INDENT * 2 + f"wireBytes, name: Self.wireName, unpack: {c_prefix}__unpack, free: {c_prefix}__free_unpacked",
            INDENT + f") {{ (pointer) throws(WireDecodingError) in try {message.swift_path}(pointer, source: wireBytes[...]) }}",
            "}",
            "",
            "public func wireBytes() -> [UInt8] {",
        ]
        if keeps:
            body.append(INDENT + "if let rawBytes { return rawBytes }")
        body += [
            INDENT + f"return WireCodec.pack({{ build(in: $0) }}, size: {c_prefix}__get_packed_size, pack: {c_prefix}__pack)",
            "}",
        ]
    body += [
        "",
        "/// `source`: this message's own encoding when known, for sub-messages that keep their bytes.",
        f"init(_ pointer: UnsafeMutablePointer<{message.c_struct}>, source: ArraySlice<UInt8>?) throws(WireDecodingError) {{",
    ]
    decode = []
    if properties or keeps:
        decode.append("let c = pointer.pointee")
    if keeps:
        decode.append("self.rawBytes = source.map { Array($0) }")
        decode.append(INDENT + f"?? WireCodec.repack(pointer, size: {c_prefix}__get_packed_size, pack: {c_prefix}__pack)")
    for prop in properties:
        decode += prop.decode()
    body += indent(decode) + ["}"]

    body += ["", f"func build(in arena: CArena) -> UnsafeMutablePointer<{message.c_struct}> {{"]
    build = [f"let message = arena.message({c_prefix}__init)"]
    for prop in properties:
        build += prop.encode()
    build.append("return message")
    body += indent(build) + ["}"]

    if keeps:
        body += [
            "",
            "/// Puts this value into field `number` of a message being built: as its original bytes when",
            "/// there are any (attached raw, so protobuf-c emits them unchanged), otherwise as a struct.",
            f"func embed(asField number: UInt32, of base: inout ProtobufCMessage, in arena: CArena)",
            INDENT + f"-> UnsafeMutablePointer<{message.c_struct}>?",
            "{",
            INDENT + "guard let rawBytes else { return build(in: arena) }",
            INDENT + "arena.attach([arena.rawMessageField(number: number, payload: rawBytes)], to: &base)",
            INDENT + "return nil",
            "}",
        ]
    return body


def emit_file(model, file):
    lines = [
        f"// Generated by scripts/generate-proto (scripts/proto-swift) from {file.name}. Do not edit:",
        "// change the .proto file or scripts/proto-swift/options.py and regenerate.",
        "",
        "import PluginProtoC",
    ]
    for enum in file.enum_type:
        lines += [""] + emit_enum(model, model.enums[f"{file.package}.{enum.name}"])
    for message in file.message_type:
        item = model.messages[f"{file.package}.{message.name}"]
        if model.is_wellknown_value(item):
            continue
        lines += [""] + emit_message(model, item)
    return "\n".join(lines) + "\n"
