import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Synchronization
import Testing

@Suite("Drafts")
struct DraftTests {
    @Test("each save bumps the version; GET returns the latest; DELETE removes it", arguments: TestStore.available)
    func saveAndDelete(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            #expect(try await server.request(.get, "/api/drafts/\(lead.id)", token: rep.token).status == .notFound)

            var version = 0
            for text in ["H", "Hi", "Hi Dana"] {
                let response = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                        json: SaveDraftRequest(content: text, subject: "Proposal", channel: .email, baseVersion: version))
                #expect(response.status == .ok)
                let draft = try server.decode(Draft.self, response)
                #expect(draft.version == version + 1)
                #expect(draft.content == text)
                version = draft.version
            }
            let current = try server.decode(Draft.self, try await server.request(.get, "/api/drafts/\(lead.id)", token: rep.token))
            #expect(current.content == "Hi Dana")
            #expect(current.subject == "Proposal")
            #expect(current.version == 3)

            #expect(try await server.request(.delete, "/api/drafts/\(lead.id)", token: rep.token).status == .noContent)
            #expect(try await server.request(.get, "/api/drafts/\(lead.id)", token: rep.token).status == .notFound)
            // Deleting what is gone is still fine: the rep's intent holds.
            #expect(try await server.request(.delete, "/api/drafts/\(lead.id)", token: rep.token).status == .noContent)
        }
    }

    @Test("a stale baseVersion is a 409 carrying the current draft, and changes nothing", arguments: TestStore.available)
    func conflict(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            // Device A and device B both start from version 1.
            let v1 = try server.decode(Draft.self, try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                                              json: SaveDraftRequest(content: "Hi", channel: .email)))
            let fromA = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                 json: SaveDraftRequest(content: "Hi from laptop", channel: .email, baseVersion: v1.version))
            #expect(fromA.status == .ok)
            let fromB = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                 json: SaveDraftRequest(content: "Hi from phone", channel: .email, baseVersion: v1.version))
            #expect(fromB.status == .conflict)
            let body = try server.decode(DraftConflictBody.self, fromB)
            #expect(body.error.code == "draft_conflict")
            #expect(body.draft.content == "Hi from laptop")
            #expect(body.draft.version == 2)
            let stored = try server.decode(Draft.self, try await server.request(.get, "/api/drafts/\(lead.id)", token: rep.token))
            #expect(stored.content == "Hi from laptop")
            // Without baseVersion the last write wins.
            let forced = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token, json: SaveDraftRequest(content: "Hi from phone", channel: .email))
            #expect(try server.decode(Draft.self, forced).version == 3)
        }
    }

    @Test("every save logs one drafts_updated carrying the saved draft, live and in the log alike; a refused save logs nothing",
          arguments: TestStore.available)
    func savesAreLogged(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let other = try await server.makeRep("Other Rep")
            let lead = try await server.createLead(rep)
            let theirs = try await server.createLead(other, name: "Not Yours", email: "x@example.com")
            let live = Mutex<[EncodedEvent]>([])
            let (subscription, start) = try await server.components.hub.subscribe(userId: rep.user.id) { events in
                live.withLock { $0 += events }
            }
            defer { server.components.hub.unsubscribe(userId: rep.user.id, subscription) }

            var saved: [Draft] = []
            for (text, subject) in [("Hi", "Proposal"), ("Hi Dana, \"quoted\" \\ and ✓", nil)] as [(String, String?)] {
                let response = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                        json: SaveDraftRequest(content: text, subject: subject, channel: .email, baseVersion: saved.last?.version ?? 0))
                saved.append(try server.decode(Draft.self, response))
            }
            // Refused: a stale version, another rep's lead, a lead that does not exist.
            let stale = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                 json: SaveDraftRequest(content: "late", channel: .email, baseVersion: 1))
            #expect(stale.status == .conflict)
            let foreign = try await server.request(.post, "/api/drafts/\(theirs.id)", token: rep.token, json: SaveDraftRequest(content: "x", channel: .sms))
            #expect(foreign.status == .notFound)
            let missing = try await server.request(.post, "/api/drafts/\(UUID().uuidString.lowercased())", token: rep.token,
                                                   json: SaveDraftRequest(content: "x", channel: .sms))
            #expect(missing.status == .notFound)
            let forced = try server.decode(Draft.self, try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token,
                                                                                  json: SaveDraftRequest(content: "last", channel: .sms)))
            saved.append(forced)
            #expect(saved.map(\.version) == [1, 2, 3])

            let page = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=\(start)", token: rep.token))
            #expect(page.events.map(\.offset) == Array(start + 1...start + 3))
            let logged = try page.events.map { event -> Draft? in
                guard case .draftsUpdated(let update) = try event.decoded(), update.action == .upsert else { return nil }
                return update.draft
            }
            #expect(logged == saved)
            // What went out live is what the log replays, frame for frame in meaning.
            let published = live.withLock { $0 }
            #expect(published.map(\.offset) == page.events.map(\.offset))
            for (frame, event) in zip(published, page.events) {
                guard case .message(let payload) = try EngineIOPacket(decoding: String(buffer: frame.frame)) else {
                    Issue.record("not an Engine.IO message: \(String(buffer: frame.frame))")
                    continue
                }
                let packet = try SocketIOPacket(decoding: payload)
                #expect(packet.eventName == ServerEventName.draftsUpdated.rawValue)
                #expect(packet.eventArguments.first == event.wirePayload)
            }
            // The other rep's log holds nothing of these saves.
            let theirEvents = try server.decode(EventsPage.self, try await server.request(.get, "/api/events?after=0", token: other.token))
            #expect(!theirEvents.events.contains { $0.name == .draftsUpdated })
        }
    }

    @Test("the channel is enforced", arguments: TestStore.available)
    func channelEnforced(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let response = try await server.request(.post, "/api/drafts/\(lead.id)", token: rep.token, body: #"{"content":"x","channel":"fax"}"#)
            #expect(response.status == .badRequest)
            let detail = try server.errorDetail(response)
            #expect(detail.field == "channel")
            #expect(detail.message.contains("email, instagram, sms, whatsapp"))
        }
    }
}
