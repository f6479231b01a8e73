import CGRPCCore
import Locking

/// gRPC core's process-wide initialisation, done once and never undone: the plugin lives for
/// the process, and grpc_shutdown while a call object is still referenced would be unsafe.
enum GRPCRuntime {
    private static let initialized = Mutex(false)

    static func ensureInitialized() {
        initialized.withLock { done in
            if !done {
                grpc_init()
                done = true
            }
        }
    }
}
