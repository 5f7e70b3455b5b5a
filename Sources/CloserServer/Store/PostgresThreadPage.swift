import CloserCore
import PostgresNIO

/// PostgreSQL's page of a thread (`MessageStore.thread`) as a prepared statement: every thread a
/// client opens, pages back through or reloads after a reconnect asks it.
///
/// Sent as an ordinary query, PostgreSQL parsed and planned it each time. Prepared, the text is
/// fixed: the page ends before `(createdAt, id)` of its anchor, compared as a row so the thread
/// index serves the range, and a first page binds an anchor after every message.
struct PostgresThreadPage: PostgresPreparedStatement {
    typealias Row = Message

    static let sql = """
        SELECT \(MessageStore.columnList) FROM messages m
        WHERE m.lead_id = $1 AND m.user_id = $2 AND (m.created_at, m.id) < ($3, $4)
        ORDER BY m.created_at DESC, m.id DESC LIMIT $5
        """

    static var bindingDataTypes: [PostgresDataType] { [.text, .text, .int8, .text, .int8] }

    let leadId: String
    let userId: String
    /// The page's newest message is older than this; nil for the newest page.
    let before: (millis: Int64, id: String)?
    let limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(leadId)
        bindings.append(userId)
        bindings.append(before?.millis ?? Int64.max)
        bindings.append(before?.id ?? "")
        bindings.append(Int64(limit))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Message {
        var columns = PostgresColumns(cells: row.makeIterator())
        return try Message(columns: &columns)
    }
}
