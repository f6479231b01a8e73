import DiskMeasurement
import PluginProto

/// Our groups, reservations and figures as Nomad's device messages.
enum DeviceMapping {
    static func fingerprint(_ groups: [GroupFingerprint]) -> DeviceFingerprintResponse {
        DeviceFingerprintResponse(deviceGroup: groups.map { group in
            DeviceGroup(
                vendor: DeviceIdentity.vendor, deviceType: DeviceIdentity.deviceType, deviceName: group.name,
                devices: group.instances.map { instance in
                    DetectedDevice(id: instance.id, healthy: instance.healthy, healthDescription: instance.healthDescription)
                },
                attributes: group.attributes)
        })
    }

    /// The task's environment: its budget and where to write.
    static func reservation(_ reservation: Reservation) -> ReserveResponse {
        ReserveResponse(containerRes: ContainerReservation(envs: reservation.grant.environment))
    }

    /// Per instance: a reserved one shows what its reservation has written of its budget, a
    /// free one what is free on the filesystem. Every instance carries the group's figures, so
    /// `nomad alloc status -stats` shows them for the instances an allocation holds.
    static func stats(_ groups: [InstanceAccounting], at time: WireTimestamp) -> DeviceStatsResponse {
        DeviceStatsResponse(groups: groups.map { group in
            let figures = groupFigures(group)
            let written = Dictionary(group.reservations.map { ($0.reservation.id, $0) }, uniquingKeysWith: { first, _ in first })
            var instances: [String: DeviceStats] = [:]
            for instance in group.instances {
                let summary: StatValue
                if let id = instance.reservationID, let usage = written[id] {
                    summary = mebibytes(usage.writtenBytes, of: usage.reservation.reservedBytes,
                                        desc: "written of reservation \(id)")
                } else {
                    summary = mebibytes(group.offerableBytes, of: nil, desc: "offerable on \(group.layout.path)")
                }
                instances[instance.id] = DeviceStats(summary: summary, stats: figures, timestamp: time)
            }
            return DeviceGroupStats(vendor: DeviceIdentity.vendor, type: DeviceIdentity.deviceType,
                                    name: group.layout.name, instanceStats: instances)
        })
    }

    private static func groupFigures(_ group: InstanceAccounting) -> StatObject {
        StatObject(attributes: [
            "available": mebibytes(group.availableBytes, of: nil, desc: "free on the filesystem (statvfs)"),
            "offerable": mebibytes(group.offerableBytes, of: nil, desc: "free beyond headroom and unwritten reservations"),
            "reserved": mebibytes(group.reservedBytes, of: nil, desc: "held by reservations"),
            "reserved_written": mebibytes(group.writtenBytes, of: group.reservedBytes, desc: "written by reservations"),
            "free_instances": StatValue(intNumeratorVal: Int64(group.freeCount), intDenominatorVal: Int64(group.instances.count),
                                        unit: "instances", desc: "healthy and unreserved"),
        ])
    }

    private static func mebibytes(_ bytes: UInt64, of total: UInt64?, desc: String) -> StatValue {
        StatValue(intNumeratorVal: Int64(bytes >> 20), intDenominatorVal: total.map { Int64($0 >> 20) },
                  unit: "MiB", desc: desc)
    }
}
