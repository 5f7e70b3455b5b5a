import Foundation

/// A believable inbox in memory, for tests, golden frames, benchmarks and `closer --fixture`.
///
/// Everything is placed relative to `now`, so "2m", "Yesterday" and date separators come out the
/// same on every run. It includes the text a terminal client must survive: escape sequences,
/// bidi overrides, CJK, emoji ZWJ sequences and flags.
public struct FixtureInbox: Sendable {
    public var rep: User
    public var leads: [Lead]
    public var threads: [String: [Message]]
    public var drafts: [DraftSnapshot]
    public var stats: DashboardStats
    public var analytics: Analytics
    public var activity: [Activity]

    /// A lead's thread: the stored one, or else just the lead's last message. The large inbox
    /// stores only its long thread; 10,000 one-message arrays next to the leads that already hold
    /// those messages would double the benchmark's data source for nothing.
    public func thread(for leadId: String) -> [Message] {
        if let thread = threads[leadId] { return thread }
        return leads.first { $0.id == leadId }?.lastMessage.map { [$0] } ?? []
    }
}

/// Builders of fixture inboxes.
public enum Fixtures {
    /// A fixed instant (Tuesday 24 November 2026, 14:02 UTC) for deterministic tests.
    public static let referenceNow = Date(timeIntervalSince1970: 1_795_528_920)

