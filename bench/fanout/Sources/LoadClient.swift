import CloserCore
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WSClient

/// What an event's draft content says: which phase fired it and its sequence number there.
///
/// The load tool writes `fanout:<phase>:<sequence>` as the draft content, and the server echoes it
/// in the `drafts_updated` event, which is how a client matches its receipt to the REST call.
struct EventMark: Sendable, Equatable {
    /// The phases of a run.
    enum Phase: String, Sendable {
        case warmup = "W"
        case latency = "L"
        case throughput = "T"
    }

    var phase: Phase
    var sequence: Int

    var content: String { "fanout:\(phase.rawValue):\(sequence)" }

    init(phase: Phase, sequence: Int) {
        self.phase = phase
        self.sequence = sequence
    }

    init?(content: String) {
        let parts = content.split(separator: ":")
        guard parts.count == 3, parts[0] == "fanout", let phase = Phase(rawValue: String(parts[1])),
              let sequence = Int(parts[2]), sequence >= 0
        else { return nil }
        self.init(phase: phase, sequence: sequence)
    }
}

/// Counters shared by every client of a run (relaxed atomics: they are read only to pace the
/// throughput phase and to know when deliveries are complete).
final class Tally: Sendable {
    /// Throughput-phase receipts, over all clients.
    let throughputReceipts = Atomic<Int>(0)
    /// Latency-phase receipts, over all clients.
    let latencyReceipts = Atomic<Int>(0)
    /// Warm-up receipts, over all clients.
    let warmupReceipts = Atomic<Int>(0)
    /// Frames that were not valid Engine.IO / Socket.IO, or events the tool did not fire.
    let unexpectedFrames = Atomic<Int>(0)
    /// Open packets the codec refused but the tool accepted (see ``LoadClient``).
    let lenientOpenPackets = Atomic<Int>(0)
}

/// One Socket.IO client on one WebSocket (WSClient), speaking Engine.IO 4 / Socket.IO 5 through
/// CloserCore's codec: it answers the open packet with CONNECT `{token}`, answers pings, and records
/// when each `drafts_updated` event fired by the tool arrives. It runs as a few Swift tasks on the
/// shared NIO event loops and the cooperative pool, never a thread of its own.
final class LoadClient: Sendable {
    /// Receipt times (``BenchClock`` nanoseconds) of the events this client saw.
    private struct Receipts {
        /// Indexed by the latency phase's sequence number; 0 when not (yet) received.
        var latency: [Int64]
        var duplicates = 0
        var throughputCount = 0
        var lastThroughputReceipt: Int64 = 0
    }

    /// How the handshake ended.
    private enum Handshake {
        case waiting(CheckedContinuation<Int64, any Error>?)
        case connected(Int64)
        case failed(ConnectFailure)
    }

    private let receipts: Mutex<Receipts>
    private let handshake = Mutex(Handshake.waiting(nil))
    private let closeRequests: AsyncStream<Void>.Continuation
    private let closeStream: AsyncStream<Void>
    private let tally: Tally
    private let task = Mutex<Task<Void, Never>?>(nil)

    private init(latencyEvents: Int, tally: Tally) {
        receipts = Mutex(Receipts(latency: Array(repeating: 0, count: latencyEvents)))
        (closeStream, closeRequests) = AsyncStream.makeStream(of: Void.self)
        self.tally = tally
    }

    /// Opens the socket and completes the Socket.IO handshake; returns the client and the
    /// nanoseconds from starting the TCP connection to the CONNECT acknowledgement.
    static func connect(
        url: String, token: String, latencyEvents: Int, tally: Tally, logger: Logger,
        handshakeTimeout: Duration = .seconds(10)
    ) async throws -> (LoadClient, connectNanos: Int64) {
        let client = LoadClient(latencyEvents: latencyEvents, tally: tally)
        let started = BenchClock.nanos()
        client.task.withLock { task in
            task = Task { await client.run(url: url, token: token, logger: logger) }
        }
        let deadline = Task {
            try await Task.sleep(for: handshakeTimeout)
            client.resolveHandshake(.failed(ConnectFailure(reason: "no CONNECT acknowledgement within \(handshakeTimeout)")))
        }
        defer { deadline.cancel() }
        do {
            let acknowledged = try await client.waitForHandshake()
            return (client, acknowledged - started)
        } catch {
            await client.close()
            throw error
        }
    }

    /// Sends a WebSocket close and waits (bounded by the client's close timeout) for the socket to end.
    func close() async {
        closeRequests.yield()
        closeRequests.finish()
        await task.withLock { $0 }?.value
    }

    /// The receipt time of latency event `sequence`, or nil when it has not arrived.
    func latencyReceipt(_ sequence: Int) -> Int64? {
        receipts.withLock { $0.latency[sequence] == 0 ? nil : $0.latency[sequence] }
    }

