import Foundation
import SwiftDriver

// The task supervisor is this same binary, exec'd by the plugin for every task with a hidden subcommand.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == TaskSupervisor.subcommand {
    exit(TaskSupervisor.main(arguments: Array(CommandLine.arguments.dropFirst(2))))
}
print("nomad-driver-swift: not wired yet")
