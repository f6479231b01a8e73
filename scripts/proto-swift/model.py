"""The descriptor set as the generator sees it: every message and enum by full name, the Swift
name each gets, and the doc comments protoc recorded (--include_source_info)."""

from google.protobuf import descriptor_pb2 as pb

import options
from names import c_function_prefix, c_struct_name, escape, lower_camel

F = pb.FieldDescriptorProto

# Well-known types that become Swift values instead of generated structs.
TIMESTAMP = ".google.protobuf.Timestamp"
DURATION = ".google.protobuf.Duration"
WRAPPERS = {
    ".google.protobuf.DoubleValue": "Double",
    ".google.protobuf.FloatValue": "Float",
    ".google.protobuf.Int64Value": "Int64",
    ".google.protobuf.UInt64Value": "UInt64",
    ".google.protobuf.Int32Value": "Int32",
    ".google.protobuf.UInt32Value": "UInt32",
    ".google.protobuf.BoolValue": "Bool",
    ".google.protobuf.StringValue": "String",
    ".google.protobuf.BytesValue": "[UInt8]",
}
EMPTY = "google.protobuf.Empty"

SCALARS = {
    F.TYPE_DOUBLE: "Double", F.TYPE_FLOAT: "Float",
    F.TYPE_INT64: "Int64", F.TYPE_SFIXED64: "Int64", F.TYPE_SINT64: "Int64",
    F.TYPE_UINT64: "UInt64", F.TYPE_FIXED64: "UInt64",
    F.TYPE_INT32: "Int32", F.TYPE_SFIXED32: "Int32", F.TYPE_SINT32: "Int32",
    F.TYPE_UINT32: "UInt32", F.TYPE_FIXED32: "UInt32",
}


class GeneratorError(Exception):
    pass


class Message:
    def __init__(self, proto, full_name, file, path, parent):
        self.proto = proto
        self.full_name = full_name
        self.file = file
        self.path = path  # SourceCodeInfo path, for comments
        self.parent = parent
        self.swift_name = None  # the last component
        self.swift_path = None  # as referenced from anywhere in the module
        self.c_struct = c_struct_name(full_name)
        self.c_prefix = c_function_prefix(full_name)

    @property
    def is_map_entry(self):
        return self.proto.options.map_entry

    @property
    def is_fieldless(self):
        return not self.proto.field


class Enum:
    def __init__(self, proto, full_name, file, path, parent):
        self.proto = proto
        self.full_name = full_name
        self.file = file
        self.path = path
        self.parent = parent
        self.swift_name = None
        self.swift_path = None


class Model:
    def __init__(self, descriptor_set, generated_files):
        self.files = {f.name: f for f in descriptor_set.file}
        # The .proto files that get Swift output (the rest are only imported).
        self.generated_files = set(generated_files)
        self.messages = {}
        self.enums = {}
        self.comments = {}
        for file in descriptor_set.file:
            for location in file.source_code_info.location:
                if location.leading_comments:
                    self.comments[(file.name, tuple(location.path))] = location.leading_comments
            package = file.package
            for i, message in enumerate(file.message_type):
                self._add_message(message, f"{package}.{message.name}", file, (4, i), None)
            for i, enum in enumerate(file.enum_type):
                self._add_enum(enum, f"{package}.{enum.name}", file, (5, i), None)
        self._name_types()
        self._check_options()

    def _add_message(self, proto, full_name, file, path, parent):
        message = Message(proto, full_name, file, path, parent)
        self.messages[full_name] = message
        for i, nested in enumerate(proto.nested_type):
            self._add_message(nested, f"{full_name}.{nested.name}", file, path + (3, i), message)
        for i, enum in enumerate(proto.enum_type):
            self._add_enum(enum, f"{full_name}.{enum.name}", file, path + (4, i), message)

    def _add_enum(self, proto, full_name, file, path, parent):
        self.enums[full_name] = Enum(proto, full_name, file, path, parent)

    def _name_types(self):
        top_level = {}
        for item in list(self.messages.values()) + list(self.enums.values()):
            short = item.full_name.rsplit(".", 1)[1]
            if item.parent is None:
                prefix = options.PACKAGE_PREFIXES.get(item.file.package, "")
                item.swift_name = options.TYPE_NAMES.get(item.full_name, prefix + short)
                item.swift_path = item.swift_name
            else:
                item.swift_name = options.TYPE_NAMES.get(item.full_name, short)
        for item in list(self.messages.values()) + list(self.enums.values()):
            if item.parent is not None:
                item.swift_path = self._path_of(item)
            elif self.is_generated_file(item.file) and not self.is_wellknown_value(item):
                other = top_level.setdefault(item.swift_name, item.full_name)
                # A field-less message named Empty (go-plugin's) is google.protobuf.Empty in Swift.
                fieldless = all(self.messages.get(n) is not None and self.messages[n].is_fieldless for n in (other, item.full_name))
                if other != item.full_name and not (item.swift_name == "Empty" and fieldless):
                    raise GeneratorError(f"{item.full_name} and {other} both become Swift type {item.swift_name}")

    def _path_of(self, item):
        return item.swift_name if item.parent is None else f"{self._path_of(item.parent)}.{item.swift_name}"

    def is_wellknown_value(self, item):
        return "." + item.full_name in (TIMESTAMP, DURATION, *WRAPPERS)

    def is_generated_file(self, file):
        return file.name in self.generated_files

    def _check_options(self):
        fields = set()
        for message in self.messages.values():
            for field in message.proto.field:
                fields.add(f"{message.full_name}.{field.name}")
            for oneof in message.proto.oneof_decl:
                fields.add(f"{message.full_name}.{oneof.name}")
        for name in options.ALWAYS_SENT | options.REQUIRED:
            if name not in fields:
                raise GeneratorError(f"options.py names {name}, which no .proto declares")
        for name in options.KEEPS_SOURCE_BYTES | set(options.TYPE_NAMES):
            if name not in self.messages and name not in self.enums:
                raise GeneratorError(f"options.py names type {name}, which no .proto declares")

    def enum_first_case(self, type_name):
        """The Swift case of an enum's first value, which proto3 makes its default (0)."""
        return escape(lower_camel(self.enum(type_name).proto.value[0].name))

    def needs_source(self, message):
        """Whether decoding `message` wants its own bytes: it keeps them, or a singular field of
        it (at any depth) holds a message that does."""
        memo = self.__dict__.setdefault("_needs_source", {})
        if message.full_name not in memo:
            memo[message.full_name] = False  # cycles: assume no until shown otherwise
            result = message.full_name in options.KEEPS_SOURCE_BYTES or any(
                self.needs_source(self.message(f.type_name))
                for f in message.proto.field
                if f.type == F.TYPE_MESSAGE and f.label != F.LABEL_REPEATED and not f.HasField("oneof_index")
                and f.type_name.lstrip(".") in self.messages and not self.is_wellknown_value(self.message(f.type_name)))
            memo[message.full_name] = result
        return memo[message.full_name]

    def message(self, type_name):
        return self.messages[type_name.lstrip(".")]

    def enum(self, type_name):
        return self.enums[type_name.lstrip(".")]

    def comment(self, item_file, path):
        return self.comments.get((item_file.name, tuple(path)))
