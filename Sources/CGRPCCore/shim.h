#ifndef SWIFTDRIVER_CGRPCCORE_SHIM_H
#define SWIFTDRIVER_CGRPCCORE_SHIM_H
// The part of gRPC core's C API the server and test client use (Debian libgrpc-dev), plus
// inline helpers for what Swift cannot express: slice macros and the grpc_arg union.
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/status.h>
#include <grpc/support/time.h>
#include <grpc/support/alloc.h>
#include <string.h>

static inline const uint8_t *sd_slice_start(const grpc_slice *s) { return GRPC_SLICE_START_PTR(*s); }
static inline size_t sd_slice_length(const grpc_slice *s) { return GRPC_SLICE_LENGTH(*s); }

static inline grpc_arg sd_integer_arg(char *key, int value) {
    grpc_arg arg;
    memset(&arg, 0, sizeof arg);
    arg.type = GRPC_ARG_INTEGER;
    arg.key = key;
    arg.value.integer = value;
    return arg;
}

// Copies bytes into a new single-slice byte buffer; the caller destroys it after the send completes.
static inline grpc_byte_buffer *sd_byte_buffer_from(const void *bytes, size_t length) {
    grpc_slice slice = grpc_slice_from_copied_buffer((const char *)bytes, length);
    grpc_byte_buffer *buffer = grpc_raw_byte_buffer_create(&slice, 1);
    grpc_slice_unref(slice);
    return buffer;
}

// Flattens a received byte buffer into one slice (the caller unrefs it). Returns 0 on failure.
static inline int sd_byte_buffer_read_all(grpc_byte_buffer *buffer, grpc_slice *out) {
    grpc_byte_buffer_reader reader;
    if (!grpc_byte_buffer_reader_init(&reader, buffer)) return 0;
    *out = grpc_byte_buffer_reader_readall(&reader);
    grpc_byte_buffer_reader_destroy(&reader);
    return 1;
}

static inline gpr_timespec sd_infinite_future(void) { return gpr_inf_future(GPR_CLOCK_REALTIME); }
static inline gpr_timespec sd_deadline_after_ms(int64_t ms) {
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(ms, GPR_TIMESPAN));
}
// Milliseconds from now until t (negative when past; INT64_MAX for an infinite deadline).
static inline int64_t sd_millis_until(gpr_timespec t) {
    if (gpr_time_cmp(t, gpr_inf_future(t.clock_type)) == 0) return INT64_MAX;
    gpr_timespec now = gpr_now(t.clock_type);
    gpr_timespec diff = gpr_time_sub(t, now);
    return diff.tv_sec * 1000 + diff.tv_nsec / 1000000;
}

// grpc core's archives are not built with ThreadSanitizer, so it cannot see that a completion
// tag handed to grpc (grpc_call_start_batch, grpc_server_request_call, ...) comes back from
// grpc_completion_queue_next on another thread only after that start: it then reports
// everything written before the start and read in the completion as a race. These declare the
// hand-off to it. The runtime functions are weak: without ThreadSanitizer they are null and the
// calls do nothing.
extern void __tsan_acquire(void *addr) __attribute__((weak));
extern void __tsan_release(void *addr) __attribute__((weak));
static inline void sd_tsan_release(void *tag) { if (__tsan_release) __tsan_release(tag); }
static inline void sd_tsan_acquire(void *tag) { if (__tsan_acquire) __tsan_acquire(tag); }
#endif
