/// Engine.IO / Socket.IO timings and limits.
public struct RealtimeConfiguration: Sendable {
    /// How often the server pings each socket.
    public var pingInterval: Duration = .seconds(25)
    /// How long a socket has to answer a ping before it is dropped.
    public var pingTimeout: Duration = .seconds(20)
    /// The largest packet accepted; a larger one closes that connection only.
    public var maxPayload = 1_000_000
    /// How long a new connection may take to send CONNECT.
    public var connectTimeout: Duration = .seconds(10)
    /// Frames queued for one slow socket before it is dropped (it reconnects and replays from its offset).
    public var outboxLimit = 10_000
    /// How long a closed session waits for the peer's close frame before the connection is cut.
    public var closeGrace: Duration = .seconds(3)

    public init() {}
}
