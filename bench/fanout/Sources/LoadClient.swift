import CloserCore
import Logging
import NIOCore
import NIOPosix
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

    /// The mark of a `drafts_updated` event frame (`42["drafts_updated",{…"content":"fanout:…"…}]`),
    /// read in place: the prefix must be exact and the content's mark well formed. Nil for any
    /// other frame, which then goes through the codec.
    init?(eventFrame text: String) {
        var text = text
        let found = text.withUTF8 { bytes -> EventMark? in
            guard bytes.starts(with: Self.framePrefix) else { return nil }
            guard let key = Self.find(Self.contentKey, in: bytes, from: Self.framePrefix.count) else { return nil }
            var index = key + Self.contentKey.count
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            guard bytes[index...].starts(with: Self.markStart) else { return nil }
            index += Self.markStart.count
            guard index + 2 < bytes.count, let phase = Phase(rawValue: String(UnicodeScalar(bytes[index]))),
                  bytes[index + 1] == UInt8(ascii: ":")
            else { return nil }
            index += 2
            var sequence = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"), digits < 9 {
                sequence = sequence * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            guard digits > 0, index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            return EventMark(phase: phase, sequence: sequence)
        }
        guard let found else { return nil }
        self = found
    }

    private static let framePrefix = Array(#"42["drafts_updated",{"#.utf8)
    private static let contentKey = Array(#""content":"#.utf8)
    private static let markStart = Array(#""fanout:"#.utf8)

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
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
        /// Event frames read in place so far that were also decoded by the codec to check them.
        var crossChecked = 0
    }

    /// How many of each client's event frames go through the codec too, to check the in-place read.
    private static let crossChecks = 3

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
            // The client lives on one event loop: its channel's reads and its task's work stay on
            // one thread.
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            task = Task(executorPreference: EventLoopTaskExecutor(loop)) {
                await client.run(url: url, token: token, eventLoop: loop, logger: logger)
            }
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

    private func run(url: String, token: String, eventLoop: any EventLoop, logger: Logger) async {
        do {
            let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, closeTimeout: .seconds(2))
            try await WebSocketClient.connect(url: url, configuration: configuration, eventLoopGroup: eventLoop, logger: logger) { inbound, outbound, _ in
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
        // The hot path: an event this tool fired. Decoding the whole frame into a JSON tree cost
        // the tool as much CPU per frame as the server spent sending it, on the same two cores,
        // which held back the very figure being measured. The mark is read in place instead; a
        // client's first few event frames also go through the codec, and must say the same.
        if let mark = EventMark(eventFrame: text) {
            let check = receipts.withLock { receipts in
                receipts.crossChecked += 1
                return receipts.crossChecked <= Self.crossChecks
            }
            if check {
                guard case .message(let payload)? = try? EngineIOPacket(decoding: text),
                      let packet = try? SocketIOPacket(decoding: payload), packet.type == .event,
                      Self.mark(of: packet) == mark
                else {
                    tally.unexpectedFrames.add(1, ordering: .relaxed)
                    return nil
                }
            }
            record(mark, at: now)
            return nil
        }
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
                guard let mark = Self.mark(of: socketPacket) else {
                    tally.unexpectedFrames.add(1, ordering: .relaxed)
                    return nil
                }
                record(mark, at: now)
            default:
                tally.unexpectedFrames.add(1, ordering: .relaxed)
            }
            return nil
        case .close, .pong, .upgrade, .noop:
            return nil
        }
    }

    /// The mark of a `drafts_updated` event the tool fired, as the codec decoded it.
    private static func mark(of packet: SocketIOPacket) -> EventMark? {
        guard packet.eventName == "drafts_updated",
              let content = packet.eventArguments.first?["draft"]?["content"]?.stringValue
        else { return nil }
        return EventMark(content: content)
    }

    private func record(_ mark: EventMark, at now: Int64) {
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
