"""Swift message types over protoc-c, generated from a FileDescriptorSet.

    generate.py DESCRIPTOR_SET OUT_DIR FILE.proto...

DESCRIPTOR_SET is `protoc --include_imports --include_source_info --descriptor_set_out`; one Swift
file is written into OUT_DIR per named .proto file (and stale ones there are removed). Run by
scripts/generate-proto with Debian's python3-protobuf (/usr/bin/python3)."""

import os
import sys

from google.protobuf import descriptor_pb2 as pb

from emit import emit_file
from fields import ALWAYS, REQUIRED, Field
from model import F, GeneratorError, Model


def swift_file_name(proto_name):
    return proto_name[: -len(".proto")].replace("/", "_") + ".pb.swift"


def write_if_changed(path, text):
    """An unchanged file keeps its modification time, so regenerating does not rebuild it."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def check(model):
    """What would compile into broken Swift, refused here with a reason instead."""
    by_value = {}
    for message in model.messages.values():
        if not model.is_generated_file(message.file) or message.is_map_entry or model.is_wellknown_value(message):
            continue
        edges = by_value.setdefault(message.full_name, set())
        for proto in message.proto.field:
            if proto.type != F.TYPE_MESSAGE or proto.HasField("oneof_index"):
                continue  # oneof enums are indirect, so they break cycles
            field = Field(model, message, proto)
            if field.repeated or field.value.kind != "message":
                continue
            edges.add(field.value.message.full_name)
            if field.mode == ALWAYS and any(
                Field(model, field.value.message, p).mode == REQUIRED for p in field.value.message.proto.field
            ):
                raise GeneratorError(f"{field.full_name} is always sent, but its type has required fields (no default)")

    def visit(name, stack):
        if name in stack:
            raise GeneratorError("a message contains itself by value: " + " -> ".join(stack + [name]))
        for target in sorted(by_value.get(name, ())):
            visit(target, stack + [name])

    for name in sorted(by_value):
        visit(name, [])


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    descriptor_set = pb.FileDescriptorSet()
    with open(argv[1], "rb") as f:
        descriptor_set.ParseFromString(f.read())
    out_dir, wanted = argv[2], argv[3:]
    model = Model(descriptor_set, wanted)
    missing = [name for name in wanted if name not in model.files]
    if missing:
        raise GeneratorError(f"not in the descriptor set: {', '.join(missing)}")
    check(model)

    os.makedirs(out_dir, exist_ok=True)
    written = set()
    for name in sorted(wanted):
        target = swift_file_name(name)
        write_if_changed(os.path.join(out_dir, target), emit_file(model, model.files[name]))
        written.add(target)
    for stale in sorted(set(os.listdir(out_dir)) - written):
        if stale.endswith(".swift"):
            os.remove(os.path.join(out_dir, stale))
    print(f"proto-swift: wrote {len(written)} Swift files into {out_dir}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except GeneratorError as error:
        sys.stderr.write(f"proto-swift: {error}\n")
        sys.exit(1)
