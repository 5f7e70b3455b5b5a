/// The command line of `closer-bench-fanout`: `--name value` pairs, all but `--token` and `--lead`
/// optional. See `usage` for what each one does.
struct Options: Sendable {
    /// The server's HTTP base URL; the Socket.IO URL is derived from it.
    var baseURL = "http://127.0.0.1:8080"
    /// A bearer token of the rep whose sockets are connected and whose drafts are written.
    var token = ""
    /// The lead whose draft every event writes (`POST /api/drafts/:leadId`).
    var leadId = ""
    /// The server's process id, for its RSS and CPU time from /proc; nil skips those figures.
    var serverPID: Int32?
    /// N: clients connected at once.
    var clients = 100
    /// M: events of the paced latency phase.
    var events = 200
    /// The pacing of the latency phase, in milliseconds between two REST calls (open loop).
    var intervalMilliseconds = 50
    /// How long the throughput phase fires events, in seconds.
    var throughputSeconds = 10
    /// Throughput phase: REST calls in flight at once.
    var firers = 4
    /// Throughput phase: the most events fired but not yet received by every client (on average)
    /// before the firers wait, so a server's per-socket queues stay bounded.
    var window = 1_000
    /// Handshakes in flight at once while connecting the N clients.
    var connectConcurrency = 100
    /// Clients and events of the warm-up round that precedes the idle-RSS reading.
    var warmupClients = 10
    var warmupEvents = 20
    /// Seconds to let the server settle before each RSS reading.
    var settleSeconds = 3
    /// A free-form label copied into the result (e.g. "closer" or "python-socketio").
    var label = ""
    /// Where the JSON result goes; stdout when nil.
    var output: String?

    static let usage = """
        usage: closer-bench-fanout --url http://127.0.0.1:PORT --token TOKEN --lead LEAD_ID [options]
          --server-pid PID        read the server's VmRSS and CPU time from /proc/PID
          --clients N             clients connected at once (100)
          --events M              paced events in the latency phase (200)
          --interval-ms MS        pacing of the latency phase (50)
          --throughput-seconds S  length of the throughput phase (10; 0 skips it)
          --firers K              REST calls in flight in the throughput phase (4)
          --window W              most events outstanding in the throughput phase (1000)
          --connect-concurrency C handshakes in flight while connecting (100)
          --warmup-clients N      warm-up clients before the idle RSS reading (10)
          --warmup-events M       warm-up events (20)
          --settle-seconds S      pause before each RSS reading (3)
          --label TEXT            copied into the result
          --out FILE              write the JSON result there (default stdout)
        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(UsageError) {
        var remaining = arguments[...]
        while let name = remaining.popFirst() {
            if name == "--help" || name == "-h" { throw UsageError(message: nil) }
            guard let value = remaining.popFirst() else { throw UsageError(message: "\(name) needs a value") }
            switch name {
            case "--url": baseURL = value.hasSuffix("/") ? String(value.dropLast()) : value
            case "--token": token = value
            case "--lead": leadId = value
            case "--server-pid": serverPID = try Self.integer(value, name)
            case "--clients": clients = try Self.integer(value, name, minimum: 1)
            case "--events": events = try Self.integer(value, name, minimum: 1)
            case "--interval-ms": intervalMilliseconds = try Self.integer(value, name, minimum: 1)
            case "--throughput-seconds": throughputSeconds = try Self.integer(value, name)
            case "--firers": firers = try Self.integer(value, name, minimum: 1)
            case "--window": window = try Self.integer(value, name, minimum: 1)
            case "--connect-concurrency": connectConcurrency = try Self.integer(value, name, minimum: 1)
            case "--warmup-clients": warmupClients = try Self.integer(value, name)
            case "--warmup-events": warmupEvents = try Self.integer(value, name)
            case "--settle-seconds": settleSeconds = try Self.integer(value, name)
            case "--label": label = value
            case "--out": output = value
            default: throw UsageError(message: "unknown option \(name)")
            }
        }
        guard !token.isEmpty, !leadId.isEmpty else { throw UsageError(message: "--token and --lead are required") }
        guard baseURL.hasPrefix("http://") else { throw UsageError(message: "--url must be an http:// URL") }
    }

    /// `ws://host:port/socket.io/?EIO=4&transport=websocket` for the same host as ``baseURL``.
    var socketURL: String {
        "ws://" + baseURL.dropFirst("http://".count) + "/socket.io/?EIO=4&transport=websocket"
    }

    private static func integer<Value: FixedWidthInteger>(
        _ text: String, _ name: String, minimum: Value = 0
    ) throws(UsageError) -> Value {
        guard let value = Value(text), value >= minimum else {
            throw UsageError(message: "\(name) must be an integer of at least \(minimum)")
        }
        return value
    }
}

/// A command line that cannot be run; `message` nil means help was asked for.
struct UsageError: Error {
    let message: String?
}