    /// A small inbox of a dozen leads on every channel and status.
    public static func inbox(now: Date = referenceNow) -> FixtureInbox {
        let minute: TimeInterval = 60
        let hour = 60 * minute
        let day = 24 * hour
        let rep = User(id: "00000000-0000-4000-8000-000000000001", email: "rita@closer.example", name: "Rita Rep", createdAt: now - 90 * day)
        var leads: [Lead] = []
        var threads: [String: [Message]] = [:]

        func id(_ n: Int) -> String { "00000000-0000-4000-8000-" + zeroPadded(n, width: 12) }
        var messageNumber = 1000
        func message(_ lead: String, _ direction: MessageDirection, _ channel: Channel, _ body: String, at: Date, subject: String? = nil,
                     status: MessageStatus = .sent, openedAt: Date? = nil, clickedAt: Date? = nil, isRead: Bool = true, failure: String? = nil) -> Message {
            messageNumber += 1
            return Message(id: id(messageNumber), leadId: lead, body: body, subject: subject, channel: channel, direction: direction,
                           status: direction == .inbound ? .delivered : status, failureReason: failure,
                           trackingId: direction == .outbound && channel == .email ? zeroPadded(messageNumber, width: 32, radix: 16) : nil,
                           openedAt: openedAt, clickedAt: clickedAt, isRead: isRead, createdAt: at)
        }
        func add(_ number: Int, _ name: String, email: String? = nil, instagram: String? = nil, phone: String? = nil,
                 status: LeadStatus, value: Int, created: TimeInterval, _ thread: [Message]) {
            var lead = Lead(id: id(number), name: name, email: email, instagram: instagram, phone: phone, status: status,
                            valueCents: value, createdAt: now - created)
            lead.lastActivityAt = thread.last?.createdAt ?? lead.createdAt
            lead.updatedAt = lead.lastActivityAt
            lead.unreadCount = thread.filter { $0.direction == .inbound && !$0.isRead }.count
            lead.lastMessage = thread.last
            leads.append(lead)
            threads[lead.id] = thread
        }

        let dana = id(1)
        add(1, "Dana Kim", email: "dana@northwind.example", phone: "+14155550101", status: .qualified, value: 2_400_000, created: 20 * day, [
            message(dana, .outbound, .email, "Hi Dana,\n\nThanks for the call. Here is the proposal for Northwind: https://closer.example/p/northwind\n\nBest,\nRita",
                    at: now - 2 * day - 3 * hour, subject: "Proposal Q3", openedAt: now - 2 * day - hour, clickedAt: now - 2 * day - 50 * minute),
            message(dana, .inbound, .email, "Thanks Rita, this looks promising. Can you send over the security questionnaire?",
                    at: now - day - 2 * hour, subject: "Re: Proposal Q3"),
            message(dana, .outbound, .email, "Of course — attached. Happy to walk your team through it on Thursday.",
                    at: now - day - hour, subject: "Re: Proposal Q3", openedAt: now - 3 * hour),
            message(dana, .inbound, .email, "Thursday works. Can we also loop in our CFO? She has a question about the onboarding fee.",
                    at: now - 2 * minute, subject: "Re: Proposal Q3", isRead: false),
        ])
        let marcus = id(2)
        add(2, "Marcus Webb", email: "marcus@bluepeak.example", status: .meetingBooked, value: 1_200_000, created: 15 * day, [
            message(marcus, .outbound, .email, "Marcus — here's the case study we discussed: https://closer.example/case/logistics",
                    at: now - 5 * day, subject: "Case study", openedAt: now - 5 * day + hour),
            message(marcus, .inbound, .email, "Great read. Let's book 30 minutes next week.", at: now - 4 * day, subject: "Re: Case study"),
            message(marcus, .outbound, .email, "Booked for Tuesday 10:00. See you then!", at: now - 4 * day + 2 * hour, subject: "Re: Case study"),
        ])
        let aiko = id(3)
        add(3, "Aiko Tanaka 田中愛子", instagram: "sora_studio", status: .replied, value: 450_000, created: 9 * day, [
            message(aiko, .outbound, .instagram, "Hi Aiko! Loved your latest collection 🎨 Would a quick demo help?", at: now - 3 * day),
            message(aiko, .inbound, .instagram, "はい、ぜひ！来週の火曜日はいかがですか？ 🙏", at: now - 26 * hour, isRead: false),
            message(aiko, .inbound, .instagram, "Tuesday afternoon works best for our team 👩‍👩‍👧‍👦", at: now - 25 * hour, isRead: false),
        ])
        let tomas = id(4)
        add(4, "Tomás Ortega", phone: "+34600555010", status: .contacted, value: 800_000, created: 6 * day, [
            message(tomas, .outbound, .whatsapp, "Hola Tomás, following up on the pricing for Verdant Foods 🇪🇸", at: now - 40 * minute, status: .queued),
        ])
        let liam = id(5)
        add(5, "Liam O'Connor", phone: "+353155501990", status: .new, value: 0, created: 2 * day, [
            message(liam, .inbound, .sms, "Hi, saw your ad. How much is it for a team of 5?", at: now - 3 * hour, isRead: false),
        ])
        let evil = id(6)
        add(6, "Evil\u{1B}]52;c;ZXZpbA==\u{07}Corp \u{202E}gnp.exe", email: "ceo@evil.example", status: .new, value: 100, created: day, [
            message(evil, .inbound, .email, "Totally normal\u{1B}[2J\u{1B}[H message\r\nwith \u{1B}]777;notify;pwned;x\u{07}escapes\u{9B}31m and a bell\u{07}.",
                    at: now - 5 * hour, subject: "\u{1B}[31mURGENT\u{1B}[0m invoice", isRead: false),
        ])
        let chloe = id(7)
        add(7, "Chloé Martin 🇫🇷", instagram: "maison.lumiere", status: .converted, value: 3_600_000, created: 25 * day, [
            message(chloe, .outbound, .instagram, "Welcome aboard, Chloé! 🎉", at: now - 8 * day),
            message(chloe, .inbound, .instagram, "Merci ! On est ravis 😊", at: now - 8 * day + hour),
        ])
        let jamal = id(8)
        add(8, "Jamal Carter", email: "jamal@brightline.example", status: .contacted, value: 950_000, created: 4 * day, [
            message(jamal, .outbound, .email, "Hi Jamal, the contract draft is ready for your review.",
                    at: now - 30 * hour, subject: "Contract draft", status: .failed, failure: "550 5.1.1 mailbox unavailable"),
        ])
        let sofia = id(9)
        add(9, "Sofia Rossi", phone: "+393331234567", status: .lost, value: 600_000, created: 28 * day, [
            message(sofia, .inbound, .whatsapp, "Not this year, sorry. Keep me posted!", at: now - 12 * day),
        ])
        let wei = id(10)
        add(10, "张伟 Zhang Wei", email: "wei@jaderiver.example", phone: "+8613800138000", status: .qualified, value: 1_800_000, created: 11 * day, [
            message(wei, .outbound, .email, String(repeating: "We can support volume pricing for Jade River Imports across all regions. ", count: 6),
                    at: now - 6 * day, subject: "Volume pricing", openedAt: now - 6 * day + 3 * hour),
        ])

        leads.sort { ($0.lastActivityAt, $0.id) > ($1.lastActivityAt, $1.id) }

        let drafts = [
            DraftSnapshot(leadId: marcus, content: "Hi Marcus, quick agenda for Tuesday:\n1. Rollout plan\n2. Pricing", subject: "Agenda",
                          channel: .email, savedAt: now - 20 * minute, synced: true),
        ]

        let stats = DashboardStats(
            windowDays: 30, windowStart: now - 30 * day, computedAt: now, leadsCreated: 10, leadsConverted: 1, conversionRate: 0.1,
            responseTime: .init(medianSeconds: 4_980, meanSeconds: 6_240, samples: 7), emailsSent: 6, openRate: 0.6667, clickRate: 0.1667,
            opens: .init(unique: 4, total: 7), clicks: .init(unique: 1, total: 2),
            activityCounts: .init(today: .init(sent: 1, received: 2, opens: 1, clicks: 0, meetingsBooked: 0, conversions: 0),
                                  window: .init(sent: 9, received: 8, opens: 7, clicks: 2, meetingsBooked: 1, conversions: 1)),
            pipelineValue: .init(openCents: 8_200_100, convertedCents: 3_600_000)
        )
        let series: [(Int, Int, Int)] = [(3, 1, 0), (5, 2, 1), (2, 2, 1), (6, 3, 2), (4, 4, 1), (1, 0, 0), (0, 0, 0),
                                          (7, 5, 3), (8, 4, 2), (5, 5, 4), (9, 6, 3), (6, 2, 2), (4, 3, 1), (2, 1, 2)]
        let today = Int(now.timeIntervalSince1970 / day)
        let analytics = Analytics(data: series.enumerated().map { index, value in
            let date = Date(timeIntervalSince1970: Double(today - 13 + index) * day)
            return Analytics.Day(date: String(ISO8601.format(date).prefix(10)),
                                 sent: value.0, delivered: value.0, opened: value.1, clicked: value.2 / 2, replied: value.2, converted: index == 5 ? 1 : 0)
        })

        let activity = [
            Activity(id: 9, kind: .messageReceived, leadId: dana, leadName: "Dana Kim", actor: "Dana Kim", summary: "Dana Kim replied on email", at: now - 2 * minute),
            Activity(id: 8, kind: .messageReceived, leadId: liam, leadName: "Liam O'Connor", actor: "Liam O'Connor", summary: "Liam O'Connor wrote on sms", at: now - 3 * hour),
            Activity(id: 7, kind: .emailOpened, leadId: dana, leadName: "Dana Kim", actor: "Dana Kim", summary: "Dana Kim opened “Re: Proposal Q3”", at: now - 3 * hour),
            Activity(id: 6, kind: .messageSent, leadId: tomas, leadName: "Tomás Ortega", actor: "Rita Rep", summary: "Rita Rep wrote to Tomás Ortega", at: now - 40 * minute),
            Activity(id: 5, kind: .statusChanged, leadId: marcus, leadName: "Marcus Webb", actor: "Rita Rep", summary: "Marcus Webb moved from qualified to meeting_booked", at: now - 4 * day),
            Activity(id: 4, kind: .linkClicked, leadId: dana, leadName: "Dana Kim", actor: "Dana Kim", summary: "Dana Kim clicked https://closer.example/p/northwind", at: now - 2 * day - 50 * minute),
        ]
        return FixtureInbox(rep: rep, leads: leads, threads: threads, drafts: drafts, stats: stats, analytics: analytics, activity: activity)
    }

