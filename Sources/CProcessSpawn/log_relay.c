#define _GNU_SOURCE
#include "log_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct sd_log_relay {
    int src;                  // read end of the task's pipe; -1 after end of file
    int dst;                  // the sink; -1 while its reader is away
    mode_t kind;              // S_IFIFO or S_IFREG: a reopened path must be the same kind
    char *path;
    char *buf;                // allocated on first use; pending bytes start at buf[0]
    size_t len;
    long long away_since;     // ms (monotonic) when the reader went away
    long long retry_at;       // ms (monotonic) of the next reopen attempt
};

enum {
    // One read's worth: small, so a stream whose reader keeps up touches only this much memory.
    READ_CHUNK = 16 * 1024,
    RETRY_FAST_MS = 100,
    // A reader away for longer (logmon gone for good) is retried less often.
    RETRY_SLOW_MS = 1000,
    SLOW_AFTER_MS = 10000,
    // A dropped region is extended to the next newline within this many bytes, so the
    // output resumes at a line start.
    LINE_SLACK = 4096,
    MAX_RELAYS = 8,
};

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

sd_log_relay *sd_log_relay_new(const char *path, int sink_fd, int *task_fd) {
    struct stat st;
    if (fstat(sink_fd, &st) != 0) return NULL;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return NULL;
    sd_log_relay *r = calloc(1, sizeof *r);
    char *copy = strdup(path);
    if (!r || !copy) {
        free(r);
        free(copy);
        close(fds[0]);
        close(fds[1]);
        errno = ENOMEM;
        return NULL;
    }
    set_nonblocking(fds[0]);
    set_nonblocking(sink_fd);
    r->src = fds[0];
    r->dst = sink_fd;
    r->kind = st.st_mode & S_IFMT;
    r->path = copy;
    *task_fd = fds[1];
    return r;
}

void sd_log_relay_free(sd_log_relay *r) {
    if (!r) return;
    if (r->src >= 0) close(r->src);
    if (r->dst >= 0) close(r->dst);
    free(r->buf);
    free(r->path);
    free(r);
}

// A stream whose task side has closed and whose output is all delivered needs no reader.
static int wants_sink(const sd_log_relay *r) { return r->src >= 0 || r->len > 0; }

static void hang_up(sd_log_relay *r, long long now) {
    close(r->dst);
    r->dst = -1;
    r->away_since = now;
    r->retry_at = now + RETRY_FAST_MS;
}

// Reopens the sink once its retry time has come. O_NONBLOCK: a FIFO without a reader fails
// with ENXIO instead of blocking. The path lies in a directory the task can write to, so a
// symlink or a different kind of file planted there is refused rather than written through.
static void try_reopen(sd_log_relay *r, long long now) {
    if (r->dst >= 0 || now < r->retry_at || !wants_sink(r)) return;
    int fd = open(r->path, O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == r->kind) {
        r->dst = fd;
        return;
    }
    if (fd >= 0) close(fd);
    r->retry_at = now + (now - r->away_since >= SLOW_AFTER_MS ? RETRY_SLOW_MS : RETRY_FAST_MS);
}

// Drops the oldest bytes so that `need` bytes fit, ending the dropped part at a newline when one is near.
static void make_room(sd_log_relay *r, size_t need) {
    size_t room = SD_LOG_RELAY_CAPACITY - r->len;
    if (room >= need) return;
    size_t drop = need - room;
    char *nl = memchr(r->buf + drop, '\n', r->len - drop);
    if (nl && (size_t)(nl - r->buf) + 1 - drop <= LINE_SLACK) drop = (size_t)(nl - r->buf) + 1;
    memmove(r->buf, r->buf + drop, r->len - drop);
    r->len -= drop;
}

// One read from the task's pipe. While the reader is there and the buffer is full nothing is
// read, so the task waits for its reader; while it is away the oldest output makes room.
static void fill(sd_log_relay *r) {
    if (r->src < 0) return;
    if (!r->buf && !(r->buf = malloc(SD_LOG_RELAY_CAPACITY))) return;
    if (r->dst < 0) make_room(r, READ_CHUNK);
    size_t room = SD_LOG_RELAY_CAPACITY - r->len;
    if (room == 0) return;
    ssize_t n;
    do {
        n = read(r->src, r->buf + r->len, room < READ_CHUNK ? room : READ_CHUNK);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        r->len += (size_t)n;
    } else if (n == 0 || errno != EAGAIN) {
        close(r->src);
        r->src = -1;
    }
}

