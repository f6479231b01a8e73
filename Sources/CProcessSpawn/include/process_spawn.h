#ifndef SWIFTDRIVER_PROCESS_SPAWN_H
#define SWIFTDRIVER_PROCESS_SPAWN_H
// fork/exec with the child-side steps Swift cannot run safely after fork in a threaded process:
// new session or process group, network namespace, user switch (with supplementary groups
// replaced), working directory, stdio wiring, controlling terminal, and an exact errno when exec
// fails.
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *path;            // absolute path of the program (no PATH search here)
    char *const *argv;           // NULL-terminated
    char *const *envp;           // NULL-terminated
    const char *work_dir;        // chdir target; NULL keeps the parent's
    int stdin_fd;                // dup2'd onto 0; -1 opens /dev/null
    int stdout_fd;               // dup2'd onto 1; -1 opens /dev/null
    int stderr_fd;               // dup2'd onto 2; -1 opens /dev/null
    int new_session;             // 1: setsid() (also a new process group)
    int new_process_group;       // 1: setpgid(0, 0) when not new_session
    int controlling_tty;         // 1: make stdin (a pty slave) the controlling terminal (needs new_session)
    int switch_user;             // 1: setgroups(groups) + setgid(gid) + setuid(uid)
    uid_t uid;
    gid_t gid;
    const gid_t *groups;         // supplementary groups for the new user (may be NULL with ngroups 0)
    int ngroups;
    int reset_signals;           // 1: default dispositions and an empty mask in the child
    int netns_fd;                // >= 0: setns(netns_fd, CLONE_NEWNET) before the user switch; -1 stays
    const int *cgroup_fds;       // open cgroup.procs files the child writes "0" (itself) into
    int ncgroup_fds;
} sd_spawn_attrs;

// Starts the program. Returns 0 and sets *pid, or returns an errno value: from fork, from a
// child-side step, or from execve (reported through a close-on-exec pipe). On error *stage
// (when non-NULL) names the failed step ("fork", "chdir", "setuid", "execve", ...).
int sd_spawn(const sd_spawn_attrs *attrs, pid_t *pid, const char **stage);

#ifdef __cplusplus
}
#endif
#endif
