import CloserCore
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WSClient

/// A WebSocket to the server's Socket.IO endpoint with nothing on top: the test sends and reads
/// raw Engine.IO text frames, so it can also misbehave on purpose.
final class RawSocket: Sendable {
    private let outgoing: AsyncStream<Frame>.Continuation
    private let frames: FrameInbox
    private let task: Task<Void, Never>

    enum Frame: Sendable {
        case text(String)
        case binary([UInt8])
        case close
    }

    private init(outgoing: AsyncStream<Frame>.Continuation, frames: FrameInbox, task: Task<Void, Never>) {
        self.outgoing = outgoing
        self.frames = frames
        self.task = task
    }

    static func connect(port: Int, query: String = "EIO=4&transport=websocket", maxFrame: Int = 1 << 24) async throws -> RawSocket {
        let (stream, continuation) = AsyncStream.makeStream(of: Frame.self)
        let inbox = FrameInbox()
        var logger = Logger(label: "raw-socket")
        logger.logLevel = .critical
        let url = "ws://127.0.0.1:\(port)/socket.io/?\(query)"
        let task = Task {
            do {
                try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: maxFrame), logger: logger) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await frame in stream {
                                switch frame {
                                case .text(let text): try await outbound.write(.text(text))
                                case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                                case .close:
                                    try await outbound.close(.normalClosure, reason: nil)
                                    return
                                }
                            }
                        }
                        group.addTask {
                            for try await message in inbound.messages(maxSize: maxFrame) {
                                if case .text(let text) = message { inbox.append(text) }
                            }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            } catch {
                inbox.fail(String(describing: error))
            }
            inbox.finish()
        }
        return RawSocket(outgoing: continuation, frames: inbox, task: task)
    }

    deinit {
        outgoing.finish()
        task.cancel()
    }

    func send(_ text: String) { outgoing.yield(.text(text)) }
    func sendBinary(_ bytes: [UInt8]) { outgoing.yield(.binary(bytes)) }
    func close() { outgoing.yield(.close) }

    /// The next text frame, or nil when the connection closed (or nothing came within `timeout`).
    func next(timeout: Duration = .seconds(15)) async -> String? {
        await frames.next(timeout: timeout)
    }

    /// Reads frames until one satisfies `match`, answering pings on the way.
    func next(timeout: Duration = .seconds(15), where match: (String) -> Bool) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let frame = await next(timeout: deadline - .now) else { return nil }
            if frame == "2" {
                send("3")
                continue
            }
            if match(frame) { return frame }
        }
        return nil
    }

    /// Whether the server closed the connection within `timeout` (ignoring frames on the way).
    func waitForClose(timeout: Duration = .seconds(15)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await frames.next(timeout: deadline - .now) == nil { return frames.isFinished }
        }
        return false
    }

    // MARK: Socket.IO on top

    /// Completes the handshake with `auth`; returns the open packet and the CONNECT answer.
    func handshake(auth: JSONValue?) async -> (open: EngineIOOpen?, answer: SocketIOPacket?) {
        guard let first = await next(), case .open(let open) = try? EngineIOPacket(decoding: first) else { return (nil, nil) }
        send(EngineIOPacket.message(SocketIOPacket(type: .connect, data: auth).encoded).encoded)
        guard let reply = await next(where: { $0.hasPrefix("40") || $0.hasPrefix("44") }),
              case .message(let payload) = try? EngineIOPacket(decoding: reply)
        else { return (open, nil) }
        return (open, try? SocketIOPacket(decoding: payload))
    }

    /// The next server event (name and payload) that matches, skipping pings and other events.
    func nextEvent(timeout: Duration = .seconds(15), named name: String? = nil,
                   where match: @escaping (JSONValue) -> Bool = { _ in true }) async -> (name: String, payload: JSONValue)? {
        guard let frame = await next(timeout: timeout, where: { frame in
            guard frame.hasPrefix("42"), let event = Self.event(frame) else { return false }
            return (name == nil || event.name == name) && match(event.payload)
        }) else { return nil }
        return Self.event(frame)
    }

    /// Waits for `messages_updated` about one message.
    func messageEvent(id: String, timeout: Duration = .seconds(10)) async -> JSONValue? {
        await nextEvent(timeout: timeout, named: "messages_updated") { $0["message"]?["id"]?.stringValue == id }?.payload
    }

    static func event(_ frame: String) -> (name: String, payload: JSONValue)? {
        guard case .message(let payload) = try? EngineIOPacket(decoding: frame),
              let packet = try? SocketIOPacket(decoding: payload), packet.type == .event, let name = packet.eventName
        else { return nil }
        return (name, packet.eventArguments.first ?? .null)
    }
}

/// Frames received, and the one waiter for the next. Exactly one of "a frame arrives" and "the
/// wait times out" resumes a waiter, so no frame is ever lost to a timeout.
final class FrameInbox: Sendable {
    private struct State {
        var frames: [String] = []
        var waiter: (id: UInt64, continuation: CheckedContinuation<String?, Never>)?
        var nextWaiter: UInt64 = 0
        var finished = false
        var failure: String?
    }

    private let state = Mutex(State())

    var isFinished: Bool { state.withLock { $0.finished && $0.frames.isEmpty } }

    func append(_ frame: String) {
        let waiter = state.withLock { state -> CheckedContinuation<String?, Never>? in
            guard let waiter = state.waiter else {
                state.frames.append(frame)
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: frame)
    }

    func fail(_ reason: String) {
        state.withLock { $0.failure = reason }
    }

    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<String?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: nil)
    }

    func next(timeout: Duration) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let (immediate, id): (String??, UInt64) = state.withLock { state in
                if !state.frames.isEmpty { return (.some(state.frames.removeFirst()), 0) }
                if state.finished { return (.some(nil), 0) }
                state.nextWaiter += 1
                state.waiter = (state.nextWaiter, continuation)
                return (.none, state.nextWaiter)
            }
            if let immediate {
                continuation.resume(returning: immediate)
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state -> CheckedContinuation<String?, Never>? in
                    guard let waiter = state.waiter, waiter.id == id else { return nil }
                    state.waiter = nil
                    return waiter.continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }
}
