import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /api/webhooks/inbound`: signed messages from leads, matched to their rep and lead.
@Suite("Inbound webhook")
struct InboundWebhookTests {
    static let secret = "whsec_test_0123456789abcdef"

    @Test("a signed reply lands in the lead's thread, moves the lead to replied and notifies the rep live", arguments: TestStore.available)
    func goodSignature(store: TestStore) async throws {
        try await TestServer.run(store, configure: { $0.inboundWebhookSecret = Self.secret }) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep, name: "Dana Kim", email: "dana@northwind.example")
            try await server.send(rep, to: lead, body: "Proposal attached")
            let socket = try await RawSocket.connect(port: server.client.port!)
            #expect(await socket.handshake(auth: ["token": .string(rep.token)]).answer?.type == .connect)

            let inbound = InboundMessageRequest(channel: .email, from: "Dana@Northwind.example", subject: "Re: Proposal", body: "Thursday works \u{1B}[31m!",
                                                externalId: "<reply-1@northwind.example>")
            let response = try await Self.post(server, inbound)
            #expect(response.status == .created)
            let stored = try server.decode(InboundMessageResponse.self, response).message
            #expect(stored.leadId == lead.id)
            #expect(stored.direction == .inbound)
            #expect(stored.body == "Thursday works \u{1B}[31m!", "stored as sent; clients sanitise when drawing")

            let inserted = try #require(await socket.messageEvent(id: stored.id))
            #expect(inserted["action"]?.stringValue == "INSERT")
            let note = try #require(await socket.nextEvent(named: "notification"))
            #expect(note.payload["kind"]?.stringValue == "message_received")
            #expect(note.payload["leadId"]?.stringValue == lead.id)
            let updated = try server.decode(Lead.self, try await server.request(.get, "/api/leads/\(lead.id)", token: rep.token))
            #expect(updated.status == .replied)
            #expect(updated.unreadCount == 1)
        }
    }

    @Test("a bad, stale, missing or replayed-with-new-timestamp signature is 401 and stores nothing", arguments: TestStore.available)
    func badSignatures(store: TestStore) async throws {
        try await TestServer.run(store, configure: { $0.inboundWebhookSecret = Self.secret }) { server in
            let rep = try await server.makeRep()
            _ = try await server.createLead(rep)
            let body = try CloserJSON.encoder().encode(InboundMessageRequest(channel: .email, from: "dana@northwind.example", body: "Hi", externalId: "x-1"))
            let now = Int(Date().timeIntervalSince1970)
            let good = WebhookSignature.sign(body: body, timestamp: now, secret: Self.secret)
            let cases: [(String, HTTPFields)] = [
                ("wrong secret", Self.headers(now, WebhookSignature.sign(body: body, timestamp: now, secret: "not the secret"))),
                ("stale by six minutes", Self.headers(now - 360, WebhookSignature.sign(body: body, timestamp: now - 360, secret: Self.secret))),
                ("from the future", Self.headers(now + 360, WebhookSignature.sign(body: body, timestamp: now + 360, secret: Self.secret))),
                ("a fresh timestamp on an old signature", Self.headers(now + 1, good)),
                ("no signature", [.closerTimestamp: "\(now)"]),
                ("no headers", [:]),
                ("garbage", Self.headers(now, "sha256=zz")),
            ]
            for (name, headers) in cases {
                var fields = headers
                fields[.contentType] = "application/json"
                let response = try await server.client.execute(uri: "/api/webhooks/inbound", method: .post, headers: fields, body: ByteBuffer(bytes: body))
                #expect(response.status == .unauthorized, "\(name)")
            }
            // The body changed after signing.
            var tampered = body
            tampered.append(contentsOf: Array(" ".utf8))
            var fields = Self.headers(now, good)
            fields[.contentType] = "application/json"
            let response = try await server.client.execute(uri: "/api/webhooks/inbound", method: .post, headers: fields, body: ByteBuffer(bytes: tampered))
            #expect(response.status == .unauthorized)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages WHERE direction = 'inbound'") == 0)
        }
    }

    @Test("a repeated externalId is accepted once; an unknown sender becomes a new lead", arguments: TestStore.available)
    func replayAndNewLead(store: TestStore) async throws {
        try await TestServer.run(store, configure: { $0.inboundWebhookSecret = Self.secret }) { server in
            let rep = try await server.makeRep()
            let inbound = InboundMessageRequest(channel: .whatsapp, from: "+1 (415) 555-0100", body: "Hi, saw your ad. How much?", externalId: "wamid.42",
                                                name: "Liam O'Connor")
            let first = try await Self.post(server, inbound)
            let second = try await Self.post(server, inbound)
            #expect(first.status == .created)
            #expect(second.status == .ok)
            #expect(try server.decode(InboundMessageResponse.self, second).created == false)
            #expect(try server.decode(InboundMessageResponse.self, first).message.id == server.decode(InboundMessageResponse.self, second).message.id)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM messages") == 1)
            let leads = try server.decode(LeadPage.self, try await server.request(.get, "/api/leads", token: rep.token)).leads
            #expect(leads.map(\.name) == ["Liam O'Connor"])
            #expect(leads.first?.phone == "+14155550100")
            #expect(leads.first?.status == .new)
        }
    }

    @Test("routing: `to` picks the rep; a sender two reps know goes to the one active last; without a secret the route is off")
    func routing() async throws {
        try await TestServer.run(.sqlite, configure: { $0.inboundWebhookSecret = Self.secret }) { server in
            let rita = try await server.makeRep("Rita Rep")
            let sam = try await server.makeRep("Sam Rep")
            let ritas = try await server.createLead(rita, name: "Dana Kim", email: "dana@northwind.example")
            let sams = try await server.createLead(sam, name: "Dana K.", email: "dana@northwind.example")
            try await server.send(sam, to: sams, body: "Hello from Sam")
            let unaddressed = try await Self.post(server, InboundMessageRequest(channel: .email, from: "dana@northwind.example", body: "For whoever wrote last",
                                                                               externalId: "m-2"))
            #expect(try server.decode(InboundMessageResponse.self, unaddressed).message.leadId == sams.id)
            let toRita = try await Self.post(server, InboundMessageRequest(channel: .email, from: "dana@northwind.example", to: rita.user.email, body: "For Rita",
                                                                          externalId: "m-1"))
            #expect(try server.decode(InboundMessageResponse.self, toRita).message.leadId == ritas.id)
            let stranger = try await Self.post(server, InboundMessageRequest(channel: .email, from: "new@stranger.example", body: "Hello?", externalId: "m-3"))
            #expect(stranger.status == .unprocessableContent)
            #expect(try server.errorDetail(stranger).field == "to")
            let malformed = try await Self.post(server, raw: Data(#"{"channel":"fax","from":"x","body":"y","externalId":"z"}"#.utf8))
            #expect(malformed.status == .badRequest)
        }
        try await TestServer.run(.sqlite) { server in
            let response = try await Self.post(server, InboundMessageRequest(channel: .email, from: "a@b.example", body: "x", externalId: "y"))
            #expect(response.status == .serviceUnavailable)
        }
    }

    // MARK: Helpers

    static func headers(_ timestamp: Int, _ signature: String) -> HTTPFields {
        [.closerTimestamp: "\(timestamp)", .closerSignature: signature]
    }

    static func post(_ server: TestServer, _ request: InboundMessageRequest) async throws -> TestResponse {
        try await post(server, raw: try CloserJSON.encoder().encode(request))
    }

    static func post(_ server: TestServer, raw body: Data) async throws -> TestResponse {
        let timestamp = Int(Date().timeIntervalSince1970)
        var fields = headers(timestamp, WebhookSignature.sign(body: body, timestamp: timestamp, secret: secret))
        fields[.contentType] = "application/json"
        return try await server.client.execute(uri: "/api/webhooks/inbound", method: .post, headers: fields, body: ByteBuffer(bytes: body))
    }
}
