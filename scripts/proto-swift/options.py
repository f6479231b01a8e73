"""What the generator cannot read from the .proto files: the Swift shape the rest of SwiftDriver
wants for a few fields and types. Every entry is a full protobuf name; the generator refuses names
that do not exist, so a stale entry fails loudly instead of silently doing nothing."""

DRIVERS = "hashicorp.nomad.plugins.drivers.proto."
HCLSPEC = "hashicorp.nomad.plugins.shared.hclspec."
DEVICE = "hashicorp.nomad.plugins.device."

# Sub-messages Nomad dereferences without a nil check: a non-optional Swift property, encoded even
# when every value in it is zero, and decoded as the empty message when the peer left it out.
ALWAYS_SENT = {
    DRIVERS + "CapabilitiesResponse.capabilities",
    DRIVERS + "RecoverTaskRequest.handle",
    DRIVERS + "StartTaskRequest.task",
    DRIVERS + "StartTaskResponse.handle",
    DRIVERS + "WaitTaskResponse.result",
    DRIVERS + "InspectTaskResponse.task",
    DRIVERS + "InspectTaskResponse.driver",
    DRIVERS + "TaskStatsResponse.stats",
    DRIVERS + "ExecTaskResponse.result",
    DRIVERS + "TaskHandle.config",
    DRIVERS + "TaskStatus.result",
    DRIVERS + "TaskStats.agg_resource_usage",
    DRIVERS + "TaskResourceUsage.cpu",
    DRIVERS + "TaskResourceUsage.memory",
}

# Fields (or oneofs, or maps whose values are messages) without which the message means nothing:
# a non-optional Swift property with no default, and decoding throws WireDecodingError when the
# bytes leave it out. The HCL spec tree is the case: Nomad cannot build a decoder from a hole.
REQUIRED = {
    DRIVERS + "TaskConfigSchemaResponse.spec",
    HCLSPEC + "Spec.block",
    HCLSPEC + "Block.nested",
    HCLSPEC + "BlockList.nested",
    HCLSPEC + "BlockSet.nested",
    HCLSPEC + "BlockMap.nested",
    HCLSPEC + "Default.primary",
    HCLSPEC + "Default.default",
    HCLSPEC + "Object.attributes",
}

# Messages that keep the exact bytes they were decoded from and encode back to them (`rawBytes`),
# also when nested in another message. Nomad stores the TaskConfig it sent inside the TaskHandle
# the driver returns, and compares it: fields we do not model, unknown fields and field order
# must all survive. Their Swift properties are immutable so the two views cannot drift apart.
KEEPS_SOURCE_BYTES = {
    DRIVERS + "TaskConfig",
}

# Swift names that are not the protobuf name (flattened into the module namespace).
TYPE_NAMES = {
    "google.rpc.Status": "RPCStatus",
    "google.protobuf.Any": "AnyMessage",
    DRIVERS + "ExecTaskStreamingIOOperation": "ExecIOOperation",
    DRIVERS + "CPUUsage.Fields": "Field",
    DRIVERS + "MemoryUsage.Fields": "Field",
    HCLSPEC + "Spec": "HCLSpec",
    # The device service's messages that share a name with the driver service's.
    DEVICE + "FingerprintRequest": "DeviceFingerprintRequest",
    DEVICE + "FingerprintResponse": "DeviceFingerprintResponse",
    DEVICE + "StatsRequest": "DeviceStatsRequest",
    DEVICE + "StatsResponse": "DeviceStatsResponse",
    DEVICE + "Mount": "DeviceMount",
}

# Packages whose top-level type names are too generic for the module namespace (hclspec has
# `Array`, `Object`, `Default`...): they get this prefix.
PACKAGE_PREFIXES = {
    "hashicorp.nomad.plugins.shared.hclspec": "HCLSpec",
}

# Words written in capitals inside a camelCase name (`alloc_id` -> `allocID`); the first word of
# a name always stays lower case (`id`, `cpu_shares` -> `cpuShares`).
ACRONYMS = {
    "id": "ID",
    "ids": "IDs",
    "api": "API",
    "pid": "PID",
    "url": "URL",
    "mb": "MB",
    "cpus": "CPUs",
    "ip": "IP",
}