    /// `N0000000-0000-4000-8000-<index, 12 digits>`: the large fixture's ids, without
    /// `String(format:)`, which made generating 10,000 leads a quarter of the benchmark's start-up.
    /// Written into exactly 36 bytes, as an id decoded from the server's JSON is: a concatenated
    /// string keeps spare capacity, 16 bytes more for each of the 25,000 ids.
    static func uuid(_ kind: Int, _ index: Int) -> String {
        let text = "\(kind)0000000-0000-4000-8000-" + zeroPadded(index, width: 12)
        return String(unsafeUninitializedCapacity: text.utf8.count) { buffer in
            buffer.initialize(fromContentsOf: text.utf8)
        }
    }

    static func zeroPadded(_ value: Int, width: Int, radix: Int = 10) -> String {
        let digits = String(value, radix: radix)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A large inbox for benchmarks: `leadCount` leads and one thread of `threadLength` messages
    /// (on the first lead), the others with one message each (their last; see `thread(for:)`).
    public static func large(leadCount: Int, threadLength: Int, now: Date = referenceNow) -> FixtureInbox {
        var inbox = inbox(now: now)
        let channels: [Channel] = [.email, .instagram, .sms, .whatsapp]
        let statuses = LeadStatus.allCases
        var leads: [Lead] = []
        leads.reserveCapacity(leadCount)
        for index in 0..<leadCount {
            let id = uuid(1, index)
            let channel = channels[index % channels.count]
            let at = now - Double(index) * 137
            let last = Message(id: uuid(2, index), leadId: id,
                               body: "Message \(index): following up on the proposal, let me know what you think!",
                               subject: channel == .email ? "Follow-up \(index)" : nil, channel: channel,
                               direction: index % 3 == 0 ? .inbound : .outbound, isRead: index % 5 != 0, createdAt: at)
            var lead = Lead(id: id, name: "Lead \(index) \(["Kim", "Webb", "Tanaka", "Ortega", "Rossi"][index % 5])",
                            email: channel == .email ? "lead\(index)@example.com" : nil, instagram: channel == .instagram ? "lead_\(index)" : nil,
                            phone: channel == .sms || channel == .whatsapp ? "+1415555" + zeroPadded(index % 10_000, width: 4) : nil,
                            status: statuses[index % statuses.count], valueCents: (index % 50) * 10_000, createdAt: at - 86_400)
            lead.lastActivityAt = at
            lead.lastMessage = last
            lead.unreadCount = last.direction == .inbound && !last.isRead ? 1 : 0
            leads.append(lead)
        }
        var threads: [String: [Message]] = [:]
        if let first = leads.first {
            threads[first.id] = (0..<threadLength).map { index -> Message in
                let sentAt: Date = now - Double(threadLength - index) * 600
                let outbound = index % 2 == 1
                let body = "Thread message \(index): " + String(repeating: "a fairly ordinary sentence about the deal ", count: 1 + index % 4)
                return Message(id: uuid(3, index), leadId: first.id, body: body,
                               subject: "Re: Proposal", channel: .email, direction: outbound ? .outbound : .inbound,
                               openedAt: outbound && index % 3 == 0 ? sentAt + 300 : nil, createdAt: sentAt)
            }
        }
        inbox.leads = leads
        inbox.threads = threads
        inbox.drafts = []
        return inbox
    }
}
