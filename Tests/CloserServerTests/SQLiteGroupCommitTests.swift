@testable import CloserServer
import Foundation
import Logging
import SQLKit
import Testing

/// SQLite's writes share transactions under load; each must still behave as a transaction of its own.
@Suite("SQLite group commit")
struct SQLiteGroupCommitTests {
    struct Failure: Error {}

    /// A fresh SQLite database with a table `t (k TEXT PRIMARY KEY, writer INTEGER)`.
    func withTable(_ body: @Sendable (Database) async throws -> Void) async throws {
        let (url, cleanup) = try await TestStore.sqlite.makeDatabase()
        defer { Task { await cleanup() } }
        let database = try await Database.open(url, logger: Logger(label: "test"))
        try await database.withRunning { database in
            try await database.write { db in try await db.raw("CREATE TABLE t (k TEXT PRIMARY KEY, writer INTEGER NOT NULL)").run() }
            try await body(database)
        }
    }

    @Test("concurrent writes all commit, in fewer transactions than writes")
    func batches() async throws {
        try await withTable { database in
            let before = try #require(database.sqliteCommits)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<400 {
                    group.addTask {
                        try await database.write { db in
                            try await db.raw("INSERT INTO t (k, writer) VALUES (\(bind: "k\(writer)"), \(bind: writer))").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM t").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 400)
            let commits = try #require(database.sqliteCommits) - before
            #expect(commits < 400, "400 concurrent writes took \(commits) transactions")
        }
    }

    @Test("a write that fails beside others loses only its own rows, even the ones it wrote before failing")
    func failureIsolated() async throws {
        try await withTable { database in
            let failures = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<300 {
                    group.addTask {
                        do {
                            try await database.write { db in
                                try await db.raw("INSERT INTO t (k, writer) VALUES (\(bind: "k\(writer)"), \(bind: writer))").run()
                                if writer % 7 == 3 { throw Failure() }
                                try await db.raw("INSERT INTO t (k, writer) VALUES (\(bind: "k\(writer)-b"), \(bind: writer))").run()
                            }
                            return 0
                        } catch is Failure {
                            return 1
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            let writers = try await database.read { db in
                try await db.raw("SELECT writer FROM t ORDER BY k").all().map { try $0.decode(column: "writer", as: Int.self) }
            }
            let expected = (0..<300).filter { $0 % 7 != 3 }
            #expect(failures == 300 - expected.count)
            #expect(Set(writers) == Set(expected))
            #expect(writers.count == 2 * expected.count, "every surviving write has both its rows")
        }
    }

    @Test("two writers racing for one key: one row, and exactly one of them sees the unique violation")
    func uniqueRace() async throws {
        try await withTable { database in
            for round in 0..<50 {
                let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for writer in 0..<4 {
                        group.addTask {
                            do {
                                try await database.write { db in
                                    try await db.raw("INSERT INTO t (k, writer) VALUES (\(bind: "same-\(round)"), \(bind: writer))").run()
                                }
                                return true
                            } catch where Database.isUniqueViolation(error) {
                                return false
                            }
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
            }
            let count = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM t").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 50)
        }
    }
}
