extension ExecTaskStreamingRequest {
    /// True for the empty keep-alive message the CLI sends.
    public var isHeartbeat: Bool { setup == nil && ttySize == nil && stdin == nil }
}

extension ExecTaskStreamingResponse {
    /// The final message of a session; it always carries its result.
    public static func exited(_ result: ExitResult) -> ExecTaskStreamingResponse {
        ExecTaskStreamingResponse(exited: true, result: result)
    }
}
