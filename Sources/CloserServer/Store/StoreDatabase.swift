import CloserCore
import Foundation
import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// One connection as the stores see it. Every statement is written once, with SQLKit, for both
/// dialects; the reads that return rows of messages and leads can also be read by column
/// position, through the driver itself (`rows(_:_:)`).
///
/// Why the second way in: SQLKit's rows look every column up by name and decode it through a
/// dynamic cast to the driver's value protocol, and SQLiteKit hands each row to the event loop
/// on its own. For a 200-message thread that was most of the server's CPU (bench/README.md).
public struct StoreDatabase: SQLDatabase {
    enum Driver: Sendable {
        case sqlite(SQLiteConnection)
        case postgres(PostgresConnection)
    }

    let driver: Driver
    private let sql: any SQLDatabase

    init(sqlite connection: SQLiteConnection) {
        driver = .sqlite(connection)
        sql = connection.sql(queryLogLevel: nil)
    }

    init(postgres connection: PostgresConnection) {
        driver = .postgres(connection)
        sql = connection.sql(queryLogLevel: nil)
    }

    public var logger: Logger { sql.logger }
    public var eventLoop: any EventLoop { sql.eventLoop }
    public var version: (any SQLDatabaseReportedVersion)? { sql.version }
    public var dialect: any SQLDialect { sql.dialect }
    public var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        sql.execute(sql: query, onRow)
    }

    /// SQLiteKit's bind encoder and row decoder, made once as SQLiteKit's own database makes them:
    /// each wraps a Foundation JSON coder, which is not free to make per statement and per row.
    private static let sqliteEncoder = SQLiteDataEncoder()
    private static let sqliteDecoder = SQLiteDataDecoder()

    /// Every statement the stores run through SQLKit. On SQLite it goes straight to the
    /// connection's own async `query`, which runs it on SQLite's thread and hands the rows over
    /// there: SQLiteKit calls the `SQLiteDatabase` protocol's version, which sends every row, and
    /// then the statement's end, through the event loop, a thread hop each on the way back to the
    /// caller. A draft save is five statements on the one writer, so those hops were most of its
    /// critical path.
    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        switch driver {
        case .sqlite(let connection):
            let (text, binds) = sql.serialize(query)
            let values = try binds.map { try Self.sqliteEncoder.encode($0) }
            try await connection.query(text, values) { row in onRow(row.sql(decoder: Self.sqliteDecoder)) }
        case .postgres:
            try await sql.execute(sql: query, onRow)
        }
    }

    public func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// Runs `query` and reads every row it returns as a `Row`, column by column in the order the
    /// query selects them.
    func rows<Row: PositionalRow>(_ type: Row.Type, _ query: SQLQueryString) async throws -> [Row] {
        let (text, binds) = sql.serialize(query)
        switch driver {
        case .sqlite(let connection):
            let values = try binds.map { try BindValue($0).sqlite }
            // `SQLiteConnection`'s own async `query` calls back on SQLite's thread (the protocol's
            // version sends every row through the event loop); the rows are read once all have come.
            let collected = Mutex<[SQLiteRow]>([])
            try await connection.query(text, values) { row in collected.withLock { $0.append(row) } }
            return try collected.withLock { rows in
                try rows.map { row in
                    var columns = SQLiteColumns(row.columns)
                    return try Row(columns: &columns)
                }
            }
        case .postgres(let connection):
            var bindings = PostgresBindings(capacity: binds.count)
            for bind in binds {
                try BindValue(bind).append(to: &bindings)
            }
            var rows: [Row] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: text, binds: bindings), logger: logger) {
                var columns = PostgresColumns(cells: row.makeIterator())
                rows.append(try Row(columns: &columns))
            }
            return rows
        }
    }

    /// The rows of a PostgreSQL prepared statement: prepared once per connection, then only bound
    /// and executed. For the few statements whose parsing and planning cost PostgreSQL more than
    /// running them; there is no SQLite counterpart.
    func rows<Statement: PostgresPreparedStatement>(prepared statement: Statement) async throws -> [Statement.Row] {
        guard case .postgres(let connection) = driver else {
            throw StoreError(description: "\(Statement.self) is a PostgreSQL statement")
        }
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: logger) {
            rows.append(row)
        }
        return rows
    }

    /// The first row `query` returns, read as in `rows(_:_:)`; for queries that select at most one
    /// row (a key, or LIMIT 1), since every row is read.
    func firstRow<Row: PositionalRow>(_ type: Row.Type, _ query: SQLQueryString) async throws -> Row? {
        try await rows(type, query).first
    }
}

