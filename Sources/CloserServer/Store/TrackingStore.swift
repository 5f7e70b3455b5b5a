import CloserCore
import Foundation
import SQLKit

/// Tracked links of outbound emails and every open and click recorded against them.
struct TrackingStore {
    let db: StoreDatabase

    /// A rewritten link: its random token and the URL it redirects to.
    struct Link: Sendable, Equatable {
        let id: String
        let messageId: String
        let token: String
        let url: String
    }

    /// What a tracking hit is about: the message, its rep and lead.
    struct Target: Sendable {
        let message: Message
        let userId: String
    }

    enum Kind: String {
        case open
        case click
    }

    func insertLink(_ link: Link) async throws {
        try await db.raw("""
            INSERT INTO message_links (id, message_id, token, url) VALUES (\(bind: link.id), \(bind: link.messageId), \(bind: link.token), \(bind: link.url))
            """).run()
    }

    func link(token: String) async throws -> Link? {
        guard let row = try await db.raw("SELECT id, message_id, token, url FROM message_links WHERE token = \(bind: token)").first() else { return nil }
        return Link(id: try row.string("id"), messageId: try row.string("message_id"), token: try row.string("token"), url: try row.string("url"))
    }

    func links(messageId: String) async throws -> [Link] {
        try await db.raw("SELECT id, message_id, token, url FROM message_links WHERE message_id = \(bind: messageId) ORDER BY id").all().map { row in
            Link(id: try row.string("id"), messageId: try row.string("message_id"), token: try row.string("token"), url: try row.string("url"))
        }
    }

    /// One `tracking_events` row to write.
    struct EventRow: Sendable {
        let messageId: String
        let userId: String
        let kind: Kind
        let linkId: String?
        let ip: String?
        let userAgent: String?
        let machine: Bool
        let at: Date
    }

    /// Writes many hits with one multi-row INSERT per 500 (a burst of opens is thousands of rows:
    /// one statement each made the recorder fall minutes behind a flood), and bumps each clicked
    /// link's count once per link.
    func recordEvents(_ rows: [EventRow]) async throws {
        for start in stride(from: 0, to: rows.count, by: 500) {
            let chunk = rows[start..<min(rows.count, start + 500)]
            var sql: SQLQueryString = "INSERT INTO tracking_events (message_id, user_id, kind, link_id, ip, user_agent, at, machine) VALUES "
            for (index, row) in chunk.enumerated() {
                if index > 0 { sql += ", " }
                sql += "(\(bind: row.messageId), \(bind: row.userId), \(bind: row.kind.rawValue), \(bind: row.linkId), \(bind: row.ip), "
                sql += "\(bind: row.userAgent), \(bind: row.at.millis), \(bind: row.machine.sqlInt))"
            }
            try await db.raw(sql).run()
        }
        var clicks: [String: (count: Int, first: Date)] = [:]
        for row in rows where row.kind == .click {
            guard let linkId = row.linkId else { continue }
            let known = clicks[linkId]
            clicks[linkId] = ((known?.count ?? 0) + 1, min(known?.first ?? row.at, row.at))
        }
        for (linkId, click) in clicks.sorted(by: { $0.key < $1.key }) {
            try await db.raw("""
                UPDATE message_links SET click_count = click_count + \(bind: click.count),
                    first_clicked_at = COALESCE(first_clicked_at, \(bind: click.first.millis))
                WHERE id = \(bind: linkId)
                """).run()
        }
    }

    func recordEvent(messageId: String, userId: String, kind: Kind, linkId: String?, ip: String?, userAgent: String?, machine: Bool, at date: Date) async throws {
        try await recordEvents([EventRow(messageId: messageId, userId: userId, kind: kind, linkId: linkId, ip: ip, userAgent: userAgent, machine: machine, at: date)])
    }

    /// Sets `opened_at` or `clicked_at` if it is not set yet; true when this call set it.
    func markFirst(_ kind: Kind, messageId: String, at date: Date) async throws -> Bool {
        let column = kind == .open ? "opened_at" : "clicked_at"
        return try await db.raw("""
            UPDATE messages SET \(ident: column) = \(bind: date.millis) WHERE id = \(bind: messageId) AND \(ident: column) IS NULL RETURNING id
            """).first() != nil
    }
}
