#ifndef SWIFTDRIVER_LOG_RELAY_H
#define SWIFTDRIVER_LOG_RELAY_H
// The task supervisor's log copier. A task writes into a pipe the supervisor owns, and the
// supervisor copies the pipe into logmon's FIFO. Logmon can then go away and come back (an
// agent restart) without the task ever getting SIGPIPE or blocking: while the FIFO has no
// reader the supervisor keeps draining the pipe into a bounded buffer (oldest bytes dropped)
// and retries opening the FIFO. While a reader is there, a slow reader slows the task down
// as writing to the FIFO directly would, so no output is lost.
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sd_log_relay sd_log_relay;

// Most bytes a stream holds while its reader is slow or away.
#define SD_LOG_RELAY_CAPACITY (64 * 1024)

// Creates a relay from a new pipe to `sink_fd` (already open for writing; the relay owns it and
// makes it non-blocking) whose path `path` is reopened when its reader goes away. *task_fd is
// the pipe's write end for the task (close-on-exec; the caller closes it once the task is
// spawned). Returns NULL with errno set on failure.
sd_log_relay *sd_log_relay_new(const char *path, int sink_fd, int *task_fd);

// Copies every relay until process `pid` (a child) has exited, without reaping it.
// NULL entries are skipped. Returns 0, or an errno value when the wait itself failed.
int sd_log_relay_run(pid_t pid, sd_log_relay *const *relays, int count);

// After the task's processes are gone: reads what is left in the pipes (waiting at most
// eof_wait_ms for the last writers to close them) and hands the buffered output to the readers
// (at most flush_wait_ms for a slow one). Output for a reader that is away is dropped.
void sd_log_relay_drain(sd_log_relay *const *relays, int count, int eof_wait_ms, int flush_wait_ms);

// Closes the pipe and the sink and frees the relay (the reader sees end of file).
void sd_log_relay_free(sd_log_relay *relay);

#ifdef __cplusplus
}
#endif
#endif
