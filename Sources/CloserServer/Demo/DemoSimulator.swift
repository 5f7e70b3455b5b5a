import CCurl
import CloserCore
import Foundation
import Logging
import SQLKit

/// The demo's outside world: leads who reply, recipients who open and click, meetings that get
/// booked and deals that close. Every effect goes through the server's real front doors over
/// HTTP (a signed inbound webhook, the tracking pixel and links, the leads API with a token of the
/// rep's), so the demo exercises exactly what production runs. Only the choice of what happens
/// next reads the database.
///
/// The first few beats are fixed so a newcomer sees a reply, an open, a click and a moving KPI
/// within seconds; after that the beats are random. `speed` scales the pace (2 is twice as busy).
final class DemoSimulator: Sendable {
    private let database: Database
    private let baseURL: String
    private let inboundSecret: String
    private let token: String
    private let rep: User
    private let speed: Double
    private let logger: Logger

    init(database: Database, baseURL: String, inboundSecret: String, token: String, rep: User, speed: Double, logger: Logger) {
        self.database = database
        self.baseURL = baseURL
        self.inboundSecret = inboundSecret
        self.token = token
        self.rep = rep
        self.speed = max(0.1, speed)
        self.logger = logger
    }

    enum Beat: CaseIterable {
        case reply
        case open
        case click
        case meeting
        case conversion
    }

    /// Runs until cancelled.
    func run() async {
        var generator = SystemRandomNumberGenerator()
        let opening: [(Double, Beat)] = [(2.5, .open), (2.0, .reply), (2.0, .click), (3.0, .meeting)]
        for (wait, beat) in opening {
            guard await pause(wait) else { return }
            await perform(beat, random: &generator)
        }
        while !Task.isCancelled {
            guard await pause(Double.random(in: 4...10, using: &generator)) else { return }
            let roll = Double.random(in: 0..<1, using: &generator)
            let beat: Beat = switch roll {
            case ..<0.35: .open
            case ..<0.65: .reply
            case ..<0.85: .click
            case ..<0.95: .meeting
            default: .conversion
            }
            await perform(beat, random: &generator)
        }
    }

    private func pause(_ seconds: Double) async -> Bool {
        (try? await Task.sleep(for: .milliseconds(Int(seconds / speed * 1000)))) != nil
    }

    func perform(_ beat: Beat, random: inout some RandomNumberGenerator) async {
        do {
            switch beat {
            case .reply: try await reply(random: &random)
            case .open: try await open(random: &random)
            case .click: try await click(random: &random)
            case .meeting: try await advance(to: .meetingBooked, from: [.replied, .qualified], random: &random)
            case .conversion: try await advance(to: .converted, from: [.meetingBooked, .qualified], random: &random)
            }
        } catch {
            logger.debug("demo beat \(beat) did not happen: \(error)")
        }
    }

    // MARK: Beats

    /// A lead answers on their channel, through the signed inbound webhook.
    private func reply(random: inout some RandomNumberGenerator) async throws {
        let leads = try await database.read { db in
            try await LeadStore(db: db).list(userId: self.rep.id, status: nil, query: nil, after: nil, limit: 40).leads
        }.filter { $0.status != .lost && $0.status != .converted }
        guard let lead = leads.prefix(12).randomElement(using: &random), let channel = lead.channels.first else { return }
        let from: String? = switch channel {
        case .email: lead.email
        case .instagram: lead.instagram
        case .sms, .whatsapp: lead.phone
        }
        guard let from else { return }
        let first = lead.name.split(separator: " ").first.map(String.init) ?? lead.name
        let texts = channel == .email ? DemoCast.inboundEmail : DemoCast.inboundChat
        let body = (texts.randomElement(using: &random) ?? "Thanks!")
            .replacingOccurrences(of: "{rep_first}", with: rep.name.split(separator: " ").first.map(String.init) ?? rep.name)
            .replacingOccurrences(of: "{first}", with: first)
        let inbound = InboundMessageRequest(
            channel: channel, from: from, to: rep.email, subject: channel == .email ? "Re: \(lead.lastMessage?.subject ?? "our call")" : nil,
            body: body, externalId: "demo-\(UUID().uuidString.lowercased())"
        )
        let payload = try CloserJSON.encoder().encode(inbound)
        let timestamp = Int(Date().timeIntervalSince1970)
        let headers = [
            ("Content-Type", "application/json"),
            (WebhookSignature.timestampHeader, "\(timestamp)"),
            (WebhookSignature.signatureHeader, WebhookSignature.sign(body: payload, timestamp: timestamp, secret: inboundSecret)),
        ]
        try await request(BlockingCurlTransfer(url: "\(baseURL)/api/webhooks/inbound", kind: .http(method: "POST", headers: headers), payload: payload))
    }

    /// A recipient's mail client loads the pixel of a recent email (the rep's own newest first).
    private func open(random: inout some RandomNumberGenerator) async throws {
        let ids = try await database.read { db in
            try await db.raw("""
                SELECT tracking_id FROM messages WHERE user_id = \(bind: self.rep.id) AND tracking_id IS NOT NULL AND status = 'sent'
                  AND created_at < \(bind: Self.outOfMachineWindow())
                ORDER BY created_at DESC LIMIT 8
                """).all().map { try $0.string("tracking_id") }
        }
        guard let id = ids.prefix(3).randomElement(using: &random) else { return }
        try await request(BlockingCurlTransfer(url: "\(baseURL)/t/o/\(id).gif", kind: .http(method: "GET", headers: Self.mailClient), payload: Data()))
    }

    /// A recipient follows a tracked link.
    private func click(random: inout some RandomNumberGenerator) async throws {
        let tokens = try await database.read { db in
            try await db.raw("""
                SELECT l.token FROM message_links l JOIN messages m ON m.id = l.message_id
                WHERE m.user_id = \(bind: self.rep.id) AND m.status = 'sent' AND m.created_at < \(bind: Self.outOfMachineWindow())
                ORDER BY m.created_at DESC LIMIT 8
                """).all().map { try $0.string("token") }
        }
        guard let token = tokens.prefix(3).randomElement(using: &random) else { return }
        try await request(BlockingCurlTransfer(url: "\(baseURL)/t/c/\(token)", kind: .http(method: "GET", headers: Self.mailClient), payload: Data()))
    }

    /// A meeting gets booked or a deal closes (a calendar or CRM integration, in real life),
    /// through the leads API.
    private func advance(to status: LeadStatus, from: Set<LeadStatus>, random: inout some RandomNumberGenerator) async throws {
        let leads = try await database.read { db in
            try await LeadStore(db: db).list(userId: self.rep.id, status: nil, query: nil, after: nil, limit: 40).leads
        }.filter { from.contains($0.status) }
        guard let lead = leads.randomElement(using: &random) else { return }
        let payload = try CloserJSON.encoder().encode(UpdateLeadRequest(status: status))
        let transfer = BlockingCurlTransfer(
            url: "\(baseURL)/api/leads/\(lead.id)", kind: .http(method: "PATCH", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")]),
            payload: payload
        )
        try await request(transfer)
    }

    /// Emails younger than this would count as a mail server's scan, not a person's open.
    private static func outOfMachineWindow() -> Int64 {
        Date().addingTimeInterval(-3).millis
    }

    private static let mailClient = [("User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)")]

    private func request(_ transfer: BlockingCurlTransfer) async throws {
        let result = try await transfer.perform()
        guard result.code == CURLE_OK, (200..<400).contains(result.responseCode) else {
            throw BlockingCurlTransfer.TransferError("\(transfer.url) answered \(result.responseCode): \(result.message)")
        }
    }
}
