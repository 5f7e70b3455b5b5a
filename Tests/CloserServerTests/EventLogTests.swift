import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Event log and replay over HTTP")
struct EventLogTests {
    @Test("changes append events in order, with their offsets, replayable after any offset", arguments: TestStore.available)
    func replay(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let other = try await server.makeRep("Other Rep")
            let lead = try await server.createLead(rep)
            _ = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token, json: SaveDraftRequest(content: "Hi", channel: .email))
            let message = try await server.send(rep, to: lead)
            _ = try await server.waitForMessage(rep, message.id) { $0.status == .sent }
            _ = try await server.createLead(other, name: "Not Yours", email: "x@example.com")

            let all = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=0", token: rep.token))
            #expect(!all.resync)
            #expect(all.events.map(\.offset) == Array(1...all.currentOffset))
            let names = all.events.map(\.name)
            #expect(names.first == .leadsUpdated)
            #expect(names.contains(.draftsUpdated))
            #expect(names.contains(.messagesUpdated))
            #expect(names.contains(.activityUpdated))
            let inserted = try all.events.compactMap { event -> MessagesUpdated? in
                guard case .messagesUpdated(let update) = try event.decoded() else { return nil }
                return update
            }
            #expect(inserted.first?.action == .insert)
            #expect(inserted.first?.message.id == message.id)
            #expect(inserted.last?.message.status == .sent)
            #expect(all.events.allSatisfy { event in event.wirePayload["offset"]?.intValue == event.offset })
            // Nothing of the other rep leaks in.
            #expect(!String(buffer: try await server.request(.get, "/api/events?after=0", token: rep.token).body).contains("Not Yours"))

            let tail = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=\(all.currentOffset - 2)", token: rep.token))
            #expect(tail.events.map(\.offset) == [all.currentOffset - 1, all.currentOffset])

            let me = try server.decode(MeResponse.self, try await server.request(.get, "/api/me", token: rep.token))
            #expect(me.eventOffset == all.currentOffset)
        }
    }

    @Test("a lead moved to meeting booked or converted notifies the rep, once per move", arguments: TestStore.available)
    func statusNotifications(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep, name: "Dana Kim", email: "dana@northwind.example")
            let start = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=0", token: rep.token)).currentOffset
            for status in [LeadStatus.qualified, .meetingBooked, .meetingBooked, .converted] {
                let response = try await server.request(.patch, "/api/leads/\(lead.id)", token: rep.token, json: UpdateLeadRequest(status: status))
                #expect(response.status == .ok)
            }
            let page = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=\(start)", token: rep.token))
            let notifications = try page.events.compactMap { event -> ServerNotification? in
                guard case .notification(let notification) = try event.decoded() else { return nil }
                return notification
            }
            #expect(notifications.map(\.kind) == [.meetingBooked, .leadConverted])
            #expect(notifications.allSatisfy { $0.leadId == lead.id && $0.text.contains("Dana Kim") })
        }
    }

    @Test("a commit with more events than one statement takes logs them all, in order, with contiguous offsets", arguments: TestStore.available)
    func manyEventsInOneCommit(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let before = try server.decode(MeResponse.self, try await server.request(.get, "/api/me", token: rep.token)).eventOffset
            let count = EventLogStore.rowsPerStatement + 7
            let logged = try await ChangeCommitter(database: server.database, hub: server.components.hub).commit(userId: rep.user.id) { db, events in
                for index in 0..<count {
                    events.append(.notification(ServerNotification(kind: .emailOpened, leadId: lead.id, leadName: lead.name,
                                                                   text: "open \(index)", at: Date())))
                }
                return count
            }
            #expect(logged == count)
            let page = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=\(before)&limit=\(count)", token: rep.token))
            #expect(page.currentOffset == before + count)
            #expect(page.events.map(\.offset) == Array((before + 1)...(before + count)))
            let texts = try page.events.compactMap { event -> String? in
                guard case .notification(let notification) = try event.decoded() else { return nil }
                return notification.text
            }
            #expect(texts == (0..<count).map { "open \($0)" })
        }
    }

    @Test("an offset the log no longer reaches, or one from the future, asks for a resync", arguments: TestStore.available)
    func resync(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            for index in 0..<6 {
                _ = try await server.createLead(rep, name: "Lead \(index)", email: "l\(index)@example.com")
            }
            let current = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=0", token: rep.token)).currentOffset
            try await server.database.write { db in
                try await EventLogStore(db: db).prune(userId: rep.user.id, keep: 3, olderThan: Date.distantPast)
            }
            let stale = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=2", token: rep.token))
            #expect(stale.resync)
            #expect(stale.events.isEmpty)
            let recent = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=\(current - 3)", token: rep.token))
            #expect(!recent.resync)
            #expect(recent.events.count == 3)
            let future = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=\(current + 10)", token: rep.token))
            #expect(future.resync)
        }
    }
}
