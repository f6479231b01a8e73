import FoundationEssentials
import Glibc

/// Checks, without blocking, whether a task has ended: its exit file, or its supervisor's death.
/// One watch per task, used only by that task's monitor loop, so reaping happens in one place.
struct TaskSupervisorWatch: Sendable {
    var supervisorPID: Int32
    var supervisorStartTime: UInt64
    /// The supervisor is this process's child (started here, or our child before a store was
    /// dropped), so it must be reaped with waitpid on its pid.
    var isChild: Bool
    var exitPath: String
    var taskPID: Int32
    var taskStartTime: UInt64
    var cgroupPath: String?
    var reaped = false

    enum Outcome: Sendable {
        case running
        case exited(TaskExit, Date)
    }

    /// Whether the supervisor process is gone (reaping it when it is our child).
    mutating func supervisorGone() -> Bool {
        guard isChild else { return !ProcStat.isAlive(pid: supervisorPID, startTime: supervisorStartTime) }
        if reaped { return true }
        var status: Int32 = 0
        let r = waitpid(supervisorPID, &status, WNOHANG)
        if r == supervisorPID || (r < 0 && errno == ECHILD) { reaped = true }
        return reaped
    }

    mutating func probe() -> Outcome {
        let gone = supervisorGone()
        if let record = TaskExitRecord.read(exitPath) { return .exited(record.taskExit, record.finishedDate) }
        guard gone else { return .running }
        // The supervisor may have written the file just before exiting.
        if let record = TaskExitRecord.read(exitPath) { return .exited(record.taskExit, record.finishedDate) }
        // Nobody can report this task's exit any more; a task left behind would run untracked.
        killTaskIfAlive()
        return .exited(TaskExit(exitCode: -1, errorText: "The task supervisor exited unexpectedly, so the task's exit status is unknown."), Date())
    }

    func killTaskIfAlive() {
        guard let stat = ProcStat.read(pid: taskPID), stat.startTime == taskStartTime else { return }
        kill(-taskPID, SIGKILL)
        kill(taskPID, SIGKILL)
        if let cgroupPath { CgroupSupport.signalAll(cgroupPath, SIGKILL) }
    }

    /// True while the task's main process (possibly a zombie) is the one we started.
    var taskProcessIsOurs: Bool {
        guard let stat = ProcStat.read(pid: taskPID) else { return false }
        return stat.startTime == taskStartTime
    }
}
