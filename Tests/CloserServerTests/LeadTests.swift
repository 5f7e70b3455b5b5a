import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Leads")
struct LeadTests {
    @Test("create, show and patch status and value", arguments: TestStore.available)
    func createAndPatch(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep, name: "  Dana Kim ", email: "Dana@Northwind.EXAMPLE", instagram: "@Dana.Kim", phone: "+1 (415) 555-0100", valueCents: 250_000)
            #expect(lead.name == "Dana Kim")
            #expect(lead.email == "dana@northwind.example")
            #expect(lead.instagram == "dana.kim")
            #expect(lead.phone == "+14155550100")
            #expect(lead.status == .new)
            #expect(lead.channels == [.email, .instagram, .sms, .whatsapp])

            let patched = try await server.request(.patch, "/api/leads/\(lead.id)", token: rep.token, json: UpdateLeadRequest(status: .qualified, valueCents: 990_000))
            #expect(patched.status == .ok)
            let updated = try server.decode(Lead.self, patched)
            #expect(updated.status == .qualified)
            #expect(updated.valueCents == 990_000)

            let shown = try server.decode(Lead.self, try await server.request(.get, "/api/leads/\(lead.id)", token: rep.token))
            #expect(shown.status == .qualified)
            #expect(shown.valueCents == 990_000)
        }
    }

    @Test("each lead's last message is its newest, ties going to the greater id, and none for a lead without messages", arguments: TestStore.available)
    func lastMessages(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let dana = try await server.createLead(rep, name: "Dana Kim", email: "dana@northwind.example")
            let marcus = try await server.createLead(rep, name: "Marcus Webb", email: "marcus@bluepeak.example")
            let quiet = try await server.createLead(rep, name: "Quiet Lead", email: "quiet@example.com")
            let start = Date(millis: Date().millis) - 3_600
            for minute in 0..<30 {
                try await server.insertInbound(rep, lead: dana, body: "dana \(minute)", at: start + Double(minute) * 60)
            }
            // Two of Marcus's messages share the newest millisecond: the greater id is the last,
            // as the thread orders them.
            try await server.insertInbound(rep, lead: marcus, body: "marcus old", at: start)
            let tied = [try await server.insertInbound(rep, lead: marcus, body: "marcus tie 1", at: start + 120),
                        try await server.insertInbound(rep, lead: marcus, body: "marcus tie 2", at: start + 120)]
            let newestTied = try #require(tied.max { $0.id < $1.id })

            let page = try server.decode(LeadPage.self, try await server.request(.get, "/api/leads", token: rep.token))
            let byId = Dictionary(uniqueKeysWithValues: page.leads.map { ($0.id, $0) })
            #expect(byId[dana.id]?.lastMessage?.body == "dana 29")
            #expect(byId[marcus.id]?.lastMessage?.id == newestTied.id)
            #expect(byId[quiet.id] != nil)
            #expect(byId[quiet.id]?.lastMessage == nil)
            let thread = try server.decode(MessagePage.self, try await server.request(.get, "/api/messages/\(marcus.id)", token: rep.token))
            #expect(thread.messages.last?.id == newestTied.id)
            let shown = try server.decode(Lead.self, try await server.request(.get, "/api/leads/\(dana.id)", token: rep.token))
            #expect(shown.lastMessage?.body == "dana 29")
        }
    }

    @Test("the list is ordered by last activity, filters by status and searches name, email, handle and phone", arguments: TestStore.available)
    func listFilterSearch(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let dana = try await server.createLead(rep, name: "Dana Kim", email: "dana@northwind.example")
            let marcus = try await server.createLead(rep, name: "Marcus Webb", email: "marcus@bluepeak.example", status: .qualified)
            let aiko = try await server.createLead(rep, name: "Aiko Tanaka", email: nil, instagram: "sora_studio")
            let liam = try await server.createLead(rep, name: "Liam O'Connor", email: nil, phone: "+353 1 555 0199")
            try await server.send(rep, to: dana)

            let all = try server.decode(LeadPage.self, try await server.request(.get, "/api/leads", token: rep.token))
            #expect(all.leads.first?.id == dana.id)
            #expect(all.leads.map(\.id) == [dana.id] + byActivity([liam, aiko, marcus]).map(\.id))
            #expect(all.leads.first?.lastMessage?.body == "Hello there")
            #expect(all.nextCursor == nil)

            let qualified = try server.decode(LeadPage.self, try await server.request(.get, "/api/leads?status=qualified", token: rep.token))
            #expect(qualified.leads.map(\.id) == [marcus.id])

            for (query, expected) in [("dana", dana.id), ("BLUEPEAK", marcus.id), ("sora", aiko.id), ("5550199", liam.id), ("o'con", liam.id)] {
                let page = try server.decode(LeadPage.self, try await server.request(.get, "/api/leads?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: rep.token))
                #expect(page.leads.map(\.id) == [expected], "q=\(query)")
            }
            // LIKE wildcards in the query are literal.
            let wildcard = try server.decode(LeadPage.self, try await server.request(.get, "/api/leads?q=%25", token: rep.token))
            #expect(wildcard.leads.isEmpty)
        }
    }

    @Test("cursor pagination walks every lead once, newest activity first", arguments: TestStore.available)
    func pagination(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            var created: [Lead] = []
            for index in 0..<7 {
                created.append(try await server.createLead(rep, name: "Lead \(index)", email: "lead\(index)@example.com"))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/leads?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try server.decode(LeadPage.self, try await server.request(.get, path, token: rep.token))
                #expect(page.leads.count <= 3)
                seen += page.leads.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == byActivity(created).map(\.id))
        }
    }

    @Test("another rep's lead is 404 everywhere, exactly like a missing one", arguments: TestStore.available)
    func isolation(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let owner = try await server.makeRep("Owner Rep")
            let other = try await server.makeRep("Other Rep")
            let lead = try await server.createLead(owner)
            try await server.send(owner, to: lead)
            let missing = UUID().uuidString.lowercased()

            let otherList = try server.decode(LeadPage.self, try await server.request(.get, "/api/leads", token: other.token))
            #expect(otherList.leads.isEmpty)

            let send = #"{"body":"hi","subject":"s","channel":"email","clientId":"c1"}"#
            let draft = #"{"content":"x","channel":"email"}"#
            let patch = #"{"status":"lost"}"#
            let calls: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/leads/%@", nil), (.patch, "/api/leads/%@", patch),
                (.get, "/api/messages/%@", nil), (.post, "/api/messages/%@", send), (.post, "/api/messages/%@/read", nil),
                (.get, "/api/drafts/%@", nil), (.post, "/api/drafts/%@", draft), (.delete, "/api/drafts/%@", nil),
            ]
            for (method, template, body) in calls {
                let foreign = try await server.request(method, template.replacingOccurrences(of: "%@", with: lead.id), token: other.token, body: body)
                let absent = try await server.request(method, template.replacingOccurrences(of: "%@", with: missing), token: other.token, body: body)
                #expect(foreign.status == .notFound, "\(method) \(template)")
                #expect(absent.status == .notFound, "\(method) \(template)")
                #expect(String(buffer: foreign.body) == String(buffer: absent.body), "\(method) \(template)")
            }
            // Nothing the other rep tried changed the owner's data.
            let mine = try server.decode(Lead.self, try await server.request(.get, "/api/leads/\(lead.id)", token: owner.token))
            #expect(mine.status == .contacted)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages") == 1)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM message_drafts") == 0)
        }
    }

    /// The server's order: newest activity first, ties broken by id (leads made in the same millisecond).
    private func byActivity(_ leads: [Lead]) -> [Lead] {
        leads.sorted { ($0.lastActivityAt, $0.id) > ($1.lastActivityAt, $1.id) }
    }
}
