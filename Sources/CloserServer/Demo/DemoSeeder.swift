import CloserCore
import Foundation
import SQLKit

/// Creates believable demo data for one rep: 40 leads across every status and channel, 30 days of
/// threads (about 600 messages), opens and clicks on outbound email, and the activity behind them,
/// so every KPI has a real value. Deterministic for a given seed.
public struct DemoSeeder: Sendable {
    let database: Database
    let seed: UInt64

    public init(database: Database, seed: UInt64 = 42) {
        self.database = database
        self.seed = seed
    }

    /// The statuses of the 40 leads, in cast order: every status, weighted like a real pipeline.
    static let statuses: [LeadStatus] = [
        .meetingBooked, .qualified, .replied, .converted, .contacted, .replied, .new, .qualified, .contacted, .lost,
        .replied, .meetingBooked, .converted, .contacted, .new, .qualified, .replied, .contacted, .converted, .meetingBooked,
        .new, .replied, .qualified, .contacted, .lost, .replied, .meetingBooked, .new, .contacted, .converted,
        .qualified, .replied, .contacted, .new, .meetingBooked, .lost, .replied, .qualified, .new, .contacted,
    ]

    /// Seeds the rep's inbox. Leads already there are left alone; the seed adds 40 more.
    @discardableResult
    public func seed(rep: User, now: Date = Date()) async throws -> String {
        // Everything the transaction uses starts inside it: a write may run its body again.
        let messageCount = try await database.write { db in
            var random = SeededRandom(seed: seed)
            var messageCount = 0
            for (index, person) in DemoCast.people.enumerated() {
                messageCount += try await seedLead(person, status: Self.statuses[index], index: index, rep: rep, now: now, random: &random, db: db)
            }
            return messageCount
        }
        return "seeded 40 leads and \(messageCount) messages for \(rep.name) <\(rep.email)>"
    }

    private func seedLead(_ person: DemoCast.Person, status: LeadStatus, index: Int, rep: User, now: Date,
                          random: inout SeededRandom, db: StoreDatabase) async throws -> Int {
        let day: TimeInterval = 86_400
        let slug = person.name.lowercased().filter { $0.isLetter }
        let first = String(person.name.split(separator: " ").first ?? "")
        let ageDays = index % 10 == 9 ? Double.random(in: 35...55, using: &random) : Double.random(in: 8...30, using: &random)
        let createdAt = now.addingTimeInterval(-ageDays * day)
        let hasEmail = person.primary == .email || random.next() % 3 == 0
        let hasPhone = person.primary == .sms || person.primary == .whatsapp || random.next() % 4 == 0
        var lead = Lead(
            id: UUID().uuidString.lowercased(),
            name: person.name,
            email: hasEmail ? "\(slug)@\(person.company.lowercased().filter { $0.isLetter }).example" : nil,
            instagram: person.primary == .instagram ? slug.prefix(12) + "_" + String(index) : nil,
            phone: hasPhone ? "+1415555" + String(format: "%04d", 100 + index) : nil,
            status: status,
            valueCents: Int.random(in: 12...480, using: &random) * 10_000,
            createdAt: Date(millis: createdAt.millis)
        )
        let channel: Channel = switch person.primary {
        case .email: .email
        case .instagram: .instagram
        case .sms: .sms
        case .whatsapp: .whatsapp
        }

        let fill: (String) -> String = { template in
            template.replacingOccurrences(of: "{first}", with: first)
                .replacingOccurrences(of: "{company}", with: person.company)
                .replacingOccurrences(of: "{slug}", with: slug)
                .replacingOccurrences(of: "{rep}", with: rep.name)
                .replacingOccurrences(of: "{rep_first}", with: String(rep.name.split(separator: " ").first ?? ""))
        }

        // The thread: alternating turns with realistic gaps, ending where the status says it does.
        let turns = status == .new ? Int.random(in: 1...2, using: &random) : Int.random(in: 13...22, using: &random)
        var direction: MessageDirection = status == .new || index % 3 == 0 ? .inbound : .outbound
        var at = createdAt.addingTimeInterval(Double.random(in: 600...7200, using: &random))
        var messages: [Message] = []
        var plans: [String: EmailTracking] = [:]
        for turn in 0..<turns {
            let isLast = turn == turns - 1
            if isLast {
                switch status {
                case .new, .replied: direction = .inbound
                case .contacted: direction = .outbound
                default: break
                }
            }
            let outbound = direction == .outbound
            let isEmail = channel == .email
            let body = fill((outbound ? (isEmail ? DemoCast.outboundEmail : DemoCast.outboundChat)
                                      : (isEmail ? DemoCast.inboundEmail : DemoCast.inboundChat)).randomElement(using: &random)!)
            let subject = isEmail ? fill(DemoCast.subjects.randomElement(using: &random)!) : nil
            let unread = !outbound && (status == .new || status == .replied) && isLast
            var message = Message(
                id: UUID().uuidString.lowercased(), leadId: lead.id, body: body, subject: outbound ? subject : subject.map { "Re: " + $0 },
                channel: channel, direction: direction, status: outbound ? .sent : .delivered,
                trackingId: outbound && isEmail ? SecureToken.randomHex(bytes: 16) : nil,
                isRead: !unread, clientId: outbound ? "seed-" + UUID().uuidString.lowercased() : nil,
                createdAt: Date(millis: min(at, now.addingTimeInterval(-300)).millis)
            )
            if outbound && isEmail {
                plans[message.id] = planTracking(for: &message, now: now, random: &random)
            }
            messages.append(message)
            // Replies come within minutes to a day; the rep answers within minutes to hours.
            let gap = outbound ? Double.random(in: 1800...(day * 1.5), using: &random) : Double.random(in: 300...(4 * 3600), using: &random)
            at = at.addingTimeInterval(gap * (30 / Double(max(turns, 1))) / 2)
            direction = outbound ? .inbound : .outbound
        }

        let last = messages.last?.createdAt ?? lead.createdAt
        lead.lastActivityAt = last
        lead.updatedAt = last
        try await LeadStore(db: db).insert(lead, userId: rep.id)
        for message in messages {
            try await MessageStore(db: db).insert(message, userId: rep.id)
            if let plan = plans[message.id] {
                try await recordTracking(plan, message: message, lead: lead, userId: rep.id, db: db)
            }
        }
        try await seedActivity(lead: lead, messages: messages, rep: rep, db: db)
        return messages.count
    }

