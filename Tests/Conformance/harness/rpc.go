package main

import (
	"context"
	"fmt"
	"io"

	"github.com/golang/protobuf/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	structs "swiftdriver/proto/structs"
)

// Full gRPC method names, as Nomad's generated clients call them.
const (
	basePrefix   = "/hashicorp.nomad.plugins.base.proto.BasePlugin/"
	driverPrefix = "/hashicorp.nomad.plugins.drivers.proto.Driver/"

	methodHealthCheck  = "/grpc.health.v1.Health/Check"
	methodShutdown     = "/plugin.GRPCController/Shutdown"
	methodPluginInfo   = basePrefix + "PluginInfo"
	methodConfigSchema = basePrefix + "ConfigSchema"
	methodSetConfig    = basePrefix + "SetConfig"
)

func driverMethod(name string) string { return driverPrefix + name }

// unary calls one unary RPC by full method name.
func unary(ctx context.Context, conn *grpc.ClientConn, method string, req, resp proto.Message) error {
	return conn.Invoke(ctx, method, req, resp)
}

// serverStream opens a server-streaming RPC, sends the single request and half-closes.
func serverStream(ctx context.Context, conn *grpc.ClientConn, method string, req proto.Message) (grpc.ClientStream, error) {
	stream, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, method)
	if err != nil {
		return nil, err
	}
	if err := stream.SendMsg(req); err != nil {
		return nil, err
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	return stream, nil
}

// recvLoop reads messages made by newMsg from stream into a channel until the stream ends;
// the final error (io.EOF on a clean end) is sent on errc.
func recvLoop(stream grpc.ClientStream, newMsg func() protoMessage) (<-chan protoMessage, <-chan error) {
	out := make(chan protoMessage, 64)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		for {
			m := newMsg()
			if err := stream.RecvMsg(m); err != nil {
				errc <- err
				return
			}
			out <- m
		}
	}()
	return out, errc
}

// grpcCode returns the status code of err (OK for nil).
func grpcCode(err error) codes.Code {
	return status.Code(err)
}

// grpcMessage returns the status message of err, or its text.
func grpcMessage(err error) string {
	if s, ok := status.FromError(err); ok {
		return s.Message()
	}
	return err.Error()
}

// recoverableDetail reports whether the status carries a RecoverableError detail first, as
// Nomad's client inspects only Details()[0], and its flag.
func recoverableDetail(err error) (present bool, recoverable bool) {
	if err == nil {
		return false, false
	}
	s, ok := status.FromError(err)
	if !ok {
		return false, false
	}
	p := s.Proto()
	if len(p.Details) == 0 {
		return false, false
	}
	var re structs.RecoverableError
	if p.Details[0].TypeUrl == "" {
		return false, false
	}
	if err := proto.Unmarshal(p.Details[0].Value, &re); err != nil {
		return false, false
	}
	if want := "hashicorp.nomad.plugins.shared.structs.RecoverableError"; !hasSuffix(p.Details[0].TypeUrl, want) {
		return false, false
	}
	return true, re.Recoverable
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

func describeErr(err error) string {
	if err == nil {
		return "ok"
	}
	if err == io.EOF {
		return "stream closed (EOF)"
	}
	return fmt.Sprintf("%s: %s", grpcCode(err), grpcMessage(err))
}

type protoMessage = proto.Message
