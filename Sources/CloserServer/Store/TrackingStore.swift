import CloserCore
import Foundation
import SQLKit

/// Tracked links of outbound emails and every open and click recorded against them.
struct TrackingStore {
    let db: any SQLDatabase

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

    func recordEvent(messageId: String, userId: String, kind: Kind, linkId: String?, ip: String?, userAgent: String?, machine: Bool, at date: Date) async throws {
        try await db.raw("""
            INSERT INTO tracking_events (message_id, user_id, kind, link_id, ip, user_agent, at, machine)
            VALUES (\(bind: messageId), \(bind: userId), \(bind: kind.rawValue), \(bind: linkId), \(bind: ip), \(bind: userAgent),
                    \(bind: date.millis), \(bind: machine.sqlInt))
            """).run()
        if let linkId, kind == .click {
            try await db.raw("""
                UPDATE message_links SET click_count = click_count + 1,
                    first_clicked_at = COALESCE(first_clicked_at, \(bind: date.millis))
                WHERE id = \(bind: linkId)
                """).run()
        }
    }

    /// Sets `opened_at` or `clicked_at` if it is not set yet; true when this call set it.
    func markFirst(_ kind: Kind, messageId: String, at date: Date) async throws -> Bool {
        let column = kind == .open ? "opened_at" : "clicked_at"
        return try await db.raw("""
            UPDATE messages SET \(ident: column) = \(bind: date.millis) WHERE id = \(bind: messageId) AND \(ident: column) IS NULL RETURNING id
            """).first() != nil
    }
}
