import CloserCore
import Foundation
import SQLKit

/// One draft per rep and lead, versioned so concurrent edits from two devices are detected.
struct DraftStore {
    let db: any SQLDatabase

    func find(leadId: String, userId: String) async throws -> Draft? {
        try await db.raw("""
            SELECT lead_id, content, subject, channel, version, saved_at, updated_at
            FROM message_drafts WHERE lead_id = \(bind: leadId) AND user_id = \(bind: userId)
            """).first().map(Self.draft(from:))
    }

    /// Inserts or replaces the draft; `draft.version` must already be the next version.
    func upsert(_ draft: Draft, userId: String) async throws {
        try await db.raw("""
            INSERT INTO message_drafts (id, user_id, lead_id, content, subject, channel, version, saved_at, updated_at)
            VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: userId), \(bind: draft.leadId), \(bind: draft.content),
                    \(bind: draft.subject), \(bind: draft.channel.rawValue), \(bind: draft.version), \(bind: draft.savedAt.millis),
                    \(bind: draft.updatedAt.millis))
            ON CONFLICT (user_id, lead_id) DO UPDATE SET
                content = excluded.content, subject = excluded.subject, channel = excluded.channel,
                version = excluded.version, saved_at = excluded.saved_at, updated_at = excluded.updated_at
            """).run()
    }

    func delete(leadId: String, userId: String) async throws {
        try await db.raw("DELETE FROM message_drafts WHERE lead_id = \(bind: leadId) AND user_id = \(bind: userId)").run()
    }

    static func draft(from row: any SQLRow) throws -> Draft {
        Draft(
            leadId: try row.string("lead_id"),
            content: try row.string("content"),
            subject: try row.optionalString("subject"),
            channel: try row.wireEnum("channel", as: Channel.self),
            version: try row.int("version"),
            savedAt: try row.date("saved_at"),
            updatedAt: try row.date("updated_at")
        )
    }
}