/// A value read from one result row, column by column.
protocol PositionalRow {
    init(columns: inout some ColumnCursor) throws
}

/// The columns of one result row, read in the order the query selects them.
protocol ColumnCursor {
    mutating func string() throws -> String
    mutating func optionalString() throws -> String?
    mutating func int64() throws -> Int64
    mutating func optionalInt64() throws -> Int64?
}

extension ColumnCursor {
    mutating func int() throws -> Int { Int(try int64()) }
    /// Booleans are integers in both dialects (`Bool.sqlInt`).
    mutating func bool() throws -> Bool { try int64() != 0 }
    mutating func date() throws -> Date { Date(millis: try int64()) }
    mutating func optionalDate() throws -> Date? { try optionalInt64().map(Date.init(millis:)) }
    mutating func wireEnum<T: WireEnum>(_ type: T.Type) throws -> T {
        try T(stored: try string(), in: "a \(T.self) column")
    }
}

/// The values positional reads bind: the queries read this way bind only text and integers.
private enum BindValue {
    case text(String)
    case integer(Int64)

    init(_ bind: any Encodable & Sendable) throws {
        switch bind {
        case let text as String: self = .text(text)
        case let integer as Int64: self = .integer(integer)
        case let integer as Int: self = .integer(Int64(integer))
        default: throw StoreError(description: "a positional read cannot bind a \(type(of: bind))")
        }
    }

    var sqlite: SQLiteData {
        switch self {
        case .text(let text): .text(text)
        case .integer(let integer): .integer(Int(integer))
        }
    }

    func append(to bindings: inout PostgresBindings) throws {
        switch self {
        case .text(let text): bindings.append(text)
        case .integer(let integer): bindings.append(integer)
        }
    }
}

private struct SQLiteColumns: ColumnCursor {
    private let columns: [SQLiteColumn]
    private var index = 0

    init(_ columns: [SQLiteColumn]) {
        self.columns = columns
    }

    private mutating func next() throws -> SQLiteColumn {
        guard index < columns.count else { throw StoreError.corruptRow("the query selects \(columns.count) columns, more were read") }
        defer { index += 1 }
        return columns[index]
    }

    mutating func string() throws -> String {
        let column = try next()
        guard case .text(let text) = column.data else { throw Self.mismatch(column, "text") }
        return text
    }

    mutating func optionalString() throws -> String? {
        let column = try next()
        switch column.data {
        case .null: return nil
        case .text(let text): return text
        default: throw Self.mismatch(column, "text or NULL")
        }
    }

    mutating func int64() throws -> Int64 {
        let column = try next()
        guard case .integer(let integer) = column.data else { throw Self.mismatch(column, "an integer") }
        return Int64(integer)
    }

    mutating func optionalInt64() throws -> Int64? {
        let column = try next()
        switch column.data {
        case .null: return nil
        case .integer(let integer): return Int64(integer)
        default: throw Self.mismatch(column, "an integer or NULL")
        }
    }

    private static func mismatch(_ column: SQLiteColumn, _ expected: String) -> StoreError {
        StoreError.corruptRow("\(column.name) holds \(column.data), not \(expected)")
    }
}

/// A PostgreSQL row's cells, read in order (also by prepared statements' `decodeRow`).
struct PostgresColumns: ColumnCursor {
    var cells: PostgresRow.Iterator

    private mutating func next() throws -> PostgresCell {
        guard let cell = cells.next() else { throw StoreError.corruptRow("more columns were read than the query selects") }
        return cell
    }

    mutating func string() throws -> String { try next().decode(String.self) }

    mutating func optionalString() throws -> String? {
        let cell = try next()
        return cell.bytes == nil ? nil : try cell.decode(String.self)
    }

    mutating func int64() throws -> Int64 { try next().decode(Int64.self) }

    mutating func optionalInt64() throws -> Int64? {
        let cell = try next()
        return cell.bytes == nil ? nil : try cell.decode(Int64.self)
    }
}
