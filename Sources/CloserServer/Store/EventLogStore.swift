import CloserCore
import Foundation
import SQLKit

/// The per-rep event log that real-time delivery and replay read from.
///
/// Offsets come from `users.event_offset`, bumped inside the writing transaction. On PostgreSQL
/// the bump row-locks the rep until commit, so a rep's offsets become visible in order and a
/// reader that has seen offset N can never later find an uncommitted N-1 appear behind it.
struct EventLogStore {
    let db: any SQLDatabase

    /// Appends events in order and returns them with their offsets.
    func append(userId: String, events: [ServerEvent], at date: Date) async throws -> [LoggedEvent] {
        guard !events.isEmpty else { return [] }
        guard let row = try await db.raw("""
            UPDATE users SET event_offset = event_offset + \(literal: events.count) WHERE id = \(bind: userId) RETURNING event_offset
            """).first()
        else { throw StoreError.corruptRow("no user \(userId) for event offsets") }
        let last = try row.int("event_offset")
        var logged: [LoggedEvent] = []
        logged.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            let entry = LoggedEvent(offset: last - events.count + 1 + index, name: event.name, payload: try event.payload(), at: Date(millis: date.millis))
            try await db.raw("""
                INSERT INTO events (user_id, event_offset, name, payload, at)
                VALUES (\(bind: userId), \(bind: entry.offset), \(bind: entry.name.rawValue), \(bind: entry.payload.serialized()), \(bind: date.millis))
                """).run()
            logged.append(entry)
        }
        return logged
    }

    /// The newest offset and the offset up to which the log has been pruned.
    func bounds(userId: String) async throws -> (current: Int, prunedThrough: Int) {
        guard let row = try await db.raw("""
            SELECT event_offset, events_pruned_through FROM users WHERE id = \(bind: userId)
            """).first()
        else { return (0, 0) }
        return (try row.int("event_offset"), try row.int("events_pruned_through"))
    }

    /// Events after `offset`, oldest first, at most `limit`.
    func events(userId: String, after offset: Int, limit: Int) async throws -> [LoggedEvent] {
        try await db.raw("""
            SELECT event_offset, name, payload, at FROM events
            WHERE user_id = \(bind: userId) AND event_offset > \(bind: offset)
            ORDER BY event_offset LIMIT \(literal: limit)
            """).all().map { row in
                let payloadText = try row.string("payload")
                return LoggedEvent(
                    offset: try row.int("event_offset"),
                    name: try row.wireEnum("name", as: ServerEventName.self),
                    payload: try JSONValue(parsing: payloadText),
                    at: try row.date("at")
                )
            }
    }

    /// Deletes events beyond the newest `keep` per rep and older than `olderThan`, and records
    /// how far each rep's log now reaches back, so a client asking for pruned events gets `resync`.
    func prune(userId: String, keep: Int, olderThan date: Date) async throws {
        let bounds = try await bounds(userId: userId)
        let byCount = bounds.current - keep
        let byAge = try await db.raw("""
            SELECT MAX(event_offset) AS newest FROM events WHERE user_id = \(bind: userId) AND at < \(bind: date.millis)
            """).first()?.optionalInt("newest") ?? 0
        let through = max(byCount, byAge, bounds.prunedThrough)
        guard through > bounds.prunedThrough else { return }
        try await db.raw("DELETE FROM events WHERE user_id = \(bind: userId) AND event_offset <= \(bind: through)").run()
        try await db.raw("UPDATE users SET events_pruned_through = \(bind: through) WHERE id = \(bind: userId)").run()
    }
}
