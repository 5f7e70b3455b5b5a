import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Messages")
struct MessageTests {
    @Test("the thread is oldest first and pages backwards with before", arguments: TestStore.available)
    func threadPaging(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let start = Date().addingTimeInterval(-3600)
            var bodies: [String] = []
            for index in 0..<9 {
                let body = "message \(index)"
                try await server.insertInbound(rep, lead: lead, body: body, at: start.addingTimeInterval(Double(index) * 60))
                bodies.append(body)
            }
            let latest = try server.decode(MessagePage.self, try await server.request(.get, "/api/messages/\(lead.id)?limit=4", token: rep.token))
            #expect(latest.messages.map(\.body) == Array(bodies.suffix(4)))
            #expect(latest.hasMore)
            let older = try server.decode(MessagePage.self, try await server.request(.get, "/api/messages/\(lead.id)?limit=4&before=\(latest.messages[0].id)", token: rep.token))
            #expect(older.messages.map(\.body) == Array(bodies[1...4]))
            let oldest = try server.decode(MessagePage.self, try await server.request(.get, "/api/messages/\(lead.id)?limit=4&before=\(older.messages[0].id)", token: rep.token))
            #expect(oldest.messages.map(\.body) == [bodies[0]])
            #expect(!oldest.hasMore)
        }
    }

    @Test("paging back through messages of one instant returns each exactly once", arguments: TestStore.available)
    func pagingThroughTies(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let instant = Date().addingTimeInterval(-600)
            var stored: [String] = []
            for index in 0..<7 {
                let at = index == 0 ? instant.addingTimeInterval(-60) : index == 6 ? instant.addingTimeInterval(60) : instant
                stored.append(try await server.insertInbound(rep, lead: lead, body: "message \(index)", at: at).id)
            }
            var pages: [[Message]] = []
            var path = "/api/messages/\(lead.id)?limit=2"
            while true {
                let page = try server.decode(MessagePage.self, try await server.request(.get, path, token: rep.token))
                pages.insert(page.messages, at: 0)
                guard page.hasMore, let oldest = page.messages.first else { break }
                path = "/api/messages/\(lead.id)?limit=2&before=\(oldest.id)"
            }
            let seen = pages.joined().map(\.id)
            #expect(seen.count == 7 && Set(seen) == Set(stored))
            let times = pages.joined().map(\.createdAt)
            #expect(times == times.sorted())
            #expect(pages.count == 4)
        }
    }

    @Test("an empty thread is an empty page; a foreign lead is 404 even when asked with the asker's own message as anchor", arguments: TestStore.available)
    func emptyAndForeignThreads(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let other = try await server.makeRep("Other Rep")
            let empty = try await server.createLead(rep)
            let page = try server.decode(MessagePage.self, try await server.request(.get, "/api/messages/\(empty.id)", token: rep.token))
            #expect(page.messages.isEmpty && !page.hasMore)

            let theirs = try await server.createLead(other)
            try await server.send(other, to: theirs)
            let mine = try await server.createLead(rep)
            let anchor = try await server.send(rep, to: mine)
            for path in ["/api/messages/\(theirs.id)", "/api/messages/\(theirs.id)?before=\(anchor.id)", "/api/messages/\(UUID().uuidString.lowercased())?before=\(anchor.id)"] {
                let response = try await server.request(.get, path, token: rep.token)
                #expect(response.status == .notFound, "\(path)")
            }
            // The anchor of another of the rep's own threads is a bad request, not a missing lead.
            let wrongAnchor = try await server.request(.get, "/api/messages/\(empty.id)?before=\(anchor.id)", token: rep.token)
            #expect(wrongAnchor.status == .badRequest)
            #expect(try server.errorDetail(wrongAnchor).field == "before")
        }
    }

    @Test("sending twice with one clientId stores one message and answers the same one", arguments: TestStore.available)
    func idempotentSend(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let request = SendMessageRequest(body: "Here is the proposal", subject: "Proposal Q3", channel: .email, clientId: "draft-42")
            let first = try await server.request(.post, "/api/messages/\(lead.id)", token: rep.token, json: request)
            let second = try await server.request(.post, "/api/messages/\(lead.id)", token: rep.token, json: request)
            #expect(first.status == .created)
            #expect(second.status == .ok)
            let a = try server.decode(Message.self, first)
            let b = try server.decode(Message.self, second)
            #expect(a.id == b.id)
            #expect(try await server.waitForMessage(rep, a.id) { $0.status == .sent }.status == .sent)
            #expect(a.direction == .outbound)
            #expect(a.trackingId?.count == 32)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages") == 1)

            // The same clientId for another lead is a client bug, not a second message.
            let other = try await server.createLead(rep, name: "Marcus Webb", email: "marcus@example.com")
            let reused = try await server.request(.post, "/api/messages/\(other.id)", token: rep.token, json: request)
            #expect(reused.status == .conflict)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages") == 1)
        }
    }

    @Test("concurrent sends with one clientId still store one message", arguments: TestStore.available)
    func concurrentIdempotentSend(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let request = SendMessageRequest(body: "Once only", subject: "Hi", channel: .email, clientId: "same-key")
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await server.request(.post, "/api/messages/\(lead.id)", token: rep.token, json: request)
                        return try server.decode(Message.self, response).id
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages") == 1)
        }
    }

    @Test("email needs a subject; other channels ignore one", arguments: TestStore.available)
    func subjects(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep, phone: "+14155550100")
            let missing = try await server.request(.post, "/api/messages/\(lead.id)", token: rep.token,
                                                   json: SendMessageRequest(body: "Hi", subject: nil, channel: .email, clientId: "a"))
            #expect(missing.status == .badRequest)
            #expect(try server.errorDetail(missing).field == "subject")
            let blank = try await server.request(.post, "/api/messages/\(lead.id)", token: rep.token,
                                                 json: SendMessageRequest(body: "Hi", subject: "   ", channel: .email, clientId: "b"))
            #expect(blank.status == .badRequest)

            let sms = try await server.send(rep, to: lead, body: "Quick text", subject: "ignored", channel: .sms)
            #expect(sms.subject == nil)
            #expect(sms.trackingId == nil)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages") == 1)
        }
    }

    @Test("a channel the lead has no contact for is refused", arguments: TestStore.available)
    func unknownChannel(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep, email: "dana@example.com")
            let response = try await server.request(.post, "/api/messages/\(lead.id)", token: rep.token,
                                                    json: SendMessageRequest(body: "Hi", channel: .whatsapp, clientId: "w1"))
            #expect(response.status == .unprocessableContent)
            #expect(try server.errorDetail(response).field == "channel")
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages") == 0)
        }
    }

    @Test("sending deletes the sender's draft for that lead, and only that one", arguments: TestStore.available)
    func sendDeletesDraft(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let colleague = try await server.makeRep("Colleague")
            let lead = try await server.createLead(rep)
            let otherLead = try await server.createLead(rep, name: "Other", email: "other@example.com")
            let colleagueLead = try await server.createLead(colleague)
            for (who, target) in [(rep, lead), (rep, otherLead), (colleague, colleagueLead)] {
                let saved = try await server.request(.post, "/api/drafts/\(target.id)", token: who.token, json: SaveDraftRequest(content: "draft", channel: .email))
                #expect(saved.status == .ok)
            }
            try await server.send(rep, to: lead)
            #expect(try await server.request(.get, "/api/drafts/\(lead.id)", token: rep.token).status == .notFound)
            #expect(try await server.request(.get, "/api/drafts/\(otherLead.id)", token: rep.token).status == .ok)
            #expect(try await server.request(.get, "/api/drafts/\(colleagueLead.id)", token: colleague.token).status == .ok)
        }
    }

    @Test("marking read clears the lead's unread inbound messages", arguments: TestStore.available)
    func markRead(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            try await server.insertInbound(rep, lead: lead, body: "one")
            try await server.insertInbound(rep, lead: lead, body: "two")
            let before = try server.decode(Lead.self, try await server.request(.get, "/api/leads/\(lead.id)", token: rep.token))
            #expect(before.unreadCount == 2)

            let read = try await server.request(.post, "/api/messages/\(lead.id)/read", token: rep.token)
            #expect(try server.decode(MarkReadResponse.self, read).updated == 2)
            let after = try server.decode(Lead.self, try await server.request(.get, "/api/leads/\(lead.id)", token: rep.token))
            #expect(after.unreadCount == 0)
            let thread = try server.decode(MessagePage.self, try await server.request(.get, "/api/messages/\(lead.id)", token: rep.token))
            #expect(thread.messages.allSatisfy { $0.isRead })
            let again = try await server.request(.post, "/api/messages/\(lead.id)/read", token: rep.token)
            #expect(try server.decode(MarkReadResponse.self, again).updated == 0)
        }
    }

    @Test("the first outbound message moves a new lead to contacted", arguments: TestStore.available)
    func firstContact(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            try await server.send(rep, to: lead)
            let after = try server.decode(Lead.self, try await server.request(.get, "/api/leads/\(lead.id)", token: rep.token))
            #expect(after.status == .contacted)
        }
    }
}