    /// The tracking an outbound email gets: its links, and when it was opened and clicked.
    private struct EmailTracking {
        var links: [TrackingStore.Link] = []
        var opens: [Date] = []
        var click: (link: TrackingStore.Link, at: Date)?
    }

    /// Opens (about two in three emails) and clicks (about one in three), like real recipients.
    private func planTracking(for message: inout Message, now: Date, random: inout SeededRandom) -> EmailTracking {
        var plan = EmailTracking()
        let urls = message.body.split(whereSeparator: { $0.isWhitespace }).filter { $0.hasPrefix("https://") }
        plan.links = urls.map { url in
            TrackingStore.Link(id: UUID().uuidString.lowercased(), messageId: message.id, token: SecureToken.random(bytes: 16), url: String(url))
        }
        guard Double.random(in: 0...1, using: &random) < 0.68 else { return plan }
        let openAt = min(message.createdAt.addingTimeInterval(Double.random(in: 120...(20 * 3600), using: &random)), now.addingTimeInterval(-60))
        message.openedAt = Date(millis: openAt.millis)
        plan.opens = (0..<Int.random(in: 1...3, using: &random)).map { openAt.addingTimeInterval(Double($0) * 3600) }.filter { $0 < now }
        if let link = plan.links.first, Double.random(in: 0...1, using: &random) < 0.5 {
            let clickAt = min(openAt.addingTimeInterval(Double.random(in: 20...900, using: &random)), now.addingTimeInterval(-30))
            message.clickedAt = Date(millis: clickAt.millis)
            plan.click = (link, clickAt)
        }
        return plan
    }

    private func recordTracking(_ plan: EmailTracking, message: Message, lead: Lead, userId: String, db: StoreDatabase) async throws {
        let tracking = TrackingStore(db: db)
        let activities = ActivityStore(db: db)
        for link in plan.links { try await tracking.insertLink(link) }
        let agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        for (index, openAt) in plan.opens.enumerated() {
            try await tracking.recordEvent(messageId: message.id, userId: userId, kind: .open, linkId: nil, ip: "203.0.113.\(10 + index)",
                                           userAgent: agent, machine: false, at: openAt)
        }
        if let first = plan.opens.first {
            _ = try await activities.append(userId: userId, kind: .emailOpened, lead: lead, actor: lead.name,
                                            summary: "\(lead.name) opened “\(message.subject ?? "your email")”",
                                            data: ["messageId": .string(message.id)], at: first)
        }
        if let click = plan.click {
            try await tracking.recordEvent(messageId: message.id, userId: userId, kind: .click, linkId: click.link.id, ip: "203.0.113.10",
                                           userAgent: agent, machine: false, at: click.at)
            _ = try await activities.append(userId: userId, kind: .linkClicked, lead: lead, actor: lead.name,
                                            summary: "\(lead.name) clicked \(click.link.url)",
                                            data: ["messageId": .string(message.id), "url": .string(click.link.url)], at: click.at)
        }
    }

    /// The activity stream behind the lead: created, a few messages, and how its status got here.
    private func seedActivity(lead: Lead, messages: [Message], rep: User, db: StoreDatabase) async throws {
        let activities = ActivityStore(db: db)
        _ = try await activities.append(userId: rep.id, kind: .leadCreated, lead: lead, actor: rep.name,
                                        summary: "\(rep.name) added \(lead.name)", at: lead.createdAt)
        for message in messages.suffix(2) {
            let sent = message.direction == .outbound
            _ = try await activities.append(
                userId: rep.id, kind: sent ? .messageSent : .messageReceived, lead: lead, actor: sent ? rep.name : lead.name,
                summary: sent ? "\(rep.name) wrote to \(lead.name)" : "\(lead.name) replied on \(message.channel.rawValue)",
                data: ["messageId": .string(message.id)], at: message.createdAt
            )
        }
        // Walk the pipeline up to the current status, so meetings and conversions show in the KPIs.
        guard let target = lead.status.pipelineRank ?? LeadStatus.contacted.pipelineRank, target > 0 else { return }
        let path = LeadStatus.allCases.filter { ($0.pipelineRank ?? -1) > 0 && ($0.pipelineRank ?? 99) <= target }
        let steps = lead.status == .lost ? [LeadStatus.contacted, .lost] : path
        let span = lead.lastActivityAt.timeIntervalSince(lead.createdAt)
        var previous = LeadStatus.new
        for (index, status) in steps.enumerated() {
            let at = lead.createdAt.addingTimeInterval(span * Double(index + 1) / Double(steps.count + 1))
            _ = try await activities.append(
                userId: rep.id, kind: .statusChanged, lead: lead, actor: rep.name,
                summary: "\(lead.name) moved from \(previous.rawValue) to \(status.rawValue)", tag: status.rawValue,
                data: ["from": .string(previous.rawValue), "to": .string(status.rawValue)], at: at
            )
            previous = status
        }
    }
}
