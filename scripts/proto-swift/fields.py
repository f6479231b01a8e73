"""One field of a message: its Swift property (type, default) and the expressions that move its
value between the Swift struct and the protoc-c struct."""

import options
from model import DURATION, EMPTY, SCALARS, TIMESTAMP, WRAPPERS, F, GeneratorError
from names import c_field_name, escape, lower_camel, upper_camel

OPTIONAL, ALWAYS, REQUIRED = "optional", "always", "required"


class Value:
    """How one value of a type crosses between Swift and C (a field, an element, a map key/value)."""

    def __init__(self, model, field):
        self.model = model
        self.type = field.type
        self.type_name = field.type_name
        if field.type == F.TYPE_GROUP:
            raise GeneratorError(f"{field.name}: groups are not supported")
        if field.type == F.TYPE_MESSAGE and field.type_name in WRAPPERS:
            self.kind, self.swift = "wrapper", WRAPPERS[field.type_name] + "?"
        elif field.type == F.TYPE_MESSAGE and field.type_name == TIMESTAMP:
            self.kind, self.swift = "timestamp", "WireTimestamp"
        elif field.type == F.TYPE_MESSAGE and field.type_name == DURATION:
            self.kind, self.swift = "duration", "Duration"
        elif field.type == F.TYPE_MESSAGE:
            self.kind = "message"
            self.message = model.message(field.type_name)
            self.swift = self.message.swift_path
            if self.message.is_fieldless and self.message.full_name != EMPTY:
                # It is a typealias of Empty in Swift, but protoc-c gives it its own C struct.
                raise GeneratorError(f"{field.name}: a field of a field-less message type other than Empty is not supported")
        elif field.type == F.TYPE_ENUM:
            self.kind, self.swift = "enum", model.enum(field.type_name).swift_path
        elif field.type == F.TYPE_BOOL:
            self.kind, self.swift = "bool", "Bool"
        elif field.type == F.TYPE_STRING:
            self.kind, self.swift = "string", "String"
        elif field.type == F.TYPE_BYTES:
            self.kind, self.swift = "bytes", "[UInt8]"
        else:
            self.kind, self.swift = "scalar", SCALARS[field.type]

    @property
    def keeps_source(self):
        return self.kind == "message" and self.message.full_name in options.KEEPS_SOURCE_BYTES

    def default(self):
        """proto3's default: zero, empty, the enum's first value, the empty message."""
        if self.kind == "enum":
            return "." + self.model.enum_first_case(self.type_name)
        if self.kind == "message":
            return f"{self.swift}()"
        return {
            "wrapper": "nil", "timestamp": "WireTimestamp()", "duration": ".zero", "bool": "false",
            "string": '""', "bytes": "[]", "scalar": "0",
        }[self.kind]

    def read(self, c):
        """Swift value from C expression `c` (for messages: a non-null pointer)."""
        return {
            "wrapper": f"WireWrappers.read({c})",
            "timestamp": f"WireTimestamp({c})",
            "duration": f"WireDuration.read({c})",
            "bool": f"{c} != 0",
            "string": f"CRead.string({c})",
            "bytes": f"CRead.bytes({c})",
            "scalar": c,
            "enum": f"{self.swift}(rawValue: CRead.enumValue({c}))",
            "message": f"try {self.swift}({c}, source: nil)",
        }[self.kind]

    def write(self, value):
        """C value for Swift expression `value`."""
        return {
            "wrapper": f"WireWrappers.build({value}, in: arena)",
            "timestamp": f"{value}.build(in: arena)",
            "duration": f"WireDuration.build({value}, in: arena)",
            "bool": f"{value} ? 1 : 0",
            "string": f"arena.string({value})",
            "bytes": f"arena.bytes({value})",
            "scalar": value,
            "enum": f".init(rawValue: .init(truncatingIfNeeded: {value}.rawValue))",
            "message": f"{value}.build(in: arena)",
        }[self.kind]


