import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Outbound email end to end: closer-server sends through a real SMTP server (aiosmtpd), the
/// message is read back and parsed by Python's `email` package, and the pixel and links found in
/// it are requested over real HTTP, as a recipient's mail client would.
@Suite("Email and tracking")
struct EmailTrackingTests {
    static let browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"

    @Test("an email through real SMTP: correct MIME, pixel and links; opening and clicking update the thread, the rep's events and the KPIs",
          arguments: TestStore.available)
    func smtpOpenClick(store: TestStore) async throws {
        try await SMTPSink.run { sink in
            try await TestServer.run(store, configure: { configuration in
                configuration.mail.smtpURL = sink.url
                configuration.mail.from = "outbound@closer.example"
                // Opens at once are a machine's by default; this test is the person who opens at once.
                configuration.tracking.machineOpenWindow = .zero
            }) { server in
                let rep = try await server.makeRep("Rita Rep")
                let lead = try await server.createLead(rep, name: "Dana Kim", email: "dana@northwind.example")
                let socket = try await RawSocket.connect(port: server.client.port!)
                #expect(await socket.handshake(auth: ["token": .string(rep.token)]).answer?.type == .connect)

                let subject = "Proposal Q3 — 提案 😊"
                let body = """
                    Hi Dana,

                    The proposal: https://closer.example/p/northwind?ref=mail&x=1.
                    Pricing (again): https://closer.example/pricing and https://closer.example/p/northwind?ref=mail&x=1
                    <script>alert(1)</script>
                    """
                let message = try await server.send(rep, to: lead, body: body, subject: subject)
                // Usually already sent in the answer; on a loaded machine the delivery finishes after it.
                #expect(try await server.waitForMessage(rep, message.id) { $0.status == .sent }.status == .sent)
                let trackingId = try #require(message.trackingId)

                let mail = try #require(await sink.waitForMessages(1).first)
                let parsed = mail.received.parsed
                #expect(parsed.defects.isEmpty, "Python's email parser found defects: \(parsed.defects)")
                #expect(parsed.contentTypes.contains("multipart/alternative"))
                #expect(parsed.subject == subject)
                #expect(mail.received.rcptTos == ["dana@northwind.example"])
                #expect(mail.received.mailFrom == "outbound@closer.example")
                #expect(parsed.from?.contains("Rita Rep") == true)
                #expect(parsed.replyTo?.contains(rep.user.email) == true)
                #expect(parsed.messageId == "<\(message.id)@127.0.0.1>")
                #expect(!mail.raw.contains("\r\nBcc"))

                let text = try #require(parsed.text)
                let html = try #require(parsed.html)
                #expect(!text.contains("https://closer.example/"), "the text part still has an untracked link")
                #expect(html.contains("&lt;script&gt;"))
                #expect(!html.contains("<script>"))
                let links = Self.trackedLinks(in: text)
                #expect(links.count == 3)
                #expect(Set(links).count == 2, "one token per distinct link")
                #expect(Self.trackedLinks(in: html).allSatisfy { links.contains($0) })
                let pixel = "/t/o/\(trackingId).gif"
                #expect(html.contains("http://127.0.0.1:\(server.client.port!)\(pixel)"))
                let stored = try await server.database.read { db in try await TrackingStore(db: db).links(messageId: message.id) }
                #expect(Set(stored.map(\.url)) == ["https://closer.example/p/northwind?ref=mail&x=1", "https://closer.example/pricing"])
                #expect(stored.allSatisfy { $0.token.count >= 22 }, "tokens carry at least 128 random bits")

                // The recipient opens the email: the pixel, over HTTP.
                let open = try await server.request(.get, pixel, headers: [.userAgent: Self.browser])
                #expect(open.status == .ok)
                #expect(open.headers[.contentType] == "image/gif")
                #expect(open.headers[.cacheControl]?.contains("no-store") == true)
                #expect(Array(open.body.readableBytesView) == TrackingRoutes.pixel)
                let opened = try #require(await socket.nextEvent(named: "messages_updated") { $0["message"]?["openedAt"] != nil }?.payload)
                #expect(opened["action"]?.stringValue == "UPDATE")
                #expect(opened["message"]?["id"]?.stringValue == message.id)
                let openNote = try #require(await socket.nextEvent(named: "notification"))
                #expect(openNote.payload["kind"]?.stringValue == "email_opened")
                #expect(openNote.payload["text"]?.stringValue == "Dana Kim opened “\(subject)”")
                // Stats follow (an earlier change's stats_updated may come first; the open's must come).
                #expect(await socket.nextEvent(named: "stats_updated") { $0["stats"]?["opens"]?["unique"]?.intValue == 1 } != nil)

                // And clicks the pricing link.
                let pricing = try #require(stored.first { $0.url == "https://closer.example/pricing" })
                let click = try await server.request(.get, "/t/c/\(pricing.token)", headers: [.userAgent: Self.browser])
                #expect(click.status == .found)
                #expect(click.headers[.location] == "https://closer.example/pricing")
                let clicked = try #require(await socket.nextEvent(named: "messages_updated") { $0["message"]?["clickedAt"] != nil }?.payload)
                #expect(clicked["message"]?["id"]?.stringValue == message.id)
                let clickNote = try #require(await socket.nextEvent(named: "notification"))
                #expect(clickNote.payload["kind"]?.stringValue == "link_clicked")

                // A second open counts in the total, not the unique figure.
                _ = try await server.request(.get, pixel, headers: [.userAgent: Self.browser])
                _ = try #require(await socket.nextEvent(named: "notification") { $0["kind"]?.stringValue == "email_opened" })
                let thread = try server.decode(MessagePage.self, try await server.request(.get, "/api/messages/\(lead.id)", token: rep.token))
                let sent = try #require(thread.messages.first { $0.id == message.id })
                #expect(sent.openedAt != nil && sent.clickedAt != nil)
                let stats = try await Self.waitForStats(server, rep) { $0.opens.total == 2 }
                #expect(stats.opens == .init(unique: 1, total: 2))
                #expect(stats.clicks == .init(unique: 1, total: 1))
                #expect(stats.openRate == 1)
                #expect(try await server.count("SELECT COUNT(*) AS n FROM tracking_events WHERE machine = 0") == 3)
            }
        }
    }