    /// Every latency receipt time, by sequence number (0 = missing).
    var latencyReceipts: [Int64] { receipts.withLock { $0.latency } }

    /// How many throughput events arrived, and when the last one did.
    var throughput: (count: Int, last: Int64) {
        receipts.withLock { ($0.throughputCount, $0.lastThroughputReceipt) }
    }

    /// Events received twice.
    var duplicates: Int { receipts.withLock { $0.duplicates } }

    // MARK: The socket

    private func run(url: String, token: String, logger: Logger) async {
        do {
            let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, closeTimeout: .seconds(2))
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await _ in self.closeStream { break }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message else {
                                self.tally.unexpectedFrames.add(1, ordering: .relaxed)
                                continue
                            }
                            if let reply = self.receive(text, token: token) {
                                try await outbound.write(.text(reply))
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
            resolveHandshake(.failed(ConnectFailure(reason: "the socket closed before CONNECT was acknowledged")))
        } catch {
            resolveHandshake(.failed(ConnectFailure(reason: String(describing: error))))
        }
    }

    /// Handles one text frame; returns the frame to answer with, if any.
    private func receive(_ text: String, token: String) -> String? {
        let now = BenchClock.nanos()
        let packet: EngineIOPacket
        do {
            packet = try EngineIOPacket(decoding: text)
        } catch {
            // CloserCore's codec requires every handshake member, `maxPayload` included, which
            // python-socketio 5.7 (engine.io 4.3) does not send: accept such an open packet here
            // and count it, since the load tool needs nothing from the handshake data.
            guard text.hasPrefix("0{") else {
                tally.unexpectedFrames.add(1, ordering: .relaxed)
                return nil
            }
            tally.lenientOpenPackets.add(1, ordering: .relaxed)
            packet = .open(EngineIOOpen(sid: ""))
        }
        switch packet {
        case .ping(let data):
            return EngineIOPacket.pong(data).encoded
        case .open:
            let connect = SocketIOPacket.connect(auth: ["token": .string(token)])
            return EngineIOPacket.message(connect.encoded).encoded
        case .message(let payload):
            guard let socketPacket = try? SocketIOPacket(decoding: payload) else {
                tally.unexpectedFrames.add(1, ordering: .relaxed)
                return nil
            }
            switch socketPacket.type {
            case .connect:
                resolveHandshake(.connected(now))
            case .connectError:
                let reason = socketPacket.data?["message"]?.stringValue ?? "CONNECT_ERROR"
                resolveHandshake(.failed(ConnectFailure(reason: reason)))
            case .event:
                record(socketPacket, at: now)
            default:
                tally.unexpectedFrames.add(1, ordering: .relaxed)
            }
            return nil
        case .close, .pong, .upgrade, .noop:
            return nil
        }
    }

    private func record(_ packet: SocketIOPacket, at now: Int64) {
        guard packet.eventName == "drafts_updated",
              let content = packet.eventArguments.first?["draft"]?["content"]?.stringValue,
              let mark = EventMark(content: content)
        else {
            tally.unexpectedFrames.add(1, ordering: .relaxed)
            return
        }
        switch mark.phase {
        case .warmup:
            tally.warmupReceipts.add(1, ordering: .relaxed)
        case .latency:
            let fresh = receipts.withLock { receipts -> Bool in
                guard mark.sequence < receipts.latency.count else { return false }
                guard receipts.latency[mark.sequence] == 0 else {
                    receipts.duplicates += 1
                    return false
                }
                receipts.latency[mark.sequence] = now
                return true
            }
            if fresh { tally.latencyReceipts.add(1, ordering: .relaxed) }
        case .throughput:
            receipts.withLock { receipts in
                receipts.throughputCount += 1
                receipts.lastThroughputReceipt = now
            }
            tally.throughputReceipts.add(1, ordering: .relaxed)
        }
    }

    // MARK: Handshake

    private func waitForHandshake() async throws -> Int64 {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int64, any Error>) in
            let outcome = handshake.withLock { state -> Result<Int64, ConnectFailure>? in
                switch state {
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                case .connected(let at): return .success(at)
                case .failed(let failure): return .failure(failure)
                }
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Settles the handshake once; later outcomes (e.g. the socket closing after CONNECT) are ignored.
    private func resolveHandshake(_ outcome: Handshake) {
        let waiter = handshake.withLock { state -> CheckedContinuation<Int64, any Error>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = outcome
            return continuation
        }
        switch outcome {
        case .connected(let at): waiter?.resume(returning: at)
        case .failed(let failure): waiter?.resume(throwing: failure)
        case .waiting: break
        }
    }
}

/// A client that could not join: the socket failed, closed early, or CONNECT was refused.
struct ConnectFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
