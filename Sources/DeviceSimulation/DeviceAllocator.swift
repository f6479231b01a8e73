import SwiftDevice

/// Nomad's device allocation, reduced to one device group per node: a node is feasible for a
/// job asking `count` instances when its device list (as the scheduler holds it) has `count`
/// healthy instances no live allocation on the node holds. Nomad's `DeviceAccounter` keeps
/// healthy instances in a map and `AssignDevice` takes the first unused ones in map order, so
/// which IDs an allocation gets is effectively random; so it is here.
struct DeviceAllocator: Sendable {
    /// The healthy instances of `visible` not in `held`, in list order.
    static func freeInstances(visible: [InstanceState]?, held: Set<String>) -> [String] {
        guard let visible else { return [] }
        return visible.compactMap { $0.healthy && !held.contains($0.id) ? $0.id : nil }
    }

    /// Picks a node for `count` instances among `free` (each node's free instance IDs): like
    /// Nomad's limit of two scored candidates with bin packing, two feasible nodes at random and
    /// the one with fewer free instances. Returns the node and the IDs given, or nil (the job
    /// stays pending).
    static func place(count: Int, free: [[String]], using rng: inout SeededRandom) -> (node: Int, ids: [String])? {
        let feasible = free.indices.filter { free[$0].count >= count }
        guard !feasible.isEmpty else { return nil }
        let a = feasible.randomElement(using: &rng)!
        let b = feasible.randomElement(using: &rng)!
        let node = free[a].count <= free[b].count ? a : b
        let ids = Array(free[node].shuffled(using: &rng).prefix(count))
        return (node, ids)
    }
}