    @Test("machine traffic is recorded but flagged: HEAD, scanners, opens within the window; Gmail's image proxy is a person",
          arguments: TestStore.available)
    func machineTraffic(store: TestStore) async throws {
        try await TestServer.run(store, configure: { $0.tracking.machineOpenWindow = .seconds(60) }) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let message = try await server.send(rep, to: lead, body: "See https://closer.example/deck")
            let pixel = "/t/o/\(try #require(message.trackingId)).gif"
            let link = try #require(try await server.database.read { db in try await TrackingStore(db: db).links(messageId: message.id) }.first)

            // The receiving server's security scan, within the window of sending.
            _ = try await server.request(.get, pixel, headers: [.userAgent: Self.browser])
            try await Self.waitForTrackingEvents(server, count: 1)
            // Later hits, out of the window: the message is made an hour old.
            try await server.database.write { db in
                try await db.raw("UPDATE messages SET created_at = created_at - 3600000 WHERE id = \(bind: message.id)").run()
            }
            _ = try await server.request(.head, pixel, headers: [.userAgent: Self.browser])
            _ = try await server.request(.get, pixel, headers: [.userAgent: "Mozilla/5.0 (compatible; Barracuda Sentinel)"])
            let scan = try await server.request(.get, "/t/c/\(link.token)", headers: [.userAgent: "Microsoft Office Existence Discovery"])
            #expect(scan.status == .found, "a scanner still gets the redirect")
            try await Self.waitForTrackingEvents(server, count: 4)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM tracking_events WHERE machine = 1") == 4)
            var stored = try #require(try await server.database.read { db in try await MessageStore(db: db).find(id: message.id, userId: rep.user.id) })
            #expect(stored.openedAt == nil)
            #expect(stored.clickedAt == nil)

            // The person opens it in Gmail, whose proxy fetches the image.
            _ = try await server.request(.get, pixel, headers: [.userAgent: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"])
            try await Self.waitForTrackingEvents(server, count: 5)
            stored = try #require(try await server.database.read { db in try await MessageStore(db: db).find(id: message.id, userId: rep.user.id) })
            #expect(stored.openedAt != nil)
            let stats = try await Self.waitForStats(server, rep) { $0.opens.total == 1 }
            #expect(stats.opens == .init(unique: 1, total: 1))
            #expect(stats.clicks.total == 0)
        }
    }

    @Test("tracked links redirect only to their own stored URL: every open-redirect attempt is a 404", arguments: TestStore.available)
    func openRedirects(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            let rep = try await server.makeRep()
            let lead = try await server.createLead(rep)
            let message = try await server.send(rep, to: lead, body: "Deck: https://closer.example/deck")
            let token = try #require(try await server.database.read { db in try await TrackingStore(db: db).links(messageId: message.id) }.first).token
            let other = try await server.send(rep, to: lead, body: "Other: https://closer.example/other")
            let otherToken = try #require(try await server.database.read { db in try await TrackingStore(db: db).links(messageId: other.id) }.first).token
            let swapped = String(otherToken.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })

            for path in [
                "/t/c//evil.example", "/t/c/%2F%2Fevil.example", "/t/c/%2f%2fevil.example", "/t/c/\(token)/https://evil.example",
                "/t/c/\(token)%2F%2Fevil.example", "/t/c/\(token)@evil.example", "/t/c/https:%2F%2Fevil.example", "/t/c/\(swapped)",
                "/t/c/\(token.dropLast())", "/t/c/", "/t/c/..%2F..%2Fapi%2Fme",
            ] {
                let response = try await server.request(.get, path)
                #expect(response.status == .notFound, "\(path) answered \(response.status.code) \(response.headers[.location] ?? "")")
                #expect(response.headers[.location] == nil)
            }
            // A parameter cannot steer it either: the stored URL or nothing.
            let steered = try await server.request(.get, "/t/c/\(token)?url=https://evil.example&redirect=https://evil.example")
            #expect(steered.status == .found)
            #expect(steered.headers[.location] == "https://closer.example/deck")
        }
    }

    @Test("the pixel answers the same uncacheable GIF for unknown, malformed and missing ids", arguments: TestStore.available)
    func unknownPixels(store: TestStore) async throws {
        try await TestServer.run(store) { server in
            for path in ["/t/o/\(String(repeating: "0", count: 32)).gif", "/t/o/not-a-tracking-id.gif", "/t/o/x", "/t/o/%00.gif"] {
                let response = try await server.request(.get, path)
                #expect(response.status == .ok, "\(path)")
                #expect(Array(response.body.readableBytesView) == TrackingRoutes.pixel)
                #expect(response.headers[.cacheControl]?.contains("no-store") == true)
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await server.count("SELECT COUNT(*) AS n FROM tracking_events") == 0)
        }
    }

    @Test("without SMTP the email is a real .eml file in the spool (0600), parseable with no defects; --tracking off sends it untouched")
    func spool() async throws {
        for tracking in [true, false] {
            try await TestServer.run(.sqlite, configure: { $0.tracking.enabled = tracking }) { server in
                let rep = try await server.makeRep()
                let lead = try await server.createLead(rep)
                let message = try await server.send(rep, to: lead, body: "Deck: https://closer.example/deck", subject: "Deck")
                #expect(try await server.waitForMessage(rep, message.id) { $0.status == .sent }.status == .sent)
                let directory = server.components.configuration.spoolDirectory
                let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }
                #expect(files.count == 1)
                let path = directory + "/" + (files.first ?? "")
                let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
                #expect(mode == 0o600)
                let parsed = try PythonMIMEParser.parse(try String(contentsOfFile: path, encoding: .utf8))
                #expect(parsed.defects.isEmpty)
                #expect(parsed.subject == "Deck")
                if tracking {
                    #expect(parsed.html?.contains("/t/o/\(message.trackingId ?? "")") == true)
                    #expect(parsed.text?.contains("https://closer.example/deck") == false)
                } else {
                    #expect(parsed.html?.contains("/t/o/") == false)
                    #expect(parsed.text?.contains("https://closer.example/deck") == true)
                    #expect(try await server.count("SELECT COUNT(*) AS n FROM message_links") == 0)
                }
            }
        }
    }

    // MARK: Helpers

    /// The tracked links (`…/t/c/TOKEN`) in a text, in order.
    static func trackedLinks(in text: String) -> [String] {
        let pattern = /https?:\/\/[^\s"<>]+\/t\/c\/[A-Za-z0-9_-]+/
        return text.matches(of: pattern).map { String($0.output) }
    }

    static func waitForStats(_ server: TestServer, _ rep: TestServer.Rep, until condition: (DashboardStats) -> Bool) async throws -> DashboardStats {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let stats = try server.decode(DashboardStats.self, try await server.request(.get, "/api/dashboard/stats", token: rep.token))
            if condition(stats) || ContinuousClock.now > deadline { return stats }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func waitForTrackingEvents(_ server: TestServer, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await server.count("SELECT COUNT(*) AS n FROM tracking_events") < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
