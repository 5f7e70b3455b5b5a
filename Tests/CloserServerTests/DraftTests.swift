import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
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
