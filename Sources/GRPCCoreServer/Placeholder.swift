// The gRPC core wrapper lives here (see GRPCServer.swift once written).
