import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing

@Suite("Health, readiness, OpenAPI and configuration")
struct OperationsTests {
    @Test("healthz and readyz answer", arguments: TestStore.available)
    func health(store: TestStore) async throws {
        try await TestServer.run(store) { server async throws in
            #expect(try await server.request(.get, "/healthz").status == .ok)
            #expect(try await server.request(.get, "/readyz").status == .ok)
        }
    }

    @Test("readyz answers 503 with a clear error once the database is gone; healthz still answers",
          .enabled(if: TestStore.postgresAdminURL != nil, "needs PostgreSQL"))
    func readyzWithoutDatabase() async throws {
        try await TestServer.run(.postgres) { server async throws in
            guard case .postgres(let host, let port, let user, let password, let name) = server.url else { throw TestStoreError(description: "not PostgreSQL") }
            try await TestStore.adminQuery("DROP DATABASE \(name) WITH (FORCE)", host: host, port: port, user: user, password: password)
            let response = try await server.request(.get, "/readyz")
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body).contains("database_unreachable"))
            #expect(try await server.request(.get, "/healthz").status == .ok)
        }
    }

    @Test("a database that does not answer is not ready")
    func unreachable() async throws {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let database = try await Database.open(.postgres(host: "127.0.0.1", port: 1, user: "nobody", password: nil, database: "none"), logger: quiet)
        let reachable = try await database.withRunning { db in await db.isReachable() }
        #expect(!reachable)
    }

    @Test("every route is described in /openapi.yaml with its method")
    func openAPICoversRoutes() async throws {
        try await TestServer.run(.sqlite) { server in
            let response = try await server.request(.get, "/openapi.yaml")
            #expect(response.status == .ok)
            let document = OpenAPIPaths(yaml: String(buffer: response.body))
            #expect(document.version == "3.1.0")
            for route in server.components.routes {
                let parts = route.split(separator: " ", maxSplits: 1)
                let method = parts[0].lowercased()
                // Hummingbird writes `/api/leads/:id`; OpenAPI writes `/api/leads/{id}`.
                let path = parts[1].split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                #expect(document.operations.contains("\(method) /\(path)"), "\(route) is missing from openapi.yaml")
            }
            // And the document describes nothing the server does not serve.
            let served = Set(server.components.routes.map { route -> String in
                let parts = route.split(separator: " ", maxSplits: 1)
                let path = parts[1].split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                return "\(parts[0].lowercased()) /\(path)"
            })
            #expect(document.operations.subtracting(served).isEmpty, "documented but not served: \(document.operations.subtracting(served))")
        }
    }

    @Test("database URLs parse, and passwords never reach logs")
    func databaseURLs() throws {
        #expect(try DatabaseURL(parsing: "sqlite:/var/lib/closer.sqlite") == .sqlite(path: "/var/lib/closer.sqlite"))
        #expect(try DatabaseURL(parsing: "postgres://closer:s3cret@db.internal:6432/inbox")
                == .postgres(host: "db.internal", port: 6432, user: "closer", password: "s3cret", database: "inbox"))
        #expect(try DatabaseURL(parsing: "postgresql://closer@db") == .postgres(host: "db", port: 5432, user: "closer", password: nil, database: "closer"))
        #expect(!(try DatabaseURL(parsing: "postgres://closer:s3cret@db/inbox")).description.contains("s3cret"))
        #expect(throws: ServerConfigurationError.self) { try DatabaseURL(parsing: "mysql://x@y/z") }
        #expect(throws: ServerConfigurationError.self) { try DatabaseURL(parsing: "sqlite:") }
        #expect(DatabaseURL.defaultSQLite(environment: ["XDG_DATA_HOME": "/data"]) == .sqlite(path: "/data/closer-server/closer.sqlite"))
        #expect(DatabaseURL.defaultSQLite(environment: ["HOME": "/home/rep"]) == .sqlite(path: "/home/rep/.local/share/closer-server/closer.sqlite"))
    }

    @Test("the SQLite file is created owner-only")
    func sqlitePermissions() async throws {
        let (url, cleanup) = try await TestStore.sqlite.makeDatabase()
        defer { Task { await cleanup() } }
        guard case .sqlite(let path) = url else { return }
        let database = try await Database.open(url, logger: Logger(label: "test"))
        _ = try await database.withRunning { db in try await Migrations.run(on: db) }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("migrations run once and are recorded", arguments: TestStore.available)
    func migrationsIdempotent(store: TestStore) async throws {
        let (url, cleanup) = try await store.makeDatabase()
        let database = try await Database.open(url, logger: Logger(label: "test"))
        let (first, second) = try await database.withRunning { db in
            (try await Migrations.run(on: db), try await Migrations.run(on: db))
        }
        await cleanup()
        #expect(first == Migrations.all.map(\.version))
        #expect(second.isEmpty)
    }

    @Test("PostgreSQL is configured when running in CI")
    func postgresInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(TestStore.postgresAdminURL != nil, "CI must export CLOSER_TEST_POSTGRES_URL (make test starts a cluster)")
        }
    }

    @Test("request logs drop tracking secrets")
    func redaction() {
        #expect(RequestLogMiddleware<AppRequestContext>.redactedPath("/t/c/abcdefghijklmnop") == "/t/c/abcdef…")
        #expect(RequestLogMiddleware<AppRequestContext>.redactedPath("/api/leads") == "/api/leads")
    }
}

/// The operations an OpenAPI YAML document declares, read from its `paths:` block: enough
/// structure to check the document against the router without a YAML library.
struct OpenAPIPaths {
    var version: String?
    var operations: Set<String> = []

    init(yaml: String) {
        var inPaths = false
        var currentPath: String?
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("openapi:") {
                version = line.dropFirst("openapi:".count).trimmingCharacters(in: .whitespaces)
            }
            if !line.hasPrefix(" ") && !line.isEmpty {
                inPaths = line.hasPrefix("paths:")
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), let path = currentPath {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if methods.contains(String(method)) { operations.insert("\(method) \(path)") }
            }
        }
    }
}
