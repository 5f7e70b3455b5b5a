import CloserCore
import Foundation
import SQLKit

/// Messages of every channel and direction. Reads are scoped to the rep by `user_id`.
struct MessageStore {
    let db: StoreDatabase

    /// What every message read selects, in the order `Message.init(columns:)` reads it.
    static let columnList = """
        m.id, m.lead_id, m.body, m.subject, m.provider, m.direction, m.status, m.failure_reason, m.tracking_id, \
        m.opened_at, m.clicked_at, m.is_read, m.client_id, m.created_at
        """
    private static let columns: SQLQueryString = "\(unsafeRaw: columnList)"

    func insert(_ message: Message, userId: String, externalId: String? = nil, nextAttemptAt: Date? = nil) async throws {
        try await db.raw("""
            INSERT INTO messages (id, lead_id, user_id, body, subject, provider, direction, status, failure_reason, tracking_id,
                                  opened_at, clicked_at, is_read, client_id, external_id, next_attempt_at, created_at)
            VALUES (\(bind: message.id), \(bind: message.leadId), \(bind: userId), \(bind: message.body), \(bind: message.subject),
                    \(bind: message.channel.rawValue), \(bind: message.direction.rawValue), \(bind: message.status.rawValue),
                    \(bind: message.failureReason), \(bind: message.trackingId), \(bind: message.openedAt?.millis),
                    \(bind: message.clickedAt?.millis), \(bind: message.isRead.sqlInt), \(bind: message.clientId),
                    \(bind: externalId), \(bind: nextAttemptAt?.millis), \(bind: message.createdAt.millis))
            """).run()
    }

    func find(id: String, userId: String) async throws -> Message? {
        try await db.firstRow(Message.self, "SELECT \(Self.columns) FROM messages m WHERE m.id = \(bind: id) AND m.user_id = \(bind: userId)")
    }

    /// The message a sender already stored under this idempotency key.
    func find(clientId: String, userId: String) async throws -> Message? {
        try await db.firstRow(Message.self, "SELECT \(Self.columns) FROM messages m WHERE m.client_id = \(bind: clientId) AND m.user_id = \(bind: userId)")
    }

    /// The outbound email a tracking pixel belongs to, with its rep.
    func find(trackingId: String) async throws -> (message: Message, userId: String)? {
        try await db.firstRow(OwnedMessage.self, """
            SELECT \(Self.columns), m.user_id FROM messages m WHERE m.tracking_id = \(bind: trackingId)
            """)?.pair
    }

    /// A message and its rep, by id alone (tracked links know their message, not the rep).
    func findWithOwner(id: String) async throws -> (message: Message, userId: String)? {
        try await db.firstRow(OwnedMessage.self, "SELECT \(Self.columns), m.user_id FROM messages m WHERE m.id = \(bind: id)")?.pair
    }

    /// The inbound message a provider already delivered under this external id.
    func find(channel: Channel, externalId: String) async throws -> (message: Message, userId: String)? {
        try await db.firstRow(OwnedMessage.self, """
            SELECT \(Self.columns), m.user_id FROM messages m WHERE m.provider = \(bind: channel.rawValue) AND m.external_id = \(bind: externalId)
            """)?.pair
    }

    /// Up to `limit` messages of the thread older than `before`, oldest first, and whether more exist.
    func thread(leadId: String, userId: String, before: (millis: Int64, id: String)?, limit: Int) async throws -> (messages: [Message], hasMore: Bool) {
        var messages = if case .postgres = db.driver {
            try await db.rows(prepared: PostgresThreadPage(leadId: leadId, userId: userId, before: before, limit: limit + 1))
        } else {
            try await sqliteThread(leadId: leadId, userId: userId, before: before, limit: limit)
        }
        let hasMore = messages.count > limit
        if hasMore { messages.removeLast() }
        return (messages.reversed(), hasMore)
    }

    /// SQLite's page of a thread: the same rows as `PostgresThreadPage`.
    private func sqliteThread(leadId: String, userId: String, before: (millis: Int64, id: String)?, limit: Int) async throws -> [Message] {
        var sql: SQLQueryString = "SELECT \(Self.columns) FROM messages m WHERE m.lead_id = \(bind: leadId) AND m.user_id = \(bind: userId)"
        if let before {
            sql += " AND (m.created_at < \(bind: before.millis) OR (m.created_at = \(bind: before.millis) AND m.id < \(bind: before.id)))"
        }
        sql += " ORDER BY m.created_at DESC, m.id DESC LIMIT \(literal: limit + 1)"
        return try await db.rows(Message.self, sql)
    }

