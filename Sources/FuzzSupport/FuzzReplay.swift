import Foundation

/// Replays input files through a fuzz target's check without libFuzzer (plain builds).
enum FuzzReplay {
    /// Runs `check` over every file named, descending into directories; prints how many inputs
    /// were accepted and rejected to stderr. Returns the process exit status.
    static func run(arguments: [String], check: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Int32 {
        let paths = arguments.filter { !$0.hasPrefix("-") }
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) FILE-OR-DIR...\n(built without -D FUZZING: replays inputs; fuzz/run builds the libFuzzer version)\n".utf8))
            return 2
        }
        var accepted = 0
        var rejected = 0
        for file in files(paths) {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                return 1
            }
            let result = data.withUnsafeBytes { raw in
                check(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
            }
            if result == 1 { accepted += 1 } else { rejected += 1 }
            if arguments.contains("-v") { FileHandle.standardError.write(Data("\(result == 1 ? "accepted" : "rejected") \(file)\n".utf8)) }
        }
        FileHandle.standardError.write(Data("replayed \(accepted + rejected) inputs: \(accepted) accepted, \(rejected) rejected\n".utf8))
        return 0
    }

    private static func files(_ paths: [String]) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                result.append(path)
                continue
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                result += names.sorted().filter { !$0.hasPrefix(".") }.map { "\(path)/\($0)" }
            } else {
                result.append(path)
            }
        }
        return result
    }
}
