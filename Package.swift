// swift-tools-version:6.0
import PackageDescription

// gRPC core is linked statically from Debian's archives (libgrpc-dev and the packages it
// depends on): the plugin then loads no gRPC, abseil or OpenSSL shared libraries at start-up,
// which is most of its exec-to-handshake time, and clients need no libgrpc package.
// grpc_unsecure is the build without TLS; the plugin speaks plaintext on a private unix socket.
// The archives sit in Debian's multiarch directory of the architecture being built for. The
// manifest sees only the host's, so this is right for native builds (x86_64 and aarch64
// clients alike), not for cross-compiling.
#if arch(x86_64)
let linuxMultiarch = "x86_64-linux-gnu"
#elseif arch(arm64)
let linuxMultiarch = "aarch64-linux-gnu"
#else
#error("SwiftDriver builds on x86_64 and aarch64 Linux only (Debian multiarch directory unknown)")
#endif
let grpcStaticArchives = [
    "grpc_unsecure",
    "gpr",
    "absl_throw_delegate",
    "absl_raw_logging_internal",
    "absl_raw_hash_set",
    "absl_hashtablez_sampler",
    "absl_hash",
    "absl_city",
    "absl_low_level_hash",
    "absl_random_distributions",
    "absl_random_seed_sequences",
    "absl_random_internal_pool_urbg",
    "absl_random_internal_randen",
    "absl_random_internal_randen_hwaes",
    "absl_random_internal_randen_hwaes_impl",
    "absl_random_internal_randen_slow",
    "absl_random_internal_platform",
    "absl_random_internal_seed_material",
    "absl_random_seed_gen_exception",
    "absl_statusor",
    "absl_status",
    "absl_cord",
    "absl_cordz_info",
    "absl_cord_internal",
    "absl_cordz_functions",
    "absl_exponential_biased",
    "absl_cordz_handle",
    "absl_bad_optional_access",
    "absl_strerror",
    "absl_str_format_internal",
    "absl_synchronization",
    "absl_graphcycles_internal",
    "absl_stacktrace",
    "absl_symbolize",
    "absl_debugging_internal",
    "absl_demangle_internal",
    "absl_malloc_internal",
    "absl_time",
    "absl_civil_time",
    "absl_strings",
    "absl_strings_internal",
    "absl_base",
    "absl_spinlock_wait",
    "absl_int128",
    "absl_time_zone",
    "absl_bad_variant_access",
    "absl_log_severity",
    "upb",
    "address_sorting",
    "cares",
    "re2",
    "z",
]
let grpcLinkerFlags: [String] = ["-Xlinker", "--start-group"]
    + grpcStaticArchives.flatMap { ["-Xlinker", "/usr/lib/\(linuxMultiarch)/lib\($0).a"] }
    + ["-Xlinker", "--end-group", "-lstdc++", "-lm", "-latomic"]

// The plugin's idle memory is mostly the pages of its own binary that start-up touches. It is
// linked with lld so that (1) the functions start-up and the first RPC run are laid out
// together, from the order file scripts/startup-order writes (a stale file costs memory, never
// correctness), (2) its relative relocations are packed (DT_RELR, glibc 2.36+) instead of a 2 MB
// table the loader reads at every start, and (3) it exports no dynamic symbols: nothing looks
// them up, and their tables were read at every start too. Release links also take libstdc++
// and the unwinder from GCC's static archives (the linker scripts in linker/static-cxx-runtime
// stand in for libstdc++.so and libgcc_s.so), so neither shared library is loaded at all.
// The binaries operators install go one step further: scripts/build-release links them (the
// plugin and go-api) as static PIEs (glibc too), which takes libc, libm and the loader's 2 MB of
// mapped pages out of every plugin, supervisor and go-api. That link needs command-line flags (no
// $ORIGIN rpath), so it lives in the script, and a plain `swift build` keeps making working
// dynamic binaries.
let pluginLinkerFlags: [String] = [
    "-use-ld=lld",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/linker/nomad-driver-swift.order",
    "-Xlinker", "--no-warn-symbol-ordering",
    "-Xlinker", "--no-export-dynamic",
]
// The device plugin is linked as the driver is, with its own order file (scripts/startup-order).
let devicePluginLinkerFlags: [String] = [
    "-use-ld=lld",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/linker/nomad-device-swift.order",
    "-Xlinker", "--no-warn-symbol-ordering",
    "-Xlinker", "--no-export-dynamic",
]
let goAPILinkerFlags: [String] = [
    "-use-ld=lld",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--no-export-dynamic",
    "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/GoAPITask/go-api.order",
    "-Xlinker", "--no-warn-symbol-ordering",
]
let staticCxxRuntime = ["-L\(Context.packageDirectory)/linker/static-cxx-runtime"]

