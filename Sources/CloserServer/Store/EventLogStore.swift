import CloserCore
import Foundation
import SQLKit

/// The per-rep event log that real-time delivery and replay read from.
///
/// Offsets come from `users.event_offset`, bumped inside the writing transaction. On PostgreSQL
/// the bump row-locks the rep until commit, so a rep's offsets become visible in order and a
/// reader that has seen offset N can never later find an uncommitted N-1 appear behind it.
struct EventLogStore {
    let db: StoreDatabase

    /// Appends events in order and returns them with their offsets, in as few round trips as
    /// the engine allows: on PostgreSQL one statement bumps the rep's offset (row-locking the rep
    /// until commit), inserts the events and NOTIFYs the other instances; on SQLite the bump and
    /// one multi-row insert. Events go `rowsPerStatement` at a time, well inside both engines'
    /// limits on bound parameters (a burst of opens can log thousands in one commit).
    func append(userId: String, events: [ServerEvent], at date: Date) async throws -> [LoggedEvent] {
        var logged: [LoggedEvent] = []
        logged.reserveCapacity(events.count)
        for start in stride(from: 0, to: events.count, by: Self.rowsPerStatement) {
            let entries = try events[start..<min(start + Self.rowsPerStatement, events.count)].map { (name: $0.name, payload: try $0.payload()) }
            let last = db.dialect.name == "postgresql"
                ? try await appendInOneStatement(userId: userId, entries: entries, at: date)
                : try await appendInTwoStatements(userId: userId, entries: entries, at: date)
            for (index, entry) in entries.enumerated() {
                logged.append(LoggedEvent(offset: last - entries.count + 1 + index, name: entry.name, payload: entry.payload, at: Date(millis: date.millis)))
            }
        }
        return logged
    }

    static let rowsPerStatement = 500

    private typealias Entry = (name: ServerEventName, payload: JSONValue)

    /// PostgreSQL: bump, insert and NOTIFY in one data-modifying CTE. Returns the last offset.
    private func appendInOneStatement(userId: String, entries: [Entry], at date: Date) async throws -> Int {
        var sql: SQLQueryString = """
            WITH bump AS (
                UPDATE users SET event_offset = event_offset + \(literal: entries.count) WHERE id = \(bind: userId) RETURNING event_offset
            ), logged AS (
                INSERT INTO events (user_id, event_offset, name, payload, at)
                SELECT \(bind: userId), bump.event_offset - \(literal: entries.count) + v.i, v.name, v.payload, \(bind: date.millis)
                FROM bump, (VALUES
            """
        for (index, entry) in entries.enumerated() {
            sql += "\(unsafeRaw: index == 0 ? " " : ", ")(\(literal: index + 1), \(bind: entry.name.rawValue), \(bind: entry.payload.serialized()))"
        }
        sql += """
            ) AS v(i, name, payload)
                RETURNING event_offset
            )
            SELECT MAX(event_offset) AS last, pg_notify(\(bind: PostgresFanout.channel), \(bind: userId + ":") || MAX(event_offset)) AS notified
            FROM logged
            """
        guard let row = try await db.raw(sql).first(), let last = try row.optionalInt("last") else {
            throw StoreError.corruptRow("no user \(userId) for event offsets")
        }
        return last
    }

    /// SQLite (no UPDATE inside a CTE): the bump, then one multi-row insert. Returns the last offset.
    private func appendInTwoStatements(userId: String, entries: [Entry], at date: Date) async throws -> Int {
        guard let row = try await db.raw("""
            UPDATE users SET event_offset = event_offset + \(literal: entries.count) WHERE id = \(bind: userId) RETURNING event_offset
            """).first()
        else { throw StoreError.corruptRow("no user \(userId) for event offsets") }
        let last = try row.int("event_offset")
        var sql: SQLQueryString = "INSERT INTO events (user_id, event_offset, name, payload, at) VALUES"
        for (index, entry) in entries.enumerated() {
            let offset = last - entries.count + 1 + index
            sql += "\(unsafeRaw: index == 0 ? " " : ", ")(\(bind: userId), \(bind: offset), \(bind: entry.name.rawValue), \(bind: entry.payload.serialized()), \(bind: date.millis))"
        }
        try await db.raw(sql).run()
        return last
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
