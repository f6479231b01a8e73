#define _GNU_SOURCE
#include "process_io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>

int sd_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}

int sd_open_pty(int *master, int *slave, unsigned short rows, unsigned short cols) {
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return errno;
    char name[128];
    if (grantpt(m) != 0 || unlockpt(m) != 0 || ptsname_r(m, name, sizeof name) != 0) {
        int err = errno ? errno : EIO;
        close(m);
        return err;
    }
    int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0) {
        int err = errno;
        close(m);
        return err;
    }
    if (rows > 0 && cols > 0) {
        struct winsize ws = { .ws_row = rows, .ws_col = cols };
        if (ioctl(m, TIOCSWINSZ, &ws) != 0) {
            int err = errno;
            close(s);
            close(m);
            return err;
        }
    }
    *master = m;
    *slave = s;
    return 0;
}

int sd_set_winsize(int fd, unsigned short rows, unsigned short cols) {
    struct winsize ws = { .ws_row = rows, .ws_col = cols };
    return ioctl(fd, TIOCSWINSZ, &ws) == 0 ? 0 : errno;
}

int sd_set_nonblocking(int fd, int nonblocking) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return errno;
    flags = nonblocking ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags) == 0 ? 0 : errno;
}

int sd_wait_exited_nowait(pid_t pid) {
    siginfo_t info;
    for (;;) {
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) == 0) return 0;
        if (errno != EINTR) return errno;
    }
}

static void decode(int status, int *exit_code, int *signal) {
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    *signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

int sd_reap(pid_t pid, int *exit_code, int *signal) {
    int status = 0;
    for (;;) {
        if (waitpid(pid, &status, 0) == pid) {
            decode(status, exit_code, signal);
            return 0;
        }
        if (errno != EINTR) return errno;
    }
}

int sd_try_reap(pid_t pid, int *exit_code, int *signal) {
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            decode(status, exit_code, signal);
            return 1;
        }
        if (r == 0) return 0;
        if (errno != EINTR) return -errno;
    }
}

void sd_block_sigpipe_in_thread(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

void sd_discard_pending_sigpipe(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    struct timespec zero = { 0, 0 };
    while (sigtimedwait(&set, NULL, &zero) == SIGPIPE) {}
}
