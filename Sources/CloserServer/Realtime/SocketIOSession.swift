import CloserCore
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import Synchronization
import WSCore

/// One Socket.IO connection (Engine.IO 4, websocket transport): the open packet, CONNECT with
/// `{token, offset}`, replay from the rep's event log, live events, pings, and acks.
///
/// A connection that misbehaves (oversized or malformed packets, binary frames, no pong) is
/// closed; nothing it sends can affect the server or other connections.
final class SocketIOSession: Sendable {
    private enum Phase {
        /// Waiting for CONNECT.
        case handshake
        /// Replaying the log; live events wait in `pending`.
        case replaying(pending: [EncodedEvent])
        case live
        case closed
    }

    private struct WriterState {
        /// Frames written since the channel last had room: a socket that stays full this long is
        /// too slow and is dropped (it reconnects and replays).
        var backlog = 0
        /// A flush is queued on the loop behind the frames written so far.
        var flushQueued = false
    }

    private struct State {
        var phase: Phase = .handshake
        var userId: String?
        var subscription: EventHub.SubscriptionID?
        /// The newest offset queued for this socket: live events at or below it are already sent.
        var lastQueued = 0
        /// The pong to the latest ping has arrived.
        var pongArrived = false
        var pongWaiter: CheckedContinuation<Bool, Never>?
    }

    private let sid: String
    private let hub: EventHub
    private let database: Database
    private let authenticator: TokenAuthenticator
    private let configuration: RealtimeConfiguration
    private let logger: Logger
    private let state = Mutex(State())
    /// The socket's channel. Frames are written to it on its event loop directly, in the order
    /// they are queued, rather than through a writer task: see `enqueue(frame:)`.
    private let channel: any NIOCore.Channel
    /// The writing side's bookkeeping, touched only on the channel's loop.
    private let writer: NIOLoopBoundBox<WriterState>
    /// Set before a close frame is sent (ours or WSCore's): nothing may follow it.
    private let writesClosed = Atomic<Bool>(false)
    /// Finished when the session must end from the writing side (too slow, server stopping).
    private let stop: AsyncStream<Void>
    private let stopContinuation: AsyncStream<Void>.Continuation
    private let overflowed = Atomic<Bool>(false)
    private let shuttingDown = Atomic<Bool>(false)

