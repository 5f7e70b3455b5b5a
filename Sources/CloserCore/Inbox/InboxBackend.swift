import Foundation

/// Where the terminal client's data comes from and where the rep's actions go.
///
/// The terminal application talks only to this protocol. `closer --fixture` runs it over
/// in-memory fixtures; the sync engine (CloserClient) runs it over the SQLite cache, HTTP and
/// Socket.IO. Implementations report everything through the sink given to `start`, from any
/// thread; the UI applies events in the order they arrive.
public protocol InboxBackend: AnyObject, Sendable {
    /// Begins reporting: first what is at hand (the cache), then refreshes and live changes.
    func start(sink: @escaping @Sendable (InboxEvent) -> Void)
    /// Carries out a rep's action; outcomes come back as events.
    func perform(_ command: InboxCommand)
    /// Makes everything the rep typed durable before the process exits (quit, SIGHUP, SIGTERM).
    /// Blocks until done or until `timeout` seconds pass.
    func flush(timeout: Double)
    /// Stops background work; no events are reported after it returns.
    func stop()
}

/// The state of the link to the server, shown in the status bar at all times.
public enum ConnectionStatus: Sendable, Hashable {
    case online
    /// Trying to connect; `retryAt` is when the next attempt starts, if one is scheduled.
    case connecting(retryAt: Date?)
    case offline(reason: String)
    /// Nothing to connect to (fixtures, or no server configured).
    case local
}
