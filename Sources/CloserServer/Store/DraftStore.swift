import CloserCore
import Foundation
import SQLKit

/// One draft per rep and lead, versioned so concurrent edits from two devices are detected.
struct DraftStore {
    let db: StoreDatabase

    func find(leadId: String, userId: String) async throws -> Draft? {
        try await db.raw("""
            SELECT lead_id, content, subject, channel, version, saved_at, updated_at
            FROM message_drafts WHERE lead_id = \(bind: leadId) AND user_id = \(bind: userId)
            """).first().map(Self.draft(from:))
    }

    /// The outcome of a versioned save.
    enum SaveResult {
        case saved(Draft)
        /// The lead is not the rep's (or does not exist).
        case noLead
        /// `baseVersion` was stale; this is the draft the server holds.
        case conflict(Draft)
    }

    /// Saves the rep's draft in one statement (`upsert`). Only a refused save costs a second
    /// query, to say why.
    func save(leadId: String, userId: String, content: String, subject: String?, channel: Channel,
              baseVersion: Int?, savedAt: Date, at now: Date) async throws -> SaveResult {
        var sql = upsert(leadId: leadId, userId: userId, content: content, subject: subject, channel: channel,
                         baseVersion: baseVersion, savedAt: savedAt, at: now)
        sql += " RETURNING \(unsafeRaw: Self.returnedColumns)"
        if let row = try await db.raw(sql).first() {
            return .saved(try Self.draft(from: row))
        }
        if let current = try await find(leadId: leadId, userId: userId) {
            return .conflict(current)
        }
        return .noLead
    }

    /// PostgreSQL: the same save as `save`, with its `drafts_updated` event logged and NOTIFYed, in
    /// one prepared statement (`PostgresDraftSave`): a data-modifying CTE, which commits on its
    /// own, without BEGIN and COMMIT.
    ///
    /// Drafts autosave every half second while a rep types, so this is the busiest write there is;
    /// as a transaction it took four round trips (BEGIN, the upsert, the log append, COMMIT). The
    /// caller builds the event's payload with the draft's version left at 0; the statement writes
    /// in the version the upsert produced. A refused save logs nothing. Returns the outcome and,
    /// for a save, the offset its event was logged at.
    func saveLogged(leadId: String, userId: String, content: String, subject: String?, channel: Channel,
                    baseVersion: Int?, savedAt: Date, at now: Date,
                    eventPayload: JSONValue) async throws -> (SaveResult, loggedAt: Int?) {
        let statement = PostgresDraftSave(
            draftId: UUID().uuidString.lowercased(), userId: userId, leadId: leadId, content: content, subject: subject,
            channel: channel, savedAt: savedAt, now: now, baseVersion: baseVersion, eventPayload: eventPayload
        )
        guard let saved = try await db.rows(prepared: statement).first else {
            if let current = try await find(leadId: leadId, userId: userId) {
                return (.conflict(current), nil)
            }
            return (.noLead, nil)
        }
        return (.saved(saved.draft), saved.eventOffset)
    }

    /// The upsert, without its RETURNING: inserted at version 1 or updated to the next version,
    /// only for the rep's own lead and, with `baseVersion`, only from that version.
    /// (`PostgresDraftSave` holds the same upsert as prepared text.)
    private func upsert(leadId: String, userId: String, content: String, subject: String?, channel: Channel,
                        baseVersion: Int?, savedAt: Date, at now: Date) -> SQLQueryString {
        var sql: SQLQueryString = """
            INSERT INTO message_drafts (id, user_id, lead_id, content, subject, channel, version, saved_at, updated_at)
            SELECT \(bind: UUID().uuidString.lowercased()), \(bind: userId), l.id, \(bind: content), \(bind: subject),
                   \(bind: channel.rawValue), 1, \(bind: savedAt.millis), \(bind: now.millis)
            FROM leads l WHERE l.id = \(bind: leadId) AND l.user_id = \(bind: userId)
            ON CONFLICT (user_id, lead_id) DO UPDATE SET
                content = excluded.content, subject = excluded.subject, channel = excluded.channel,
                version = message_drafts.version + 1, saved_at = excluded.saved_at, updated_at = excluded.updated_at
            """
        if let baseVersion {
            sql += " WHERE message_drafts.version = \(bind: baseVersion)"
        }
        return sql
    }

    private static let returnedColumns = "lead_id, content, subject, channel, version, saved_at, updated_at"

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
