import CloserCore
import Foundation
import Logging
import NIOWebSocket
import Synchronization
import WSClient

/// The Socket.IO client: one WebSocket to `/socket.io/`, CONNECT with `{token, offset}`, pongs,
/// events handed over in the order the server sent them, and reconnection with exponential
/// backoff and jitter for as long as it runs.
///
/// It keeps no state about events: before each attempt it asks `offset()` for the last offset
/// the caller applied, so the server replays exactly what was missed.
public final class SocketIOClient: Sendable {
    /// What the client reports, in order.
    public enum Update: Sendable {
        case status(ConnectionStatus)
        /// The server accepted CONNECT; live delivery (after any replay) starts at `offset`.
        case connected(offset: Int)
        case event(name: String, payload: JSONValue)
        /// The server refused the token. The client stops: only signing in again helps.
        case unauthorized
    }

    public struct Backoff: Sendable {
        public var first: Duration = .milliseconds(500)
        public var limit: Duration = .seconds(30)
        public init() {}

        /// The wait before attempt `attempt` (1-based after a failure): doubling, capped, with
        /// ±25 % jitter so a server restart is not met by every client at the same instant.
        public func delay(attempt: Int) -> Duration {
            let base = min(first * (1 << min(attempt - 1, 16)), limit)
            let jitter = Double.random(in: 0.75...1.25)
            return min(base * jitter, limit)
        }
    }

    private let socketURL: String
    private let token: String
    private let backoff: Backoff
    private let logger: Logger

    /// `serverURL` is the server's root (`http://…` or `https://…`).
    public init(serverURL: String, token: String, backoff: Backoff = Backoff(), logger: Logger = Logger(label: "closer.socket")) {
        var root = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        if root.hasPrefix("https://") { root = "wss://" + root.dropFirst("https://".count) }
        else if root.hasPrefix("http://") { root = "ws://" + root.dropFirst("http://".count) }
        socketURL = root + "/socket.io/?EIO=4&transport=websocket"
        self.token = token
        self.backoff = backoff
        self.logger = logger
    }

    /// Connects, reconnects and reports until the task is cancelled or the token is refused.
    /// `offset` gives the last offset applied (nil on a first start with an empty cache).
    public func run(offset: @escaping @Sendable () -> Int?, _ report: @escaping @Sendable (Update) async -> Void) async {
        var failures = 0
        while !Task.isCancelled {
            await report(.status(.connecting(retryAt: nil)))
            let outcome = await connectOnce(offset: offset(), report)
            switch outcome {
            case .unauthorized:
                await report(.unauthorized)
                return
            case .ended(let reason, let wasConnected):
                if Task.isCancelled { return }
                failures = wasConnected ? 1 : failures + 1
                let delay = backoff.delay(attempt: failures)
                let retryAt = Date().addingTimeInterval(delay.timeInterval)
                logger.debug("socket ended (\(reason)); retrying in \(delay)")
                await report(.status(.offline(reason: reason)))
                await report(.status(.connecting(retryAt: retryAt)))
                try? await Task.sleep(for: delay)
            }
        }
    }

    private enum Outcome {
        case unauthorized
        case ended(reason: String, wasConnected: Bool)
    }

    private struct Ended: Error {
        let reason: String
    }

    private struct Refused: Error {}

    /// What one connection attempt's tasks share.
    private final class LinkState: Sendable {
        let connected = Atomic<Bool>(false)
        let lastHeard = Atomic<Int64>(0)
        let silent = Atomic<Bool>(false)
    }

    private func connectOnce(offset: Int?, _ report: @escaping @Sendable (Update) async -> Void) async -> Outcome {
        let link = LinkState()
        do {
            try await WebSocketClient.connect(
                url: socketURL,
                configuration: .init(maxFrameSize: 1 << 24, closeTimeout: .seconds(2)),
                proxySettings: .environment(timeout: .seconds(10)),
                logger: logger
            ) { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 24).makeAsyncIterator()
                guard case .text(let first)? = try await frames.next(), case .open(let open) = try EngineIOPacket(decoding: first) else {
                    throw Ended(reason: "the server did not open a Socket.IO session")
                }
                var auth: [String: JSONValue] = ["token": .string(self.token)]
                if let offset { auth["offset"] = .number(Double(offset)) }
                try await outbound.write(.text(EngineIOPacket.message(SocketIOPacket.connect(auth: auth).encoded).encoded))

                link.lastHeard.store(Self.milliseconds(), ordering: .relaxed)
                // The server pings every pingInterval; nothing for pingInterval + pingTimeout means the link is dead.
                let silence = Int64(open.pingInterval + open.pingTimeout)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while true {
                            try await Task.sleep(for: .milliseconds(max(250, silence / 4)))
                            if Self.milliseconds() - link.lastHeard.load(ordering: .relaxed) > silence {
                                link.silent.store(true, ordering: .relaxed)
                                // Ends the read below: the close handshake times out on a dead link.
                                try? await outbound.close(.goingAway, reason: "no ping")
                                return
                            }
                        }
                    }
                    defer { group.cancelAll() }
                    while let message = try await frames.next() {
                        link.lastHeard.store(Self.milliseconds(), ordering: .relaxed)
                        guard case .text(let text) = message else { throw Ended(reason: "binary frame from the server") }
                        try await self.receive(text, outbound: outbound, link: link, report)
                    }
                    throw Ended(reason: link.silent.load(ordering: .relaxed) ? "no ping from the server for \(silence) ms" : "the connection closed")
                }
            }
            return .ended(reason: "the connection closed", wasConnected: link.connected.load(ordering: .relaxed))
        } catch is Refused {
            return .unauthorized
        } catch let ended as Ended {
            return .ended(reason: ended.reason, wasConnected: link.connected.load(ordering: .relaxed))
        } catch {
            return .ended(reason: "\(error)", wasConnected: link.connected.load(ordering: .relaxed))
        }
    }

    /// One Engine.IO packet from the server.
    private func receive(_ text: String, outbound: WebSocketOutboundWriter, link: LinkState,
                         _ report: @Sendable (Update) async -> Void) async throws {
        switch try EngineIOPacket(decoding: text) {
        case .ping(let data):
            try await outbound.write(.text(EngineIOPacket.pong(data).encoded))
        case .close:
            throw Ended(reason: "the server closed the session")
        case .message(let payload):
            let packet = try SocketIOPacket(decoding: payload)
            switch packet.type {
            case .connect:
                link.connected.store(true, ordering: .relaxed)
                await report(.connected(offset: packet.data?["offset"]?.intValue ?? 0))
                await report(.status(.online))
            case .connectError:
                throw Refused()
            case .event:
                if let name = packet.eventName { await report(.event(name: name, payload: packet.eventArguments.first ?? .null)) }
            case .disconnect:
                throw Ended(reason: "the server ended the session")
            case .ack, .binaryEvent, .binaryAck:
                break
            }
        case .open, .pong, .noop, .upgrade:
            break
        }
    }

    /// A monotonic clock in milliseconds.
    private static func milliseconds() -> Int64 {
        Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
    }
}
