import FoundationEssentials
import Glibc
import Logging

extension TaskStore {
    /// Re-attaches to a task from its `driver_state` after a plugin restart. A task that ended while
    /// the plugin was down is known as exited with its real status. A task whose supervisor is gone
    /// without an exit file cannot be tracked: it is killed if still alive, and this throws.
    public func recover(driverState bytes: [UInt8]) async throws(TaskError) {
        let state = try DriverState.decode(bytes)
        guard records[state.taskID] == nil else { return }
        let stat = ProcStat.read(pid: state.supervisorPID)
        let supervisorIsOurs = stat?.startTime == state.supervisorStartTime
        let isChild = supervisorIsOurs && stat?.ppid == getpid()
        var watch = TaskSupervisorWatch(
            supervisorPID: state.supervisorPID, supervisorStartTime: state.supervisorStartTime, isChild: isChild,
            exitPath: state.exitFilePath, taskPID: state.taskPID, taskStartTime: state.taskStartTime,
            cgroupPath: state.cgroupPath)

        if supervisorIsOurs, let stat, !stat.isZombie, TaskExitRecord.read(state.exitFilePath) == nil {
            records[state.taskID] = Record(state: state, watch: watch)
            startMonitor(state.taskID, watch)
            emit(state, "Task re-attached after a driver restart.", ["pid": "\(state.taskPID)"])
            logger.info("task recovered", metadata: ["task_id": "\(state.taskID)", "pid": "\(state.taskPID)"])
            return
        }
        // The supervisor is gone (or finishing): reap it if it is our child, then read the exit file.
        _ = watch.supervisorGone()
        if let exit = TaskExitRecord.read(state.exitFilePath) {
            records[state.taskID] = Record(state: state, watch: watch, exit: exit.taskExit, completedAt: exit.finishedDate)
            if isChild && !watch.reaped { startMonitor(state.taskID, watch) }
            emit(state, "Task exited while the driver was not running; its exit status was recovered.",
                 ["exit_code": "\(exit.exitCode)", "signal": "\(exit.signal)"])
            return
        }
        if watch.taskProcessIsOurs {
            watch.killTaskIfAlive()
            throw TaskError(.failed, "The task's supervisor (pid \(state.supervisorPID)) is gone, so the task could not be tracked and was killed.")
        }
        throw TaskError(.failed, "The task process \(state.taskPID) and its supervisor are gone and left no exit status.")
    }
}