let package = Package(
    name: "SwiftDriver",
    products: [
        .executable(name: "nomad-driver-swift", targets: ["NomadDriverSwift"]),
        .executable(name: "go-api", targets: ["GoAPITask"]),
        .executable(name: "nomad-device-swift", targets: ["NomadDeviceSwift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // go-api: SwiftNIO's HTTP/1 pipeline (NIOHTTP1), its quiescing helper (NIOExtras), and
        // ServiceLifecycle for the signal-driven drain.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        // gRPC core's C API (Debian libgrpc-dev). Linked by name: pkg-config's abseil list is too long.
        .systemLibrary(name: "CGRPCCore", path: "Sources/CGRPCCore"),
        // C code generated by protoc-c from proto/ (scripts/generate-proto); links libprotobuf-c.
        .target(
            name: "PluginProtoC",
            path: "Sources/PluginProtoC",
            cSettings: [.unsafeFlags(["-Wno-everything"])],
            // Static, like gRPC core: the installed plugin needs no protobuf-c package.
            linkerSettings: [.unsafeFlags(["-Xlinker", "/usr/lib/\(linuxMultiarch)/libprotobuf-c.a"])]
        ),
        // Mutex over pthread_mutex_t: ThreadSanitizer sees its locking (Sources/Locking/Mutex.swift).
        .target(name: "Locking"),
        // Errno sentences, reading a descriptor or file to its end, a program's output, trimming:
        // one home for each.
        .target(name: "SystemSupport"),
        // Users and groups from /etc/passwd and /etc/group (and getent): the static release
        // binary cannot use glibc's NSS (Sources/Accounts/AccountDatabase.swift).
        .target(name: "Accounts", dependencies: ["SystemSupport"]),
        // Nomad's plugin config: cty msgpack decoding, and config structs declared once as a
        // schema that gives both the hclspec Nomad is sent and the decoding (driver and device).
        .target(name: "ConfigDecoding", dependencies: ["PluginProto", "SystemSupport"]),
        // Free space and directory usage of watched paths (statvfs, stat, a du-like walk), for the
        // driver's pressure levels and the device plugin's instances alike.
        .target(name: "DiskMeasurement", dependencies: ["SystemSupport"]),
        // fork/exec with setsid, user switch and stdio wiring, for the task supervisor and exec.
        .target(name: "CProcessSpawn", path: "Sources/CProcessSpawn"),
        // Swift value types for every wire message, encoded and decoded through protobuf-c.
        // One section per function, so that the start-up order file (linker/) can pull the few
        // functions start-up runs out of the large generated files instead of their whole code.
        .target(
            name: "PluginProto", dependencies: ["PluginProtoC"],
            swiftSettings: [.unsafeFlags(["-Xfrontend", "-function-sections"])]
        ),
        // A small gRPC server (and test client) over gRPC core; no C type crosses its API.
        .target(
            name: "GRPCCoreServer",
            dependencies: ["CGRPCCore", "Locking", .product(name: "Logging", package: "swift-log")],
            linkerSettings: [.unsafeFlags(grpcLinkerFlags)]
        ),
        // go-plugin's server side: handshake, socket, go-plugin's own services.
        .target(
            name: "GoPluginServer",
            dependencies: ["GRPCCoreServer", "PluginProto", "Locking", "Accounts", "SystemSupport", .product(name: "Logging", package: "swift-log")]
        ),
        // The driver: config, disk pressure, the fingerprint, task supervision, the Driver and BasePlugin services.
        .target(
            name: "SwiftDriver",
            dependencies: [
                "GoPluginServer", "GRPCCoreServer", "PluginProto", "CProcessSpawn", "Locking", "Accounts", "SystemSupport",
                "ConfigDecoding", "DiskMeasurement",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "NomadDriverSwift",
            dependencies: [
                "SwiftDriver", "GoPluginServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: [
                .unsafeFlags(pluginLinkerFlags, .when(platforms: [.linux])),
                .unsafeFlags(staticCxxRuntime, .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        // The device plugin: free disk as instances Nomad's scheduler allocates (reservations,
        // the instance math, the DevicePlugin and BasePlugin services).
        .target(
            name: "SwiftDevice",
            dependencies: [
                "GoPluginServer", "GRPCCoreServer", "PluginProto", "Locking", "SystemSupport", "ConfigDecoding", "DiskMeasurement",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "NomadDeviceSwift",
            dependencies: ["SwiftDevice", "GoPluginServer", .product(name: "Logging", package: "swift-log")],
            linkerSettings: [
                .unsafeFlags(devicePluginLinkerFlags, .when(platforms: [.linux])),
                .unsafeFlags(staticCxxRuntime, .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        // go-api's request handling (routes, endpoints, access log, the per-connection HTTP/1
        // handler) and its NSS-free --bind resolver; GoAPITask serves it, GoAPITests tests it.
        .target(
            name: "GoAPI",
            dependencies: [
                "Locking", "SystemSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "GoAPITask",
            dependencies: [
                // No swift-argument-parser: it and the FoundationEssentials it brings were 2 MiB
                // of go-api's idle RSS (Sources/GoAPITask/CommandLineOptions.swift).
                "GoAPI", "Locking", "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["go-api.order"],
            // Fewer pages touched, as for the plugin (see pluginLinkerFlags): the functions
            // start-up and serving run laid out together (go-api.order, written by
            // `bench/go-api-profile --order` from the static PIE scripts/build-release makes;
            // SwiftPM does not relink when only this file changes), packed relative relocations
            // instead of a 1.3 MB table the loader reads at every start, no exported dynamic
            // symbols, and in release libstdc++ and the unwinder linked in rather than loaded.
            linkerSettings: [
                .unsafeFlags(goAPILinkerFlags, .when(platforms: [.linux])),
                .unsafeFlags(staticCxxRuntime, .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        // Benchmarks of the plugin binary over the real wire (bench/run prints its table).
        .executableTarget(name: "PluginBench", dependencies: ["GRPCCoreServer", "PluginProto", "PressureSimulation", "DeviceSimulation"]),
        // Nomad's device allocator over many simulated nodes running the device plugin's own
        // accounting (layout, ledger, instance math, fingerprint gate): no placement may
        // overcommit a disk. Unit tests assert it over several seeds; PluginBench device-sim
        // prints the table and scripts/test fails on any overcommit.
        .target(name: "DeviceSimulation", dependencies: ["SwiftDevice", "DiskMeasurement"]),
        // Simulated disks and the predictive level's figures (false alarms, lead time) from the
        // real DiskMonitor on a simulated clock: unit tests assert on them, bench/run prints them.
        .target(
            name: "PressureSimulation",
            dependencies: ["SwiftDriver", "DiskMeasurement", "GoPluginServer", "Locking", .product(name: "Logging", package: "swift-log")]
        ),
        // libFuzzer targets (fuzz/run builds them with -sanitize=fuzzer,address -D FUZZING;
        // a plain build makes them replay input files instead).
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        .executableTarget(name: "FuzzCtyMsgpack", dependencies: ["FuzzSupport", "SwiftDriver"]),
        .executableTarget(name: "FuzzWireMessages", dependencies: ["FuzzSupport", "PluginProto"]),
        .executableTarget(name: "FuzzDriverState", dependencies: ["FuzzSupport", "SwiftDriver"]),
        .executableTarget(name: "FuzzConfigFile", dependencies: ["FuzzSupport", "SwiftDriver"]),
        .executableTarget(
            name: "FuzzGoAPI",
            dependencies: [
                "FuzzSupport", "GoAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SwiftDriverTests",
            dependencies: [
                "SwiftDriver", "PluginProto", "Locking", "Accounts", "SystemSupport", "PressureSimulation", "ConfigDecoding",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WireTests",
            dependencies: [
                "GRPCCoreServer", "GoPluginServer", "PluginProto", "SwiftDriver", "Locking",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SwiftDeviceTests",
            dependencies: ["SwiftDevice", "DeviceSimulation", "DiskMeasurement", "ConfigDecoding", "PluginProto", "GoPluginServer", "Locking",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "GoAPITaskTests", dependencies: []),
        // go-api's request-independent pieces, in process (GoAPITaskTests runs the binary).
        .testTarget(name: "GoAPITests", dependencies: ["GoAPI"]),
        .testTarget(name: "PluginProtoTests", dependencies: ["PluginProto"]),
    ],
    swiftLanguageModes: [.v6]
)
