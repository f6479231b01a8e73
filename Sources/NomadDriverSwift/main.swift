import SwiftDriver
import Foundation

// The task supervisor is this same binary, started by the plugin with a hidden subcommand.
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == TaskSupervisor.subcommand {
    exit(TaskSupervisor.main(arguments: Array(CommandLine.arguments.dropFirst())))
}
print("nomad-driver-swift: not wired yet")
