@testable import CloserServer
import Foundation
import Logging
import SQLKit
import Testing

/// Rows read by column position (`StoreDatabase.rows`) agree with what was written, in both
/// dialects, and a row that does not fit its reader is an error that names the column.
@Suite("Positional row reads")
struct StoreDatabaseTests {
    /// `t (k TEXT, note TEXT NULL, n BIGINT, at BIGINT NULL)`, read back in that order.
    struct Row: PositionalRow, Equatable {
        let key: String
        let note: String?
        let number: Int64
        let at: Int64?

        init(key: String, note: String?, number: Int64, at: Int64?) {
            self.key = key
            self.note = note
            self.number = number
            self.at = at
        }

        init(columns: inout some ColumnCursor) throws {
            key = try columns.string()
            note = try columns.optionalString()
            number = try columns.int64()
            at = try columns.optionalInt64()
        }
    }

    func withTable(_ store: TestStore, _ body: @Sendable (Database) async throws -> Void) async throws {
        let (url, cleanup) = try await store.makeDatabase()
        defer { Task { await cleanup() } }
        let database = try await Database.open(url, logger: Logger(label: "test"))
        try await database.withRunning { database in
            try await database.write { db in
                try await db.raw("CREATE TABLE t (k TEXT NOT NULL, note TEXT, n BIGINT NOT NULL, at BIGINT)").run()
                try await db.raw("""
                    INSERT INTO t (k, note, n, at) VALUES
                    ('a', 'ünïcødé ✓', 1, NULL), ('b', NULL, -9007199254740993, 1733400000000), ('c', '', 0, 0)
                    """).run()
            }
            try await body(database)
        }
    }

    @Test("text, NULL, large and negative integers come back as written, with text and integer binds", arguments: TestStore.available)
    func roundTrip(store: TestStore) async throws {
        try await withTable(store) { database in
            let rows = try await database.read { db in
                try await db.rows(Row.self, "SELECT k, note, n, at FROM t WHERE k <> \(bind: "zzz") AND n > \(bind: Int64.min) ORDER BY k")
            }
            #expect(rows == [
                Row(key: "a", note: "ünïcødé ✓", number: 1, at: nil),
                Row(key: "b", note: nil, number: -9_007_199_254_740_993, at: 1_733_400_000_000),
                Row(key: "c", note: "", number: 0, at: 0),
            ])
            let first = try await database.read { db in try await db.firstRow(Row.self, "SELECT k, note, n, at FROM t WHERE k = \(bind: "b")") }
            #expect(first?.number == -9_007_199_254_740_993)
            let none = try await database.read { db in try await db.firstRow(Row.self, "SELECT k, note, n, at FROM t WHERE k = \(bind: "nope")") }
            #expect(none == nil)
        }
    }

    @Test("a NULL where a value must be, or too few columns, is an error, not a made-up value", arguments: TestStore.available)
    func mismatches(store: TestStore) async throws {
        try await withTable(store) { database in
            // `note` is NULL for "b" and read here as the non-optional key.
            await #expect(throws: (any Error).self) {
                try await database.read { db in try await db.rows(Row.self, "SELECT note, note, n, at FROM t WHERE k = \(bind: "b")") }
            }
            let short = await #expect(throws: StoreError.self) {
                try await database.read { db in try await db.rows(Row.self, "SELECT k, note, n FROM t") }
            }
            #expect(short?.description.contains("column") == true)
        }
    }

    @Test("a bind that is neither text nor an integer is refused before the query runs", arguments: TestStore.available)
    func unsupportedBind(store: TestStore) async throws {
        try await withTable(store) { database in
            let error = await #expect(throws: StoreError.self) {
                try await database.read { db in try await db.rows(Row.self, "SELECT k, note, n, at FROM t WHERE n > \(bind: 1.5)") }
            }
            #expect(error?.description.contains("Double") == true)
        }
    }
}
