import CloserCore
import Foundation
import SQLKit

/// Messages of every channel and direction. Reads are scoped to the rep by `user_id`.
struct MessageStore {
    let db: any SQLDatabase

    private static let columns: SQLQueryString = """
        m.id, m.lead_id, m.body, m.subject, m.provider, m.direction, m.status, m.failure_reason, m.tracking_id,
        m.opened_at, m.clicked_at, m.is_read, m.client_id, m.created_at
        """

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
        try await db.raw("SELECT \(Self.columns) FROM messages m WHERE m.id = \(bind: id) AND m.user_id = \(bind: userId)")
            .first().map(Self.message(from:))
    }

    /// The message a sender already stored under this idempotency key.
    func find(clientId: String, userId: String) async throws -> Message? {
        try await db.raw("SELECT \(Self.columns) FROM messages m WHERE m.client_id = \(bind: clientId) AND m.user_id = \(bind: userId)")
            .first().map(Self.message(from:))
    }

    /// The outbound email a tracking pixel belongs to, with its rep.
    func find(trackingId: String) async throws -> (message: Message, userId: String)? {
        guard let row = try await db.raw("""
            SELECT \(Self.columns), m.user_id FROM messages m WHERE m.tracking_id = \(bind: trackingId)
            """).first() else { return nil }
        return (try Self.message(from: row), try row.string("user_id"))
    }

    /// A message and its rep, by id alone (tracked links know their message, not the rep).
    func findWithOwner(id: String) async throws -> (message: Message, userId: String)? {
        guard let row = try await db.raw("SELECT \(Self.columns), m.user_id FROM messages m WHERE m.id = \(bind: id)").first() else { return nil }
        return (try Self.message(from: row), try row.string("user_id"))
    }

    /// The inbound message a provider already delivered under this external id.
    func find(channel: Channel, externalId: String) async throws -> (message: Message, userId: String)? {
        guard let row = try await db.raw("""
            SELECT \(Self.columns), m.user_id FROM messages m WHERE m.provider = \(bind: channel.rawValue) AND m.external_id = \(bind: externalId)
            """).first() else { return nil }
        return (try Self.message(from: row), try row.string("user_id"))
    }

    /// Up to `limit` messages of the thread older than `before`, oldest first, and whether more exist.
    func thread(leadId: String, userId: String, before: (millis: Int64, id: String)?, limit: Int) async throws -> (messages: [Message], hasMore: Bool) {
        var sql: SQLQueryString = "SELECT \(Self.columns) FROM messages m WHERE m.lead_id = \(bind: leadId) AND m.user_id = \(bind: userId)"
        if let before {
            sql += " AND (m.created_at < \(bind: before.millis) OR (m.created_at = \(bind: before.millis) AND m.id < \(bind: before.id)))"
        }
        sql += " ORDER BY m.created_at DESC, m.id DESC LIMIT \(literal: limit + 1)"
        var messages = try await db.raw(sql).all().map(Self.message(from:))
        let hasMore = messages.count > limit
        if hasMore { messages.removeLast() }
        return (messages.reversed(), hasMore)
    }

    /// The newest message of each lead, keyed by lead id.
    func lastMessages(leadIds: [String]) async throws -> [String: Message] {
        guard !leadIds.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT \(Self.columns) FROM messages m
            WHERE m.lead_id IN (\(binds: leadIds))
              AND m.id = (SELECT m2.id FROM messages m2 WHERE m2.lead_id = m.lead_id ORDER BY m2.created_at DESC, m2.id DESC LIMIT 1)
            """).all()
        var result: [String: Message] = [:]
        for row in rows {
            let message = try Self.message(from: row)
            result[message.leadId] = message
        }
        return result
    }

    /// Marks the lead's unread inbound messages read and returns them as they are now.
    func markRead(leadId: String, userId: String) async throws -> [Message] {
        let unread = try await db.raw("""
            SELECT \(Self.columns) FROM messages m
            WHERE m.lead_id = \(bind: leadId) AND m.user_id = \(bind: userId) AND m.direction = 'inbound' AND m.is_read = 0
            """).all().map(Self.message(from:))
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
        guard let row = try await db.raw("""
            SELECT \(Self.columns), m.user_id, m.delivery_attempts FROM messages m WHERE m.id = \(bind: id)
            """).first()
        else { return nil }
        return (try Self.message(from: row), try row.string("user_id"), try row.int("delivery_attempts"))
    }

    static func message(from row: any SQLRow) throws -> Message {
        Message(
            id: try row.string("id"),
            leadId: try row.string("lead_id"),
            body: try row.string("body"),
            subject: try row.optionalString("subject"),
            channel: try row.wireEnum("provider", as: Channel.self),
            direction: try row.wireEnum("direction", as: MessageDirection.self),
            status: try row.wireEnum("status", as: MessageStatus.self),
            failureReason: try row.optionalString("failure_reason"),
            trackingId: try row.optionalString("tracking_id"),
            openedAt: try row.optionalDate("opened_at"),
            clickedAt: try row.optionalDate("clicked_at"),
            isRead: try row.bool("is_read"),
            clientId: try row.optionalString("client_id"),
            createdAt: try row.date("created_at")
        )
    }
}
