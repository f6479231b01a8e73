import Glibc

/// Runs a program with no shell and returns what it wrote to stdout when it exits 0: how the
/// static binaries ask `getent` (dynamically linked, with the host's NSS) what they cannot.
public enum CommandOutput {
    /// `getent` prints a few entries; anything longer than this is not an answer we can use.
    public static let maximumBytes = 1 << 20

    public static func run(_ path: String, _ arguments: [String]) -> String? {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return nil }
        // Close-on-exec, so other children spawned meanwhile never hold the write end open.
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let argv = ([path] + arguments).map { strdup($0) }  // strdup: posix_spawn wants mutable C strings
        defer { argv.forEach { free($0) } }
        // The child gets a fixed, minimal environment: nothing of the caller's leaks into it.
        let environment: [String] = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"]
        let envp = environment.map { strdup($0) }
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = (argv + [nil]).withUnsafeBufferPointer { args in
            (envp + [nil]).withUnsafeBufferPointer { env in
                posix_spawn(&pid, path, &actions, nil, args.baseAddress!, env.baseAddress!)
            }
        }
        close(pipeEnds[1])
        defer { close(pipeEnds[0]) }
        guard spawned == 0 else { return nil }

        let output = (try? FileInput.readAll(pipeEnds[0], limit: maximumBytes)) ?? FileInput.Contents(bytes: [], truncated: true)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited (low 7 bits 0) with status 0: getent's "found".
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0, !output.truncated else { return nil }
        return String(decoding: output.bytes, as: UTF8.self)
    }
}
