import CloserCore
@testable import CloserServer
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The recorder behind the pixel and the links: a flood is bounded, and a graceful shutdown
/// writes everything it had accepted.
@Suite("Tracking recorder")
struct TrackingRecorderTests {
    /// A recorder of its own (not the server's running one) over the test server's database.
    func recorder(_ server: TestServer, maxPending: Int = 250_000) -> TrackingRecorder {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        return TrackingRecorder(database: server.database, committer: ChangeCommitter(database: server.database, hub: server.components.hub),
                                classifier: TrafficClassifier(configuration: TrackingConfiguration()), logger: quiet, maxPending: maxPending)
    }

    func opens(of message: Message, count: Int) throws -> [TrackingRecorder.Hit] {
        let trackingId = try #require(message.trackingId)
        // Well after the machine window, from a mail client a person uses.
        return (0..<count).map { index in
            TrackingRecorder.Hit(target: .open(trackingId: trackingId), isHead: false, ip: "203.0.113.9",
                                 userAgent: "Mozilla/5.0 Thunderbird/128.0", at: message.createdAt.addingTimeInterval(60 + Double(index) / 1000))
        }
    }

    @Test("past its bound the queue refuses hits instead of growing, and what it kept is written in one batch", arguments: TestStore.available)
    func bounded(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let message = try await server.send(rep, to: try await server.createLead(rep))
            let recorder = recorder(server, maxPending: 3)
            for hit in try opens(of: message, count: 5) { recorder.record(hit) }
            #expect(recorder.pendingCount == 3)
            #expect(await recorder.writePending())
            #expect(recorder.pendingCount == 0)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM tracking_events") == 3)
        }
    }

    @Test("a graceful shutdown with a backlog writes every hit it had accepted, none lost mid-batch", arguments: TestStore.available)
    func drainsOnShutdown(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let message = try await server.send(rep, to: try await server.createLead(rep))
            let recorder = recorder(server)
            // A backlog before the writer starts, then the shutdown right away: the first batch is
            // being written when the shutdown arrives.
            for hit in try opens(of: message, count: 20_000) { recorder.record(hit) }
            var quiet = Logger(label: "test")
            quiet.logLevel = .critical
            let group = ServiceGroup(configuration: .init(services: [recorder], logger: quiet))
            async let running: Void = group.run()
            try await Task.sleep(for: .milliseconds(20))
            await group.triggerGracefulShutdown()
            try await running
            #expect(try await server.count("SELECT COUNT(*) AS n FROM tracking_events") == 20_000)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages WHERE opened_at IS NOT NULL") == 1)
        }
    }
}
