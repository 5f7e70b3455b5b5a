import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import ServiceLifecycle
import Synchronization

/// The server's storage: SQLite (embedded default) or PostgreSQL, behind one SQL code path.
///
/// Every query goes through SQLKit, so the statements in `Store/` are written once for both
/// dialects. Writes happen in transactions; on SQLite they queue for the one writer and share
/// transactions under load (group commit), on PostgreSQL they run concurrently and serialise per
/// rep on the rep's row lock.
public final class Database: Service, Sendable {
    /// Which SQL engine is behind the store.
    public enum Dialect: Sendable { case sqlite, postgres }

    public let dialect: Dialect
    public let url: DatabaseURL
    private let backend: Backend
    private let logger: Logger
    /// Opens once the schema is up to date; background work waits on it before touching tables.
    let migrated = AsyncGate()

    private enum Backend: Sendable {
        case sqlite(SQLiteConnections)
        case postgres(PostgresClient)
    }

    private init(url: DatabaseURL, backend: Backend, logger: Logger) {
        self.url = url
        self.backend = backend
        self.logger = logger
        switch backend {
        case .sqlite: dialect = .sqlite
        case .postgres: dialect = .postgres
        }
    }

    /// Opens the database. SQLite files (and their folder) are created owner-only on first use.
    public static func open(_ url: DatabaseURL, maximumConnections: Int = ServerConfiguration.defaultDatabaseConnections, logger: Logger) async throws -> Database {
        switch url {
        case .sqlite(let path):
            return Database(url: url, backend: .sqlite(try await SQLiteConnections.open(path: path, logger: logger)), logger: logger)
        case .postgres(let host, let port, let user, let password, let database):
            var configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: user,
                password: password,
                database: database,
                tls: .disable
            )
            configuration.options.maximumConnections = max(2, maximumConnections)
            configuration.options.minimumConnections = 1
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            return Database(url: url, backend: .postgres(client), logger: logger)
        }
    }

    /// Keeps the backend's machinery going (PostgreSQL's connection pool) until cancelled or shut
    /// down gracefully; then closes every connection.
    public func run() async throws {
        switch backend {
        case .sqlite(let connections):
            try? await gracefulShutdown()
            await connections.close()
        case .postgres(let client):
            await client.run()
        }
    }

    /// Runs `body` while the database is running, then closes it; for one-shot commands like
    /// `migrate` and for tools that use the store outside a server.
    public func withRunning<T: Sendable>(_ body: @Sendable (Database) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connections):
            do {
                let result = try await body(self)
                await connections.close()
                return result
            } catch {
                await connections.close()
                throw error
            }
        case .postgres(let client):
            // The body waits for `run()` to be under way: a lease taken before it makes
            // PostgresNIO warn on stderr ("run() hasn't been called yet"), which a one-shot
            // command like `user add` would print. `run()` marks the client running before it
            // first suspends, so the gate opens just ahead of that.
            let running = AsyncGate()
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    running.open()
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                await running.wait()
                return try await body(self)
            }
        }
    }

    /// Runs read-only queries on any connection.
    public func read<T: Sendable>(_ body: (StoreDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connections):
            return try await connections.withReader { try await body(StoreDatabase(sqlite: $0)) }
        case .postgres(let client):
            return try await Self.onAnyConnection(client, body)
        }
    }

    /// Runs `body` on a pooled PostgreSQL connection, outside any explicit transaction.
    private static func onAnyConnection<T: Sendable>(_ client: PostgresClient, _ body: (StoreDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(StoreDatabase(postgres: connection))
        }
    }

    /// Runs `body` in one transaction: everything it writes commits together or not at all.
    ///
    /// On SQLite, writes that queue up share a transaction (`SQLiteGroupCommit`), and when one of
    /// them throws the others run their bodies again: keep a body's state inside it, so running
    /// it twice is the same as running it once.
    public func write<T: Sendable>(_ body: (StoreDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connections):
            return try await connections.writes.write(body)
        case .postgres(let client):
            return try await client.withConnection { connection in
                try await Self.transaction(on: StoreDatabase(postgres: connection), body)
            }
        }
    }

    /// Runs `body`, which writes with one statement: PostgreSQL commits it on its own, with no
    /// BEGIN and COMMIT round trips. On SQLite it is an ordinary `write`.
    public func writeOneStatement<T: Sendable>(_ body: (StoreDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite:
            return try await write(body)
        case .postgres(let client):
            return try await Self.onAnyConnection(client, body)
        }
    }

    /// SQLite write transactions committed so far (group commit puts several writes in one);
    /// nil on PostgreSQL.
    var sqliteCommits: Int? {
        guard case .sqlite(let connections) = backend else { return nil }
        return connections.writes.commits.load(ordering: .relaxed)
    }

    /// Whether an error is a unique-constraint violation: two writers raced to insert the same
    /// key and this one lost. Callers re-read and return the winner's row.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505"
        }
        if let error = error as? SQLiteError {
            return error.message.contains("UNIQUE constraint failed")
        }
        return false
    }

    /// Whether the database answers a trivial query within `limit`, for `/readyz`. The answer
    /// comes in time even when the pool cannot hand out a connection (the database is gone, the
    /// pool's circuit breaker is open): a probe that hangs would hold the request, and with it the
    /// server's graceful shutdown.
    public func isReachable(within limit: Duration = .seconds(2)) async -> Bool {
        await firstAnswer(within: limit, fallback: false, cancelLateWork: true) {
            (try? await self.read { db in try await db.raw("SELECT 1 AS one").first() != nil }) ?? false
        }
    }

    /// `body` between `begin` and COMMIT, rolled back if it (or the COMMIT) throws.
    nonisolated(nonsending) static func transaction<T>(
        on db: StoreDatabase,
        begin: SQLQueryString = "BEGIN",
        _ body: (StoreDatabase) async throws -> T
    ) async throws -> T {
        try await db.raw(begin).run()
        do {
            let result = try await body(db)
            try await db.raw("COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// SQLite connections: one writer, several readers (WAL lets readers run beside the writer).
private final class SQLiteConnections: Sendable {
    let writer: SQLiteConnection
    let readers: [SQLiteConnection]
    /// Every write goes through here, on `writer`: one transaction at a time, with group commit.
    let writes: SQLiteGroupCommit
    let threadPool: NIOThreadPool
    /// Readers free to lease, and the reads waiting for one, oldest first.
    private let idleReaders: Mutex<(free: [SQLiteConnection], waiting: [CheckedContinuation<SQLiteConnection, Never>])>

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], threadPool: NIOThreadPool) {
        self.writer = writer
        self.readers = readers
        self.threadPool = threadPool
        idleReaders = Mutex((free: readers, waiting: []))
        writes = SQLiteGroupCommit(db: StoreDatabase(sqlite: writer))
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteConnections {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try DataDirectory.createPrivate(directory) }
        let threadPool = NIOThreadPool(numberOfThreads: 4)
        threadPool.start()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let writer = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop)
        // The database holds password hashes and every message: owner-only, before the WAL exists.
        chmod(path, 0o600)
        try await configure(writer, wal: true)
        var readers: [SQLiteConnection] = []
        for _ in 0..<3 {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop)
            try await configure(reader, wal: false)
            readers.append(reader)
        }
        return SQLiteConnections(writer: writer, readers: readers, threadPool: threadPool)
    }

    private static func configure(_ connection: SQLiteConnection, wal: Bool) async throws {
        let db = connection.sql(queryLogLevel: nil)
        if wal {
            try await db.raw("PRAGMA journal_mode = WAL").run()
        }
        try await db.raw("PRAGMA synchronous = NORMAL").run()
        try await db.raw("PRAGMA busy_timeout = 5000").run()
        try await db.raw("PRAGMA foreign_keys = ON").run()
    }

    /// Runs `body` with a reader no one else is using, waiting (first come, first served) while
    /// all are busy.
    ///
    /// Handing readers out in turn instead queued a read behind a busy connection while another
    /// sat idle, and the two reads on one connection then held two of the thread pool's threads,
    /// one of them blocked on the connection's mutex: the slow tail of thread GETs under load.
    func withReader<T>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        let reader = await leaseReader()
        defer { returnReader(reader) }
        return try await body(reader)
    }

    private func leaseReader() async -> SQLiteConnection {
        if let reader = idleReaders.withLock({ $0.free.popLast() }) { return reader }
        return await withCheckedContinuation { continuation in
            let reader = idleReaders.withLock { idle -> SQLiteConnection? in
                if let reader = idle.free.popLast() { return reader }
                idle.waiting.append(continuation)
                return nil
            }
            if let reader { continuation.resume(returning: reader) }
        }
    }

    private func returnReader(_ reader: SQLiteConnection) {
        let next = idleReaders.withLock { idle -> CheckedContinuation<SQLiteConnection, Never>? in
            guard !idle.waiting.isEmpty else {
                idle.free.append(reader)
                return nil
            }
            return idle.waiting.removeFirst()
        }
        next?.resume(returning: reader)
    }

    private let closed = Atomic<Bool>(false)

    /// Closes every connection, once, however many callers ask.
    func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for connection in readers + [writer] {
            try? await connection.close()
        }
        try? await threadPool.shutdownGracefully()
    }
}
