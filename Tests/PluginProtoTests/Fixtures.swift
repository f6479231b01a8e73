import PluginProto

/// Non-trivial values shared by several tests.
enum Fixtures {
    static let taskConfig = TaskConfig(
        id: "a1b2/web/c3d4e5f6", name: "web", msgpackDriverConfig: [0x81, 0xa1, 0x6e, 0x05],
        env: ["NOMAD_TASK_NAME": "web", "PATH": "/usr/bin:/bin", "EMPTY": ""], deviceEnv: ["GPU": "0"],
        resources: TaskResources(
            cpuShares: 500, memoryMB: 256, memoryMaxMB: 512,
            linux: LinuxResources(cpuShares: 500, memoryLimitBytes: 512 << 20, cpusetCPUs: "0,1", percentTicks: 0.125,
                                  cpusetCgroup: "/nomad/shared")),
        user: "nobody", allocDir: "/var/nomad/alloc/a1b2", stdoutPath: "/var/nomad/alloc/a1b2/alloc/logs/.web.stdout.fifo",
        stderrPath: "/var/nomad/alloc/a1b2/alloc/logs/.web.stderr.fifo", taskGroupName: "group", jobName: "job",
        allocID: "a1b2", jobID: "job-id", namespace: "default", nodeName: "node1", nodeID: "n-1", parentJobID: "")

    static let handle = TaskHandle(version: 1, config: taskConfig, state: .running, driverState: [0x7b, 0x7d, 0x00, 0xff])

    static let usage = TaskResourceUsage(
        cpu: CPUUsage(systemMode: 1.5, userMode: 2.25, totalTicks: 100, throttledPeriods: 3, throttledTime: 4,
                      percent: 12.5, measuredFields: [.systemMode, .userMode, .percent]),
        memory: MemoryUsage(rss: 1 << 20, cache: 2, maxUsage: 3, kernelUsage: 4, kernelMaxUsage: 5, usage: 6, swap: 7,
                            measuredFields: [.rss, .usage, .swap]))

    static let spec = HCLSpec.object([
        "command": .attr(name: "command", type: "string", required: true),
        "args": .attr(name: "args", type: "list(string)", required: false),
        "timeout": .default(primary: .attr(name: "timeout", type: "string", required: false), default: .literal("\"30s\"")),
        "pair": .array([.attr(name: "a", type: "number", required: false), .literal("5")]),
        "limits": .block(name: "limits", required: false, nested: .object(["cpu": .attr(name: "", type: "number", required: false)])),
        "labels": .blockAttrs(name: "labels", type: "string", required: false),
        "mount": .blockList(name: "mount", minItems: 0, maxItems: 4, nested: .object([:])),
        "port": .blockSet(name: "port", minItems: 1, maxItems: 0, nested: .object(["to": .attr(name: "", type: "number", required: true)])),
        "volume": .blockMap(name: "volume", labels: ["name", "kind"], nested: .object([:])),
    ])
}
