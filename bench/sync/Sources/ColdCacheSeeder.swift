import CloserClient
import CloserCore
import Foundation

/// The cold start's data: `leads` leads created on the server for a rep of their own (so
/// `closer` with the server up finds them there too), and a cache template holding those leads
/// as the server returns them plus `messagesPerLead` messages each, written through `ClientCache`.
/// Each lead's newest cached message ends at the lead's own `lastActivityAt`, so the list order in
/// the cache is the server's. The template's last offset is the rep's current one, as after a sync.
struct ColdCacheSeeder {
    let options: BenchArguments

    struct Result: Codable {
        var mode = "seed-cold"
        var token: String
        var leads: Int
        var messages: Int
        /// The lead at the top of the list, for polling the screen.
        var firstLeadName: String
        var cacheBytes: Int
        var seedSeconds: Double
        var cacheSeconds: Double
    }

    static func cachePath(options: BenchArguments) throws -> String {
        let credentials = Credentials(server: try options.string("server"), token: try options.string("token"))
        return credentials.cachePath(environment: ["XDG_DATA_HOME": try options.string("data-home")])
    }

    func run() async throws {
        let server = try options.string("server")
        let email = try options.string("email")
        let password = try options.secret("password-file")
        let output = try options.string("out")
        let template = try options.string("template")
        let leadCount = try options.int("leads", default: 10_000)
        let messagesPerLead = try options.int("messages-per-lead", default: 10)

        var api = APIClient(baseURL: server, http: CurlHTTPClient())
        let token = try await api.login(email: email, password: password).token
        api.token = token
        let seedStart = ContinuousClock.now
        try await createLeads(leadCount, api: api)
        var leads = try await api.allLeads()
        let me = try await api.me()
        let seedSeconds = seedStart.milliseconds(to: .now) / 1000
        guard leads.count == leadCount else { throw BenchFailure("the server lists \(leads.count) leads, expected \(leadCount)") }
        progress(String(format: "%d leads created on the server in %.1f s", leads.count, seedSeconds))

        let cacheStart = ContinuousClock.now
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: template + suffix) }
        let cache = try ClientCache(path: template)
        var messages: [Message] = []
        messages.reserveCapacity(leads.count * messagesPerLead)
        for index in leads.indices {
            let thread = Self.thread(for: leads[index], count: messagesPerLead)
            leads[index].lastMessage = thread.last
            messages += thread
        }
        try cache.replaceLeads(leads)
        for start in stride(from: 0, to: messages.count, by: 10_000) {
            try cache.upsertMessages(Array(messages[start..<min(start + 10_000, messages.count)]))
        }
        try cache.setLastOffset(me.eventOffset)
        let cacheSeconds = cacheStart.milliseconds(to: .now) / 1000
        let bytes = (try? FileManager.default.attributesOfItem(atPath: template)[.size] as? Int) ?? 0
        progress(String(format: "cache template: %d leads, %d messages, %.1f MB (+ WAL), written in %.1f s",
                        leads.count, messages.count, Double(bytes) / 1e6, cacheSeconds))
        try writeJSON(Result(token: token, leads: leads.count, messages: messages.count, firstLeadName: leads[0].name,
                             cacheBytes: bytes, seedSeconds: seedSeconds, cacheSeconds: cacheSeconds), to: output)
    }

    /// Creates the leads, eight requests in flight, on every channel in turn.
    private func createLeads(_ count: Int, api: APIClient) async throws {
        let surnames = ["Kim", "Webb", "Tanaka", "Ortega", "Rossi"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<count {
                if number >= 8 { try await group.next() }
                let name = "Cold Lead \(number) \(surnames[number % surnames.count])"
                let request: CreateLeadRequest = switch number % 3 {
                case 0: CreateLeadRequest(name: name, email: "cold\(number)@prospect.example")
                case 1: CreateLeadRequest(name: name, instagram: "cold_\(number)")
                default: CreateLeadRequest(name: name, phone: "+1 415 555 \(String(format: "%04d", number % 10_000))")
                }
                group.addTask { _ = try await api.createLead(request) }
            }
            try await group.waitForAll()
        }
    }

    /// `count` messages alternating in and out on the lead's first channel, a minute apart, the
    /// newest at the lead's last activity.
    static func thread(for lead: Lead, count: Int) -> [Message] {
        let channel = lead.channels.first ?? .email
        return (0..<count).map { index in
            let outbound = index % 2 == 1
            return Message(
                id: "cold-\(lead.id)-\(index)", leadId: lead.id,
                body: "Message \(index) with \(lead.name): following up on the proposal and the onboarding timeline, let me know what you think.",
                subject: channel == .email ? "Re: Proposal" : nil, channel: channel, direction: outbound ? .outbound : .inbound,
                status: outbound ? .sent : .delivered, isRead: true, clientId: outbound ? "cold-\(lead.id)-\(index)" : nil,
                createdAt: lead.lastActivityAt.addingTimeInterval(Double(index - count + 1) * 60))
        }
    }
}