    init(channel: any NIOCore.Channel, hub: EventHub, database: Database, authenticator: TokenAuthenticator, configuration: RealtimeConfiguration, logger: Logger) {
        self.channel = channel
        writer = NIOLoopBoundBox.makeBoxSendingValue(WriterState(), eventLoop: channel.eventLoop)
        sid = SecureToken.random(bytes: 15)
        self.hub = hub
        self.database = database
        self.authenticator = authenticator
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "sid"] = .string(sid)
        self.logger = logger
        (stop, stopContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// Runs the connection until either side closes it or it breaks a rule.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        logger.debug("socket session started")
        defer {
            finish()
            logger.debug("socket session ended")
        }
        let open = EngineIOOpen(
            sid: sid, upgrades: [], pingInterval: configuration.pingInterval.wholeMilliseconds,
            pingTimeout: configuration.pingTimeout.wholeMilliseconds, maxPayload: configuration.maxPayload
        )
        enqueue(EngineIOPacket.open(open).encoded)
        do {
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.watchWrites() }
                    group.addTask { try await self.readLoop(inbound) }
                    group.addTask { try await self.heartbeat() }
                    group.addTask { try await self.connectDeadline() }
                    try await group.next()
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                // The server is stopping: the socket closes with "going away" and the client
                // reconnects (to this instance restarted, or another) with its offset.
                self.shuttingDown.store(true, ordering: .relaxed)
                self.stopContinuation.finish()
            }
        } catch let error as SessionClosed {
            logger.debug("socket closing: \(error.reason)")
            writesClosed.store(true, ordering: .sequentiallyConsistent)
            try? await outbound.close(error.code, reason: error.reason)
            logger.debug("socket close sent")
        } catch {
            logger.debug("socket ended: \(error)")
        }
    }

    // MARK: Loops

    /// Ends the session when the writing side says so.
    private func watchWrites() async throws {
        for await _ in stop {}
        if shuttingDown.load(ordering: .relaxed) {
            throw SessionClosed(code: .goingAway, reason: "server shutting down")
        }
        if overflowed.load(ordering: .relaxed) {
            throw SessionClosed(code: .policyViolation, reason: "too slow: reconnect and replay from your offset")
        }
    }

    private func readLoop(_ inbound: WebSocketInboundStream) async throws {
        do {
            for try await message in inbound.messages(maxSize: configuration.maxPayload) {
                switch message {
                case .text(let text):
                    try await receive(text)
                case .binary:
                    throw SessionClosed(code: .unacceptableData, reason: "binary packets are not supported")
                }
            }
        } catch let error as SessionClosed {
            throw error
        } catch {
            throw SessionClosed(code: .messageTooLarge, reason: "packet over maxPayload or broken frame")
        }
    }

    /// Pings `pingInterval` after the previous pong (as Engine.IO servers do); a socket that does
    /// not answer within `pingTimeout` is dropped.
    private func heartbeat() async throws {
        while true {
            try await Task.sleep(for: configuration.pingInterval)
            state.withLock { $0.pongArrived = false }
            enqueue(EngineIOPacket.ping(nil).encoded)
            let answered = await withTaskGroup(of: Bool.self) { group in
                group.addTask { [configuration] in
                    try? await Task.sleep(for: configuration.pingTimeout)
                    return false
                }
                group.addTask { await self.pong() }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            try Task.checkCancellation()
            if !answered { throw SessionClosed(code: .goingAway, reason: "ping timeout") }
        }
    }

    /// Returns true when the pong to the current ping arrives, false if cancelled first.
    private func pong() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer: Bool? = state.withLock { state in
                    if state.pongArrived { return true }
                    if Task.isCancelled { return false }
                    state.pongWaiter = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.pongWaiter = nil }
                return state.pongWaiter
            }?.resume(returning: false)
        }
    }

    private func connectDeadline() async throws {
        try await Task.sleep(for: configuration.connectTimeout)
        if state.withLock({ if case .handshake = $0.phase { true } else { false } }) {
            throw SessionClosed(code: .policyViolation, reason: "no CONNECT in time")
        }
        // Connected: nothing more to watch; stay in the group until the others end.
        try await Task.sleep(for: .seconds(86_400 * 365))
    }

    // MARK: Packets

    private func receive(_ text: String) async throws {
        let packet: EngineIOPacket
        do {
            packet = try EngineIOPacket(decoding: text)
        } catch {
            throw SessionClosed(code: .protocolError, reason: "invalid Engine.IO packet")
        }
        switch packet {
        case .pong:
            state.withLock { state in
                state.pongArrived = true
                defer { state.pongWaiter = nil }
                return state.pongWaiter
            }?.resume(returning: true)
        case .ping(let data):
            enqueue(EngineIOPacket.pong(data).encoded)
        case .close:
            throw SessionClosed(code: .normalClosure, reason: "client closed")
        case .noop, .upgrade:
            break
        case .open:
            throw SessionClosed(code: .protocolError, reason: "unexpected open packet")
        case .message(let payload):
            let socketPacket: SocketIOPacket
            do {
                socketPacket = try SocketIOPacket(decoding: payload)
            } catch {
                throw SessionClosed(code: .protocolError, reason: "invalid Socket.IO packet")
            }
            try await receive(socketPacket)
        }
    }

    private func receive(_ packet: SocketIOPacket) async throws {
        switch packet.type {
        case .connect:
            try await connect(packet)
        case .disconnect:
            unsubscribe()
            throw SessionClosed(code: .normalClosure, reason: "client disconnected")
        case .event:
            guard isConnected else { throw SessionClosed(code: .policyViolation, reason: "EVENT before CONNECT") }
            // No client event is required yet (`typing` is reserved); acknowledge when asked.
            if let id = packet.ackId {
                enqueue(EngineIOPacket.message(SocketIOPacket.ack(namespace: packet.namespace, id: id, arguments: []).encoded).encoded)
            }
        case .ack:
            break
        case .connectError, .binaryEvent, .binaryAck:
            throw SessionClosed(code: .protocolError, reason: "packet type not accepted from clients")
        }
    }

    private var isConnected: Bool {
        state.withLock { state in
            switch state.phase {
            case .live, .replaying: true
            case .handshake, .closed: false
            }
        }
    }

    /// CONNECT: authenticate, subscribe, acknowledge, replay from the client's offset, go live.
    private func connect(_ packet: SocketIOPacket) async throws {
        guard packet.namespace == SocketIOPacket.mainNamespace else {
            enqueue(EngineIOPacket.message(SocketIOPacket.connectError(namespace: packet.namespace, message: "Invalid namespace").encoded).encoded)
            return
        }
        guard !isConnected else { return }
        let auth = packet.data
        guard let token = auth?["token"]?.stringValue, let user = try await authenticator.authenticate(token: token) else {
            enqueue(EngineIOPacket.message(SocketIOPacket.connectError(message: "Not authorized").encoded).encoded)
            return
        }
        let requestedOffset = auth?["offset"]?.intValue

        state.withLock { state in
            state.userId = user.id
            state.phase = .replaying(pending: [])
        }
        let (subscription, start) = try await hub.subscribe(userId: user.id) { [weak self] events in
            self?.deliverLive(events)
        }
        state.withLock { state in
            state.subscription = subscription
            state.lastQueued = start
        }
        enqueue(EngineIOPacket.message(SocketIOPacket.connectAck(sid: sid, extra: ["offset": .number(Double(start))]).encoded).encoded)
        if let requestedOffset {
            try await replay(userId: user.id, after: requestedOffset, liveFrom: start)
        }
        goLive()
    }

    /// Sends every logged event after `offset`, or `resync` when the log no longer reaches back
    /// that far (or the offset is from a different log).
    private func replay(userId: String, after offset: Int, liveFrom start: Int) async throws {
        let bounds = try await database.read { db in try await EventLogStore(db: db).bounds(userId: userId) }
        guard offset >= bounds.prunedThrough, offset <= bounds.current else {
            let resync = ResyncRequired(requestedOffset: offset, currentOffset: start)
            let payload = try ServerEvent.resync(resync).payload()
            enqueue(EngineIOPacket.message(SocketIOPacket.event(name: ServerEventName.resync.rawValue, arguments: [payload]).encoded).encoded)
            return
        }
        // The bounds were read after subscribing, so they reach at least `start`: the live events
        // buffered meanwhile pick up exactly where this replay ends.
        var after = offset
        state.withLock { $0.lastQueued = offset }
        while after < bounds.current {
            let page = try await database.read { db in try await EventLogStore(db: db).events(userId: userId, after: after, limit: 500) }
            guard let last = page.last else { break }
            for event in page { enqueue(frame: EncodedEvent(event).frame) }
            after = last.offset
            state.withLock { $0.lastQueued = after }
        }
    }

    /// Flushes live events that arrived during the replay, then delivers live.
    private func goLive() {
        let frames: [ByteBuffer] = state.withLock { state in
            guard case .replaying(let pending) = state.phase else { return [] }
            let fresh = pending.filter { $0.offset > state.lastQueued }
            state.lastQueued = max(state.lastQueued, fresh.last?.offset ?? state.lastQueued)
            state.phase = .live
            return fresh.map(\.frame)
        }
        for frame in frames { enqueue(frame: frame) }
    }

    /// Called by the hub, in offset order, from any thread.
    private func deliverLive(_ events: [EncodedEvent]) {
        // The events come in offset order, so the fresh ones are a suffix: a slice of the hub's
        // array, not a copy per socket.
        let fresh: ArraySlice<EncodedEvent> = state.withLock { state in
            switch state.phase {
            case .replaying(var pending):
                pending += events
                state.phase = .replaying(pending: pending)
                return []
            case .live:
                let lastQueued = state.lastQueued
                let fresh = events.drop { $0.offset <= lastQueued }
                state.lastQueued = max(lastQueued, fresh.last?.offset ?? lastQueued)
                return fresh
            case .handshake, .closed:
                return []
            }
        }
        for event in fresh { enqueue(frame: event.frame) }
    }

    /// Queues a control packet (open, CONNECT answers, pings, acks).
    private func enqueue(_ packet: String) {
        enqueue(frame: ByteBuffer(string: packet))
    }

    /// Writes a text frame to the socket, after every frame queued before it.
    ///
    /// The frame goes straight to the channel on its event loop. A writer task per socket, fed
    /// through a stream, cost a task wake-up and a second thread hop per frame, which at thousands
    /// of sockets was most of a broadcast. NIO keeps what the peer has not yet taken; a socket
    /// whose buffer stays full for `outboxLimit` frames is dropped rather than left to grow, and
    /// its client reconnects and replays from its offset.
    private func enqueue(frame: ByteBuffer) {
        if channel.eventLoop.inEventLoop {
            write(frame)
        } else {
            channel.eventLoop.execute { self.write(frame) }
        }
    }

    /// On the channel's loop.
    private func write(_ frame: ByteBuffer) {
        guard !writesClosed.load(ordering: .sequentiallyConsistent), !overflowed.load(ordering: .relaxed) else { return }
        if channel.isWritable {
            writer.value.backlog = 0
        } else {
            writer.value.backlog += 1
            if writer.value.backlog > configuration.outboxLimit {
                // A peer that takes nothing would not take a close frame either: cut the
                // connection, and stop delivering to it at once.
                overflowed.store(true, ordering: .relaxed)
                writesClosed.store(true, ordering: .sequentiallyConsistent)
                logger.warning("socket send buffer stayed full; closing it so the client resyncs from its offset")
                unsubscribe()
                channel.close(promise: nil)
                stopContinuation.finish()
                return
            }
        }
        channel.write(WebSocketFrame(fin: true, opcode: .text, data: frame), promise: nil)
        queueFlush()
    }

    /// Flushes once the loop has run what is queued on it now, rather than after every frame.
    ///
    /// Events committed together (SQLite's group commit, a burst from another instance) reach the
    /// loop as one task per socket each, back to back; flushing behind them sends their frames in
    /// one `writev`, so one TCP segment and one wake-up of the reader, where a flush per frame made
    /// one each. A lone event waits only for the tasks already queued. On the channel's loop.
    private func queueFlush() {
        guard !writer.value.flushQueued else { return }
        writer.value.flushQueued = true
        channel.eventLoop.execute {
            self.writer.value.flushQueued = false
            self.channel.flush()
        }
    }

    private func unsubscribe() {
        let (userId, subscription) = state.withLock { state -> (String?, EventHub.SubscriptionID?) in
            defer { state.subscription = nil }
            return (state.userId, state.subscription)
        }
        if let userId, let subscription { hub.unsubscribe(userId: userId, subscription) }
    }

    private func finish() {
        // WSCore sends its own close frame once the session returns; nothing may follow it.
        writesClosed.store(true, ordering: .sequentiallyConsistent)
        unsubscribe()
        state.withLock { $0.phase = .closed }
        stopContinuation.finish()
    }
}

/// Why the server closed a socket, with the WebSocket close code it sends.
struct SessionClosed: Error {
    let code: WebSocketErrorCode
    let reason: String
}