    /// The newest message of each lead, keyed by lead id.
    func lastMessages(leadIds: [String]) async throws -> [String: Message] {
        guard !leadIds.isEmpty else { return [:] }
        // One backward step of the thread index per lead, then the messages by id: asking
        // "is this the newest?" of every message of every lead instead ran the inner query once
        // per message (about 20 per lead in the demo data, and a thread can hold thousands).
        let messages = try await db.rows(Message.self, """
            SELECT \(Self.columns) FROM messages m
            WHERE m.id IN (
                SELECT (SELECT m2.id FROM messages m2 WHERE m2.lead_id = l.id ORDER BY m2.created_at DESC, m2.id DESC LIMIT 1)
                FROM leads l WHERE l.id IN (\(binds: leadIds)))
            """)
        return Dictionary(messages.map { ($0.leadId, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Marks the lead's unread inbound messages read and returns them as they are now.
    func markRead(leadId: String, userId: String) async throws -> [Message] {
        let unread = try await db.rows(Message.self, """
            SELECT \(Self.columns) FROM messages m
            WHERE m.lead_id = \(bind: leadId) AND m.user_id = \(bind: userId) AND m.direction = 'inbound' AND m.is_read = 0
            """)
        guard !unread.isEmpty else { return [] }
        try await db.raw("""
            UPDATE messages SET is_read = 1
            WHERE lead_id = \(bind: leadId) AND user_id = \(bind: userId) AND direction = 'inbound' AND is_read = 0
            """).run()
        return unread.map { message in
            var read = message
            read.isRead = true
            return read
        }
    }

    /// Records a delivery outcome: `sent`/`failed` end the message's delivery; `queued` with
    /// `retryAt` schedules another attempt.
    func updateDelivery(id: String, status: MessageStatus, failureReason: String?, retryAt: Date?) async throws {
        try await db.raw("""
            UPDATE messages SET status = \(bind: status.rawValue), failure_reason = \(bind: failureReason),
                next_attempt_at = \(bind: retryAt?.millis), delivery_attempts = delivery_attempts + 1
            WHERE id = \(bind: id)
            """).run()
    }

    /// Ids of queued outbound messages whose next attempt is due, oldest first.
    func dueForDelivery(at date: Date, limit: Int) async throws -> [String] {
        try await db.raw("""
            SELECT m.id FROM messages m
            WHERE m.status = 'queued' AND m.direction = 'outbound' AND m.next_attempt_at <= \(bind: date.millis)
            ORDER BY m.next_attempt_at LIMIT \(literal: limit)
            """).all().map { try $0.string("id") }
    }

    /// Takes a queued message for one delivery attempt, so no other worker or instance sends it
    /// at the same time: the claim moves its next attempt past `leaseUntil`. Returns the message,
    /// its rep and how many attempts came before, or nil when someone else claimed it first.
    func claimForDelivery(id: String, at date: Date, leaseUntil: Date) async throws -> (message: Message, userId: String, attempts: Int)? {
        guard try await db.raw("""
            UPDATE messages SET next_attempt_at = \(bind: leaseUntil.millis)
            WHERE id = \(bind: id) AND status = 'queued' AND next_attempt_at <= \(bind: date.millis)
            RETURNING id
            """).first() != nil
        else { return nil }
        guard let claimed = try await db.firstRow(ClaimedMessage.self, """
            SELECT \(Self.columns), m.user_id, m.delivery_attempts FROM messages m WHERE m.id = \(bind: id)
            """)
        else { return nil }
        return (claimed.message, claimed.userId, claimed.attempts)
    }

}

extension Message: PositionalRow {
    /// A row that selects `MessageStore.columns`.
    init(columns: inout some ColumnCursor) throws {
        self.init(
            id: try columns.string(),
            leadId: try columns.string(),
            body: try columns.string(),
            subject: try columns.optionalString(),
            channel: try columns.wireEnum(Channel.self),
            direction: try columns.wireEnum(MessageDirection.self),
            status: try columns.wireEnum(MessageStatus.self),
            failureReason: try columns.optionalString(),
            trackingId: try columns.optionalString(),
            openedAt: try columns.optionalDate(),
            clickedAt: try columns.optionalDate(),
            isRead: try columns.bool(),
            clientId: try columns.optionalString(),
            createdAt: try columns.date()
        )
    }
}

/// A message and its rep: `MessageStore.columns`, then `m.user_id`.
private struct OwnedMessage: PositionalRow {
    let message: Message
    let userId: String

    init(columns: inout some ColumnCursor) throws {
        message = try Message(columns: &columns)
        userId = try columns.string()
    }

    var pair: (message: Message, userId: String) { (message, userId) }
}

/// A message claimed for delivery: `MessageStore.columns`, then `m.user_id` and `m.delivery_attempts`.
private struct ClaimedMessage: PositionalRow {
    let message: Message
    let userId: String
    let attempts: Int

    init(columns: inout some ColumnCursor) throws {
        message = try Message(columns: &columns)
        userId = try columns.string()
        attempts = try columns.int()
    }
}
