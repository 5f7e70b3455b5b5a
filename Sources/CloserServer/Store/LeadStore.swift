import CloserCore
import Foundation
import SQLKit

/// Leads, always scoped to the owning rep: every query carries `user_id`.
struct LeadStore {
    let db: StoreDatabase

    /// One page of the lead list and where the next starts.
    struct Page {
        var leads: [Lead]
        var nextCursor: LeadCursor?
    }

    /// What every lead read selects, in the order `Lead.init(columns:)` reads it.
    private static let columns: SQLQueryString = """
        l.id, l.name, l.email, l.instagram, l.phone, l.status, l.value_cents, l.created_at, l.updated_at, l.last_activity_at,
        (SELECT COUNT(*) FROM messages m WHERE m.lead_id = l.id AND m.direction = 'inbound' AND m.is_read = 0) AS unread_count
        """

    func insert(_ lead: Lead, userId: String) async throws {
        try await db.raw("""
            INSERT INTO leads (id, user_id, name, email, instagram, phone, status, value_cents, created_at, updated_at, last_activity_at)
            VALUES (\(bind: lead.id), \(bind: userId), \(bind: lead.name), \(bind: lead.email), \(bind: lead.instagram),
                    \(bind: lead.phone), \(bind: lead.status.rawValue), \(bind: lead.valueCents), \(bind: lead.createdAt.millis),
                    \(bind: lead.updatedAt.millis), \(bind: lead.lastActivityAt.millis))
            """).run()
    }

    /// Whether the rep owns a lead with this id: the cheap check for routes that only need to know.
    func exists(id: String, userId: String) async throws -> Bool {
        try await db.raw("SELECT 1 AS found FROM leads WHERE id = \(bind: id) AND user_id = \(bind: userId)").first() != nil
    }

    /// The rep's lead, with its unread count and last message; nil for a missing or foreign id.
    func find(id: String, userId: String) async throws -> Lead? {
        guard var lead = try await db.firstRow(Lead.self, """
            SELECT \(Self.columns) FROM leads l WHERE l.id = \(bind: id) AND l.user_id = \(bind: userId)
            """)
        else { return nil }
        lead.lastMessage = try await MessageStore(db: db).lastMessages(leadIds: [lead.id])[lead.id]
        return lead
    }

    /// The lead list, newest activity first, filtered by status and by text over name, email,
    /// Instagram handle and phone.
    func list(userId: String, status: LeadStatus?, query: String?, after cursor: LeadCursor?, limit: Int) async throws -> Page {
        var sql: SQLQueryString = "SELECT \(Self.columns) FROM leads l WHERE l.user_id = \(bind: userId)"
        if let status {
            sql += " AND l.status = \(bind: status.rawValue)"
        }
        if let query, !query.isEmpty {
            let pattern = likePattern(containing: query)
            sql += """
                 AND (LOWER(l.name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(COALESCE(l.email, '')) LIKE \(bind: pattern) ESCAPE '\\'
                 OR LOWER(COALESCE(l.instagram, '')) LIKE \(bind: pattern) ESCAPE '\\' OR COALESCE(l.phone, '') LIKE \(bind: pattern) ESCAPE '\\')
                """
        }
        if let cursor {
            sql += """
                 AND (l.last_activity_at < \(bind: cursor.lastActivityMillis)
                 OR (l.last_activity_at = \(bind: cursor.lastActivityMillis) AND l.id < \(bind: cursor.id)))
                """
        }
        sql += " ORDER BY l.last_activity_at DESC, l.id DESC LIMIT \(literal: limit + 1)"
        var leads = try await db.rows(Lead.self, sql)
        let hasMore = leads.count > limit
        if hasMore { leads.removeLast() }
        let lastMessages = try await MessageStore(db: db).lastMessages(leadIds: leads.map(\.id))
        for index in leads.indices {
            leads[index].lastMessage = lastMessages[leads[index].id]
        }
        let next = hasMore ? leads.last.map { LeadCursor(lastActivityMillis: $0.lastActivityAt.millis, id: $0.id) } : nil
        return Page(leads: leads, nextCursor: next)
    }

    func update(id: String, userId: String, status: LeadStatus, valueCents: Int, at date: Date) async throws {
        try await db.raw("""
            UPDATE leads SET status = \(bind: status.rawValue), value_cents = \(bind: valueCents), updated_at = \(bind: date.millis)
            WHERE id = \(bind: id) AND user_id = \(bind: userId)
            """).run()
    }

    /// Moves the lead up the list: something was just written in its thread.
    func touchActivity(id: String, at date: Date) async throws {
        try await db.raw("""
            UPDATE leads SET last_activity_at = \(bind: date.millis), updated_at = \(bind: date.millis)
            WHERE id = \(bind: id) AND last_activity_at < \(bind: date.millis)
            """).run()
    }

    /// The rep's lead reachable at a normalised address, handle or phone number.
    func find(userId: String, contact: LeadContact) async throws -> Lead? {
        try await db.firstRow(Lead.self, """
            SELECT \(Self.columns) FROM leads l WHERE l.user_id = \(bind: userId) AND l.\(ident: contact.column) = \(bind: contact.value)
            ORDER BY l.created_at LIMIT 1
            """)
    }

    /// The rep whose lead at this address was active last, across every rep (inbound routing).
    func mostRecentOwner(contact: LeadContact) async throws -> String? {
        return try await db.raw("""
            SELECT user_id FROM leads WHERE \(ident: contact.column) = \(bind: contact.value) ORDER BY last_activity_at DESC LIMIT 1
            """).first()?.string("user_id")
    }

    func count(userId: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM leads WHERE user_id = \(bind: userId)").first()?.int("n") ?? 0
    }
}

extension Lead: PositionalRow {
    /// A row that selects `LeadStore.columns`; the last message is read separately.
    init(columns: inout some ColumnCursor) throws {
        self.init(
            id: try columns.string(),
            name: try columns.string(),
            email: try columns.optionalString(),
            instagram: try columns.optionalString(),
            phone: try columns.optionalString(),
            status: try columns.wireEnum(LeadStatus.self),
            valueCents: try columns.int(),
            createdAt: try columns.date(),
            updatedAt: try columns.date(),
            lastActivityAt: try columns.date(),
            unreadCount: try columns.int()
        )
    }
}

/// Where a lead-list page ends: the last lead's activity time and id, opaque to clients.
struct LeadCursor: Equatable {
    let lastActivityMillis: Int64
    let id: String

    /// The form clients pass back: base64url of `millis:id`.
    var encoded: String {
        Data("\(lastActivityMillis):\(id)".utf8).base64URLEncodedString()
    }

    init(lastActivityMillis: Int64, id: String) {
        self.lastActivityMillis = lastActivityMillis
        self.id = id
    }

    init?(encoded: String) {
        guard let data = Data(base64URLEncoded: encoded),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"),
              let millis = Int64(text[..<colon])
        else { return nil }
        let id = String(text[text.index(after: colon)...])
        guard UUID(uuidString: id) != nil else { return nil }
        self.init(lastActivityMillis: millis, id: id)
    }
}

/// A normalised way to reach a lead, used to match inbound messages to leads.
enum LeadContact: Equatable {
    case email(String)
    case instagram(String)
    case phone(String)

    var value: String {
        switch self {
        case .email(let value), .instagram(let value), .phone(let value): value
        }
    }

    /// The `leads` column this kind of address is stored in.
    var column: String {
        switch self {
        case .email: "email"
        case .instagram: "instagram"
        case .phone: "phone"
        }
    }
}
