import Glibc
import ArgumentParser
import GoPluginServer
import Logging
import SwiftDriver

// The supervisor is exec'd for every task: it must start without parsing or logging set-up.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == TaskSupervisor.subcommand {
    exit(TaskSupervisor.main(arguments: Array(CommandLine.arguments.dropFirst(2))))
}

LoggingSystem.bootstrap { HCLogHandler(label: $0) }
if let name = ProcessInfoLite.environment["NOMAD_DRIVER_SWIFT_LOG_LEVEL"], let level = HCLogLevel.parse(name) {
    HCLogLevel.level = level
}

await NomadDriverSwift.main()