class Field:
    def __init__(self, model, message, proto):
        self.model = model
        self.message = message
        self.proto = proto
        self.full_name = f"{message.full_name}.{proto.name}"
        self.name = lower_camel(proto.name)
        self.swift_name = escape(self.name)
        self.c = c_field_name(proto.name)
        self.number = proto.number
        if proto.proto3_optional:
            raise GeneratorError(f"{self.full_name}: proto3 `optional` is not supported yet")
        self.repeated = proto.label == F.LABEL_REPEATED
        self.map_entry = None
        if self.repeated and proto.type == F.TYPE_MESSAGE:
            target = model.message(proto.type_name)
            if target.is_map_entry:
                self.map_entry = target
        if self.map_entry is not None:
            key_field, value_field = self.map_entry.proto.field
            self.key = Value(model, key_field)
            self.value = Value(model, value_field)
            if self.key.kind not in ("string", "scalar"):
                raise GeneratorError(f"{self.full_name}: map keys of this type are not supported")
        else:
            self.value = Value(model, proto)
        if self.full_name in options.REQUIRED:
            self.mode = REQUIRED
        elif self.full_name in options.ALWAYS_SENT:
            self.mode = ALWAYS
        else:
            self.mode = OPTIONAL
        if self.value.keeps_source and (self.repeated or self.map_entry or proto.HasField("oneof_index")):
            raise GeneratorError(f"{self.full_name}: a message that keeps its bytes can only be a singular field")

    @property
    def is_singular_message(self):
        return not self.repeated and self.value.kind == "message"

    def swift_type(self):
        if self.map_entry is not None:
            return f"[{self.key.swift}: {self.value.swift}]"
        if self.repeated:
            return f"[{self.value.swift}]"
        if self.is_singular_message and self.mode == OPTIONAL:
            return f"{self.value.swift}?"
        return self.value.swift

    def default(self):
        """The memberwise init's default, or None when the caller must pass a value."""
        if self.mode == REQUIRED:
            return None
        if self.map_entry is not None:
            return "[:]"
        if self.repeated:
            return "[]"
        if self.is_singular_message and self.mode == OPTIONAL:
            return "nil"
        return self.value.default()

    def decode(self):
        """Statements that set `self.<name>` from `c` (the C struct) and `source`."""
        target = f"self.{self.swift_name}"
        missing = f"WireDecodingError(messageName: Self.wireName)"
        if self.map_entry is not None:
            key = self.key.read("entry.pointee.key")
            if self.value.kind == "message":
                fallback = f"throw {missing}" if self.mode == REQUIRED else f"return ({key}, {self.value.swift}())"
                return [
                    f"{target} = try CRead.map(c.{self.c}, c.n_{self.c}) {{ (entry) throws(WireDecodingError) in",
                    f"    guard let value = entry.pointee.value else {{ {fallback} }}",
                    f"    return ({key}, try {self.value.swift}(value, source: nil))",
                    "}",
                ]
            value = self.value.read("entry.pointee.value")
            return [f"{target} = try CRead.map(c.{self.c}, c.n_{self.c}) {{ (entry) throws(WireDecodingError) in ({key}, {value}) }}"]
        if self.repeated:
            kind = self.value.kind
            items = f"CRead.array(c.{self.c}, c.n_{self.c})"
            if kind == "message":
                return [f"{target} = try CRead.messages(c.{self.c}, c.n_{self.c}) {{ (item) throws(WireDecodingError) in try {self.value.swift}(item, source: nil) }}"]
            if kind == "scalar":
                return [f"{target} = {items}"]
            if kind == "string":
                return [f"{target} = CRead.strings(c.{self.c}, c.n_{self.c})"]
            if kind in ("bool", "bytes", "enum"):
                return [f"{target} = {items}.map {{ {self.value.read('$0')} }}"]
            raise GeneratorError(f"{self.full_name}: repeated {kind} is not supported")
        if self.value.kind == "message":
            if self.value.message.full_name in options.KEEPS_SOURCE_BYTES or self.model.needs_source(self.value.message):
                source = f"source.flatMap {{ RawFieldScanner.singlePayload(of: {self.number}, in: $0) }}"
            else:
                source = "nil"
            read = f"{{ (pointer) throws(WireDecodingError) in try {self.value.swift}(pointer, source: {source}) }}"
            if self.mode == REQUIRED:
                return [f"{target} = try CRead.required(c.{self.c}, in: Self.wireName) {read}"]
            if self.mode == ALWAYS:
                return [f"{target} = try CRead.message(c.{self.c}) {read} ?? {self.value.swift}()"]
            return [f"{target} = try CRead.message(c.{self.c}) {read}"]
        return [f"{target} = {self.value.read('c.' + self.c)}"]

    def encode(self):
        """Statements that fill `message.pointee` from `self`."""
        value = f"self.{self.swift_name}"
        m = "message.pointee"
        if self.map_entry is not None:
            entry = self.map_entry.c_prefix
            return [
                f"{m}.n_{self.c} = {value}.count",
                f"{m}.{self.c} = arena.entries({value}, {entry}__init) {{ entry, key, value in",
                f"    entry.pointee.key = {self.key.write('key')}",
                f"    entry.pointee.value = {self.value.write('value')}",
                "}",
            ]
        if self.repeated:
            kind = self.value.kind
            if kind == "scalar":
                items = f"arena.array({value})"
            elif kind == "string":
                items = f"arena.strings({value})"
            elif kind == "message":
                items = f"arena.array({value}.map {{ Optional($0.build(in: arena)) }})"
            else:
                items = f"arena.array({value}.map {{ {self.value.write('$0')} }})"
            return [f"{m}.n_{self.c} = {value}.count", f"{m}.{self.c} = {items}"]
        if self.value.keeps_source:
            embed = f"embed(asField: {self.number}, of: &{m}.base, in: arena)"
            if self.mode == OPTIONAL:
                return [f"{m}.{self.c} = {value}.flatMap {{ $0.{embed} }}"]
            return [f"{m}.{self.c} = {value}.{embed}"]
        if self.is_singular_message and self.mode == OPTIONAL:
            return [f"{m}.{self.c} = {value}?.build(in: arena)"]
        return [f"{m}.{self.c} = {self.value.write(value)}"]


