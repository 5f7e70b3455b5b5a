import CloserClient
import CloserCore
import Foundation
import Synchronization
import Testing

/// The Socket.IO client against the real server: events, refusal, and a reconnect across a
/// server restart that replays what happened meanwhile.
@Suite("Socket.IO client")
struct SocketIOClientTests {
    @Test("connects with the token, goes online and receives messages_updated after a REST send")
    func receivesEvents() async throws {
        try await ClientTestServer.run { server in
            let (_, api) = try await server.signedInRep()
            let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
            let recorder = UpdateRecorder()
            let client = SocketIOClient(serverURL: server.baseURL, token: try #require(api.token))
            let task = Task { await client.run(offset: { recorder.lastOffset }, recorder.record) }
            defer { task.cancel() }
            #expect(await recorder.wait { $0.statuses.contains(.online) })
            let message = try await api.send(leadId: lead.id, SendMessageRequest(body: "Hello", subject: "Hi", channel: .email, clientId: "c-1"))
            #expect(await recorder.wait { $0.events.contains { $0.name == "messages_updated" && $0.payload["message"]?["id"]?.stringValue == message.id } })
        }
    }

    @Test("a refused token stops the client with unauthorized")
    func refused() async throws {
        try await ClientTestServer.run { server in
            let recorder = UpdateRecorder()
            let client = SocketIOClient(serverURL: server.baseURL, token: "clo_not-a-token")
            await client.run(offset: { nil }, recorder.record)
            #expect(recorder.snapshot.unauthorized)
            #expect(!recorder.snapshot.statuses.contains(.online))
        }
    }

    @Test("after a server restart it reconnects by itself and replays what it missed, once each")
    func reconnectsAndReplays() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-client-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await ClientTestServer.start(directory: directory)
        let (_, api) = try await first.signedInRep()
        let lead = try await api.createLead(CreateLeadRequest(name: "Dana Kim", email: "dana@northwind.example"))
        let recorder = UpdateRecorder()
        var backoff = SocketIOClient.Backoff()
        // Slow enough to send a message through the restarted server before the client is back.
        backoff.first = .seconds(3)
        backoff.limit = .seconds(3)
        let client = SocketIOClient(serverURL: first.baseURL, token: try #require(api.token), backoff: backoff)
        let task = Task { await client.run(offset: { recorder.lastOffset }, recorder.record) }
        defer { task.cancel() }
        #expect(await recorder.wait { $0.statuses.contains(.online) })
        try await api.send(leadId: lead.id, SendMessageRequest(body: "before", subject: "Hi", channel: .email, clientId: "c-1"))
        #expect(await recorder.wait { $0.events.contains { $0.payload["message"]?["body"]?.stringValue == "before" } })

        await first.stop()
        #expect(await recorder.wait { $0.statuses.contains { if case .connecting(let retry) = $0 { retry != nil } else { false } } })
        // Meanwhile a message is sent, on the same database through a port the client does not
        // know, so it stays away however slow the machine; then the server is back on its port.
        let side = try await ClientTestServer.start(directory: directory)
        let meanwhile = try await APIClient(baseURL: side.baseURL, token: api.token, http: side.http)
            .send(leadId: lead.id, SendMessageRequest(body: "while you were away", subject: "Hi", channel: .email, clientId: "c-2"))
        await side.stop()
        // Sent while the client was away, so only a replay from its offset can bring it.
        #expect(recorder.snapshot.statuses.filter { $0 == .online }.count == 1)
        let second = try await ClientTestServer.start(directory: directory, port: first.port)
        #expect(await recorder.wait { $0.events.contains { $0.payload["message"]?["id"]?.stringValue == meanwhile.id } })
        // The reconnect sent the last offset applied: the server replayed from there, nothing twice.
        let offsets = recorder.snapshot.arrivedOffsets
        #expect(offsets == offsets.sorted())
        #expect(Set(offsets).count == offsets.count, "no event twice: \(offsets)")
        task.cancel()
        await second.stop()
    }
}

/// Collects what the client reports, and tracks the last offset as the sync engine will.
final class UpdateRecorder: Sendable {
    struct Snapshot: Sendable {
        var statuses: [ConnectionStatus] = []
        var events: [(name: String, payload: JSONValue)] = []
        var unauthorized = false
        var lastOffset: Int?
        /// Every event offset as it arrived, before any de-duplication.
        var arrivedOffsets: [Int] = []
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { state.withLock { $0 } }
    var lastOffset: Int? { state.withLock { $0.lastOffset } }

    @Sendable func record(_ update: SocketIOClient.Update) async {
        state.withLock { state in
            switch update {
            case .status(let status): state.statuses.append(status)
            case .connected(let offset): state.lastOffset = state.lastOffset ?? offset
            case .event(let name, let payload):
                // Apply each offset once, in order, as the sync engine does.
                if let offset = payload["offset"]?.intValue {
                    state.arrivedOffsets.append(offset)
                    guard offset > (state.lastOffset ?? 0) else { return }
                    state.lastOffset = offset
                }
                state.events.append((name, payload))
            case .unauthorized: state.unauthorized = true
            }
        }
    }

    /// Polls until `condition` holds (true) or 10 seconds pass (false).
    func wait(_ condition: (Snapshot) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if condition(snapshot) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(snapshot)
    }
}