// Writes pending output until the sink would block. EPIPE (SIGPIPE is ignored by the
// supervisor) means the reader left: the sink is closed and reopened later.
static void flush(sd_log_relay *r, long long now) {
    while (r->dst >= 0 && r->len > 0) {
        ssize_t n = write(r->dst, r->buf, r->len);
        if (n > 0) {
            memmove(r->buf, r->buf + n, r->len - (size_t)n);
            r->len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        hang_up(r, now);
    }
}

static int min_timeout(int current, long long wait) {
    if (wait < 0) wait = 0;
    if (wait > 60000) wait = 60000;
    return current < 0 || wait < current ? (int)wait : current;
}

static int child_exited(pid_t pid) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return errno == EINTR ? 0 : -errno;
    return info.si_pid == pid;
}

int sd_log_relay_run(pid_t pid, sd_log_relay *const *relays, int count) {
    if (count > MAX_RELAYS) return EINVAL;
    // A pidfd turns "the task exited" into one more poll event; without one, look every 100 ms.
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    for (;;) {
        struct pollfd fds[1 + 2 * MAX_RELAYS];
        int src_at[MAX_RELAYS];
        int nfds = 0;
        int timeout = pidfd >= 0 ? -1 : 100;
        if (pidfd >= 0) fds[nfds++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
        long long now = now_ms();
        for (int i = 0; i < count; i++) {
            sd_log_relay *r = relays[i];
            src_at[i] = -1;
            if (!r) continue;
            try_reopen(r, now);
            flush(r, now);
            if (r->src >= 0 && (r->dst < 0 || r->len < SD_LOG_RELAY_CAPACITY)) {
                src_at[i] = nfds;
                fds[nfds++] = (struct pollfd){ .fd = r->src, .events = POLLIN };
            }
            if (r->dst >= 0 && r->len > 0) fds[nfds++] = (struct pollfd){ .fd = r->dst, .events = POLLOUT };
            if (r->dst < 0 && wants_sink(r)) timeout = min_timeout(timeout, r->retry_at - now);
        }
        if (poll(fds, (nfds_t)nfds, timeout) < 0 && errno != EINTR) {
            int err = errno;
            if (pidfd >= 0) close(pidfd);
            return err;
        }
        int exited = pidfd >= 0 ? (fds[0].revents != 0) : child_exited(pid);
        if (exited != 0) {
            if (pidfd >= 0) close(pidfd);
            return exited < 0 ? -exited : 0;
        }
        for (int i = 0; i < count; i++) {
            if (src_at[i] >= 0 && fds[src_at[i]].revents) fill(relays[i]);
        }
    }
}

void sd_log_relay_drain(sd_log_relay *const *relays, int count, int eof_wait_ms, int flush_wait_ms) {
    if (count > MAX_RELAYS) return;
    long long start = now_ms();
    long long eof_deadline = start + eof_wait_ms;
    long long flush_deadline = start + flush_wait_ms;
    // One more chance for a reader that is away right now; no waiting for it.
    for (int i = 0; i < count; i++) {
        if (relays[i] && relays[i]->dst < 0) {
            relays[i]->retry_at = 0;
            try_reopen(relays[i], start);
        }
    }
    for (;;) {
        struct pollfd fds[2 * MAX_RELAYS];
        int src_at[MAX_RELAYS];
        int nfds = 0;
        int timeout = -1;
        long long now = now_ms();
        for (int i = 0; i < count; i++) {
            sd_log_relay *r = relays[i];
            src_at[i] = -1;
            if (!r) continue;
            flush(r, now);
            if (r->src >= 0 && now < eof_deadline && (r->dst < 0 || r->len < SD_LOG_RELAY_CAPACITY)) {
                src_at[i] = nfds;
                fds[nfds++] = (struct pollfd){ .fd = r->src, .events = POLLIN };
                timeout = min_timeout(timeout, eof_deadline - now);
            }
            if (r->dst >= 0 && r->len > 0 && now < flush_deadline) {
                fds[nfds++] = (struct pollfd){ .fd = r->dst, .events = POLLOUT };
                timeout = min_timeout(timeout, flush_deadline - now);
            }
        }
        if (nfds == 0) return;
        if (poll(fds, (nfds_t)nfds, timeout) < 0 && errno != EINTR) return;
        for (int i = 0; i < count; i++) {
            if (src_at[i] >= 0 && fds[src_at[i]].revents) fill(relays[i]);
        }
    }
}
