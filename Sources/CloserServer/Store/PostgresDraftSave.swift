import CloserCore
import Foundation
import PostgresNIO

/// PostgreSQL's draft save (`DraftStore.saveLogged`) as a prepared statement: the upsert, the
/// rep's offset bump, the `drafts_updated` event and its NOTIFY in one data-modifying CTE.
///
/// Sent as an ordinary query, PostgreSQL parsed and planned this CTE again on every save, and
/// that was most of its CPU on the busiest write there is (bench/README.md). Prepared once per
/// connection, a save is a Bind and an Execute. The statement is fixed text, so what varies is
/// bound: `$9` is the base version, or NULL for a save without one (last write wins).
struct PostgresDraftSave: PostgresPreparedStatement {
    typealias Row = (draft: Draft, eventOffset: Int)

    static let sql = """
        WITH saved AS (
            INSERT INTO message_drafts (id, user_id, lead_id, content, subject, channel, version, saved_at, updated_at)
            SELECT $1, $2, l.id, $4, $5, $6, 1, $7, $8
            FROM leads l WHERE l.id = $3 AND l.user_id = $2
            ON CONFLICT (user_id, lead_id) DO UPDATE SET
                content = excluded.content, subject = excluded.subject, channel = excluded.channel,
                version = message_drafts.version + 1, saved_at = excluded.saved_at, updated_at = excluded.updated_at
            WHERE $9::bigint IS NULL OR message_drafts.version = $9
            RETURNING lead_id, content, subject, channel, version, saved_at, updated_at
        ), bump AS (
            UPDATE users SET event_offset = event_offset + 1 FROM saved WHERE users.id = $2
            RETURNING users.event_offset
        ), logged AS (
            INSERT INTO events (user_id, event_offset, name, payload, at)
            SELECT $2, bump.event_offset, $10, jsonb_set(CAST($11 AS jsonb), '{draft,version}', to_jsonb(saved.version))::text, $8
            FROM bump, saved
            RETURNING event_offset
        )
        SELECT saved.lead_id, saved.content, saved.subject, saved.channel, saved.version, saved.saved_at, saved.updated_at,
               logged.event_offset, pg_notify($12, $13 || logged.event_offset)
        FROM saved, logged
        """

    static var bindingDataTypes: [PostgresDataType] {
        [.text, .text, .text, .text, .text, .text, .int8, .int8, .int8, .text, .text, .text, .text]
    }

    let draftId: String
    let userId: String
    let leadId: String
    let content: String
    let subject: String?
    let channel: CloserCore.Channel
    let savedAt: Date
    let now: Date
    let baseVersion: Int?
    /// The event's payload with the draft's version left at 0; the statement writes in the one
    /// the upsert produced.
    let eventPayload: JSONValue

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 13)
        bindings.append(draftId)
        bindings.append(userId)
        bindings.append(leadId)
        bindings.append(content)
        bindings.append(subject)
        bindings.append(channel.rawValue)
        bindings.append(savedAt.millis)
        bindings.append(now.millis)
        bindings.append(baseVersion.map(Int64.init))
        bindings.append(ServerEventName.draftsUpdated.rawValue)
        bindings.append(eventPayload.serialized())
        bindings.append(PostgresFanout.channel)
        bindings.append(userId + ":")
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (leadId, content, subject, channel, version, savedAt, updatedAt, offset) = try row.decode(
            (String, String, String?, String, Int64, Int64, Int64, Int64).self
        )
        let draft = Draft(
            leadId: leadId, content: content, subject: subject, channel: try CloserCore.Channel(stored: channel, in: "message_drafts.channel"),
            version: Int(version), savedAt: Date(millis: savedAt), updatedAt: Date(millis: updatedAt)
        )
        return (draft, Int(offset))
    }
}
