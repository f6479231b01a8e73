#define _GNU_SOURCE
#include <sys/syscall.h>
#include "process_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

// Child-side failure report: which step failed and its errno, written to the status pipe.
typedef struct { int err; int stage; } child_report;

static const char *const stage_names[] = {
    "fork", "pipe", "setsid", "setpgid", "ioctl(TIOCSCTTY)", "setgroups", "setgid", "setuid",
    "chdir", "open(/dev/null)", "dup2", "execve", "sigprocmask", "setns", "cgroup",
};
enum { ST_FORK, ST_PIPE, ST_SETSID, ST_SETPGID, ST_TTY, ST_SETGROUPS, ST_SETGID, ST_SETUID,
       ST_CHDIR, ST_DEVNULL, ST_DUP2, ST_EXEC, ST_SIGMASK, ST_SETNS, ST_CGROUP };

static void child_fail(int fd, int stage) {
    child_report r = { errno, stage };
    ssize_t ignored = write(fd, &r, sizeof r);
    (void)ignored;
    _exit(127);
}

// Moves fd to a number >= 3 so that dup2 onto 0..2 never clobbers another source fd.
static int lift_fd(int fd, int report) {
    if (fd < 0 || fd > 2) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (moved < 0) child_fail(report, ST_DUP2);
    return moved;
}

static void wire_fd(int src, int target, int report) {
    if (src < 0) {
        src = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (src < 0) child_fail(report, ST_DEVNULL);
    }
    if (src == target) {
        int flags = fcntl(src, F_GETFD);
        if (flags >= 0) fcntl(src, F_SETFD, flags & ~FD_CLOEXEC);
        return;
    }
    if (dup2(src, target) < 0) child_fail(report, ST_DUP2);
}

// The new program gets fds 0-2 only. Descriptors the parent opened without O_CLOEXEC (a
// runtime's event fds, a library's sockets) must not leak into tasks or keep pipes open; marking
// them close-on-exec, rather than closing them, keeps the failure-report pipe usable until exec.
static void mark_inherited_cloexec(void) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) == 0) return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536) max = 65536;
    for (int fd = 3; fd < max; fd++) {
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0 && !(flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

int sd_spawn(const sd_spawn_attrs *a, pid_t *pid, const char **stage) {
    int status_pipe[2];
    if (pipe2(status_pipe, O_CLOEXEC) != 0) {
        if (stage) *stage = stage_names[ST_PIPE];
        return errno;
    }
    // Block every signal across fork so no handler of the parent runs in the child.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);

    pid_t child = fork();
    if (child < 0) {
        int err = errno;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        close(status_pipe[0]);
        close(status_pipe[1]);
        if (stage) *stage = stage_names[ST_FORK];
        return err;
    }
    if (child == 0) {
        int report = status_pipe[1];
        close(status_pipe[0]);
        if (a->reset_signals) {
            for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
            sigset_t none;
            sigemptyset(&none);
            if (sigprocmask(SIG_SETMASK, &none, NULL) != 0) child_fail(report, ST_SIGMASK);
        } else if (sigprocmask(SIG_SETMASK, &old, NULL) != 0) {
            child_fail(report, ST_SIGMASK);
        }
        if (a->new_session) {
            if (setsid() < 0) child_fail(report, ST_SETSID);
        } else if (a->new_process_group) {
            if (setpgid(0, 0) < 0) child_fail(report, ST_SETPGID);
        }
        int in = lift_fd(a->stdin_fd, report);
        int out = lift_fd(a->stdout_fd, report);
        int err = lift_fd(a->stderr_fd, report);
        wire_fd(in, 0, report);
        wire_fd(out, 1, report);
        wire_fd(err, 2, report);
        if (a->controlling_tty && a->new_session) {
            if (ioctl(0, TIOCSCTTY, 0) < 0) child_fail(report, ST_TTY);
        }
        // Into the task's cgroups before anything runs: "0" is the writing process itself.
        for (int i = 0; i < a->ncgroup_fds; i++) {
            if (write(a->cgroup_fds[i], "0", 1) != 1) child_fail(report, ST_CGROUP);
        }
        // Joining a namespace needs CAP_SYS_ADMIN, which the user switch gives up.
        if (a->netns_fd >= 0 && setns(a->netns_fd, CLONE_NEWNET) != 0) child_fail(report, ST_SETNS);
        if (a->switch_user) {
            if (setgroups((size_t)a->ngroups, a->ngroups > 0 ? a->groups : NULL) != 0) child_fail(report, ST_SETGROUPS);
            if (setgid(a->gid) != 0) child_fail(report, ST_SETGID);
            if (setuid(a->uid) != 0) child_fail(report, ST_SETUID);
        }
        if (a->work_dir && chdir(a->work_dir) != 0) child_fail(report, ST_CHDIR);
        mark_inherited_cloexec();
        execve(a->path, a->argv, a->envp);
        child_fail(report, ST_EXEC);
    }

    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(status_pipe[1]);
    child_report r;
    ssize_t n;
    do {
        n = read(status_pipe[0], &r, sizeof r);
    } while (n < 0 && errno == EINTR);
    close(status_pipe[0]);
    if (n == (ssize_t)sizeof r) {
        // The child reported a failure and exits 127: reap it so no zombie is left.
        int ignored;
        while (waitpid(child, &ignored, 0) < 0 && errno == EINTR) {}
        if (stage) *stage = stage_names[r.stage];
        return r.err ? r.err : EIO;
    }
    *pid = child;
    if (stage) *stage = NULL;
    return 0;
}
