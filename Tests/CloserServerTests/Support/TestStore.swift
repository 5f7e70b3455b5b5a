import CloserServer
import Foundation
import Logging
import PostgresNIO
import Testing

/// The databases every store and route test runs against: SQLite always, PostgreSQL when
/// `CLOSER_TEST_POSTGRES_URL` names a server (`make test` and CI start one).
enum TestStore: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The stores available here. CI always has both; `StoreAvailabilityTests` fails in CI without PostgreSQL.
    static var available: [TestStore] {
        postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresAdminURL: String? {
        ProcessInfo.processInfo.environment["CLOSER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A fresh, empty database of this kind, and how to remove it.
    func makeDatabase() async throws -> (url: DatabaseURL, cleanup: @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return (.sqlite(path: directory.path + "/closer.sqlite"), { try? FileManager.default.removeItem(at: directory) })
        case .postgres:
            guard let admin = Self.postgresAdminURL, case .postgres(let host, let port, let user, let password, _) = try DatabaseURL(parsing: admin) else {
                throw TestStoreError(description: "CLOSER_TEST_POSTGRES_URL is not set")
            }
            let name = "closer_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            try await Self.adminQuery("CREATE DATABASE \(name)", host: host, port: port, user: user, password: password)
            return (.postgres(host: host, port: port, user: user, password: password, database: String(name)), {
                try? await Self.adminQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", host: host, port: port, user: user, password: password)
            })
        }
    }

    static func adminQuery(_ sql: String, host: String, port: Int, user: String, password: String?) async throws {
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: "postgres", tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test-admin"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test-admin"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

struct TestStoreError: Error, CustomStringConvertible {
    let description: String
}