class Oneof:
    """A oneof: a Swift enum with one case per member, and a property holding at most one."""

    def __init__(self, model, message, index, members):
        self.message = message
        self.index = index
        self.proto = message.proto.oneof_decl[index]
        self.full_name = f"{message.full_name}.{self.proto.name}"
        self.name = lower_camel(self.proto.name)
        self.swift_name = escape(self.name)
        self.enum_name = upper_camel(self.proto.name)
        self.c_case = c_field_name(self.proto.name) + "_case"
        self.members = members
        self.mode = REQUIRED if self.full_name in options.REQUIRED else OPTIONAL
        for member in members:
            if member.value.kind in ("timestamp", "duration", "wrapper"):
                raise GeneratorError(f"{member.full_name}: well-known types in a oneof are not supported")

    def swift_type(self):
        return f"{self.message.swift_path}.{self.enum_name}" + ("" if self.mode == REQUIRED else "?")

    def default(self):
        return None if self.mode == REQUIRED else "nil"

    def declaration(self):
        indirect = "indirect " if any(m.value.kind == "message" for m in self.members) else ""
        lines = [f"public {indirect}enum {self.enum_name}: Sendable, Equatable {{"]
        for member in self.members:
            lines.append(f"    case {member.swift_name}({member.value.swift})")
        lines.append("}")
        return lines

    def decode(self):
        lines = [f"switch c.{self.c_case}.rawValue {{"]
        for member in self.members:
            if member.value.kind == "message":
                read = (f"try CRead.required(c.{member.c}, in: Self.wireName) "
                        f"{{ (pointer) throws(WireDecodingError) in try {member.value.swift}(pointer, source: nil) }}")
            else:
                read = member.value.read("c." + member.c)
            lines.append(f"case {member.number}: self.{self.swift_name} = .{member.swift_name}({read})")
        if self.mode == REQUIRED:
            lines.append("default: throw WireDecodingError(messageName: Self.wireName)")
        else:
            lines.append(f"default: self.{self.swift_name} = nil")
        lines.append("}")
        return lines

    def encode(self):
        optional = "?" if self.mode == OPTIONAL else ""
        lines = [f"switch self.{self.swift_name} {{"]
        for member in self.members:
            lines.append(f"case .{member.swift_name}(let value){optional}:")
            lines.append(f"    message.pointee.{self.c_case} = .init(rawValue: {member.number})")
            lines.append(f"    message.pointee.{member.c} = {member.value.write('value')}")
        if self.mode == OPTIONAL:
            lines.append("case nil:")
            lines.append("    break")
        lines.append("}")
        return lines
