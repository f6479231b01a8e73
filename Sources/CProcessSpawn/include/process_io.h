#ifndef SWIFTDRIVER_PROCESS_IO_H
#define SWIFTDRIVER_PROCESS_IO_H
// Small wrappers for calls Swift cannot make directly (variadic ioctl/fcntl, wait-status
// macros, siginfo unions) or that must be atomic with close-on-exec so that a concurrent
// spawn never inherits our descriptors.
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

// pipe2 with O_CLOEXEC. Returns 0 or an errno value.
int sd_pipe_cloexec(int fds[2]);

// Opens a pseudo-terminal pair, both ends close-on-exec and the slave without becoming our
// controlling terminal. When rows and cols are both > 0 the window size is set. Returns 0 or
// an errno value; on error nothing is left open.
int sd_open_pty(int *master, int *slave, unsigned short rows, unsigned short cols);

// TIOCSWINSZ on a terminal fd. Returns 0 or an errno value.
int sd_set_winsize(int fd, unsigned short rows, unsigned short cols);

// Sets or clears O_NONBLOCK. Returns 0 or an errno value.
int sd_set_nonblocking(int fd, int nonblocking);

// Blocks until the child pid has terminated WITHOUT reaping it (waitid WNOWAIT), so the pid
// stays reserved until sd_reap. Returns 0 or an errno value (ECHILD: not our child).
int sd_wait_exited_nowait(pid_t pid);

// Reaps the child pid (waitpid on that pid only) and decodes the status: *exit_code is the
// exit status when it exited, *signal the terminating signal when killed (the other is 0).
// Returns 0 or an errno value.
int sd_reap(pid_t pid, int *exit_code, int *signal);

// Non-blocking reap attempt: returns 1 and fills the outputs when the child had ended,
// 0 when it is still running, or -errno.
int sd_try_reap(pid_t pid, int *exit_code, int *signal);

// Blocks SIGPIPE in the calling thread only, so a write to a pipe whose reader is gone
// fails with EPIPE instead of killing the process.
void sd_block_sigpipe_in_thread(void);

// Discards a SIGPIPE left pending on the calling thread by such a write.
void sd_discard_pending_sigpipe(void);

#ifdef __cplusplus
}
#endif
#endif
