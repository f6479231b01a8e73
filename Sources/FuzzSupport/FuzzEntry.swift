#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The entry point every fuzz target's `main` hands its one-input check to.
///
/// Built by `fuzz/run` with `-sanitize=fuzzer,address -D FUZZING`, it starts libFuzzer through
/// `LLVMFuzzerRunDriver` (SwiftPM links executables with its own `main`, so libFuzzer's `main`
/// cannot be used). A plain `swift build` compiles the same targets without libFuzzer: then the
/// executable replays the files and directories named on its command line through the same
/// check, which reruns a crash input or checks that the seed corpus is accepted.
public enum FuzzEntry {
    /// Runs libFuzzer (fuzzing build) or replays the inputs named by the arguments (plain build).
    ///
    /// `check` must not capture anything (libFuzzer calls it through a C function pointer);
    /// it ends with `return FuzzEntry.result(accepted)`.
    public static func run(_ check: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, check))
        #else
        exit(FuzzReplay.run(arguments: Array(CommandLine.arguments.dropFirst()), check: check))
        #endif
    }

    /// What a check returns: libFuzzer wants 0 for every input it may keep, while the replay
    /// counts accepted (valid) inputs, which shows that the seed corpus is still valid.
    public static func result(_ accepted: Bool) -> CInt {
        #if FUZZING
        return 0
        #else
        return accepted ? 1 : 0
        #endif
    }

    /// Copies libFuzzer's buffer into the array the decoders take.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}

#if FUZZING
/// libFuzzer's entry for programs that keep their own `main` (compiler-rt FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
