#ifndef SWIFTDRIVER_CGRPCCORE_SHIM_H
#define SWIFTDRIVER_CGRPCCORE_SHIM_H
// The part of gRPC core's C API the server and test client use (Debian libgrpc-dev).
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/status.h>
#include <grpc/support/time.h>
#include <grpc/support/alloc.h>
#endif
