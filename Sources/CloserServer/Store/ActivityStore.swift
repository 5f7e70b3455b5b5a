import CloserCore
import Foundation
import SQLKit

/// The activity stream: what happened, to which lead, by whom.
struct ActivityStore {
    let db: StoreDatabase

    /// Appends an entry and returns it with its id.
    func append(userId: String, kind: ActivityKind, lead: Lead?, actor: String, summary: String, tag: String? = nil, data: JSONValue = .object([:]), at date: Date) async throws -> Activity {
        let row = try await db.raw("""
            INSERT INTO activities (user_id, lead_id, kind, tag, actor, summary, data, at)
            VALUES (\(bind: userId), \(bind: lead?.id), \(bind: kind.rawValue), \(bind: tag), \(bind: actor), \(bind: summary),
                    \(bind: data.serialized()), \(bind: date.millis))
            RETURNING id
            """).first()
        guard let id = try row?.int("id") else { throw StoreError.corruptRow("activity insert returned no id") }
        return Activity(id: id, kind: kind, leadId: lead?.id, leadName: lead?.name, actor: actor, summary: summary, data: data, at: Date(millis: date.millis))
    }

    /// Entries newest first, older than the `before` id when given.
    func page(userId: String, before: Int?, limit: Int) async throws -> (activities: [Activity], hasMore: Bool) {
        var sql: SQLQueryString = """
            SELECT a.id, a.kind, a.lead_id, l.name AS lead_name, a.actor, a.summary, a.data, a.at
            FROM activities a LEFT JOIN leads l ON l.id = a.lead_id
            WHERE a.user_id = \(bind: userId)
            """
        if let before { sql += " AND a.id < \(bind: before)" }
        sql += " ORDER BY a.id DESC LIMIT \(literal: limit + 1)"
        var activities = try await db.raw(sql).all().map(Self.activity(from:))
        let hasMore = activities.count > limit
        if hasMore { activities.removeLast() }
        return (activities, hasMore)
    }

    static func activity(from row: any SQLRow) throws -> Activity {
        let dataText = try row.string("data")
        let data = (try? JSONValue(parsing: dataText)) ?? .object([:])
        return Activity(
            id: try row.int("id"),
            kind: try row.wireEnum("kind", as: ActivityKind.self),
            leadId: try row.optionalString("lead_id"),
            leadName: try row.optionalString("lead_name"),
            actor: try row.string("actor"),
            summary: try row.string("summary"),
            data: data,
            at: try row.date("at")
        )
    }
}
