import CloserCore
@testable import CloserServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing

/// A running closer-server on a loopback port with a fresh database, and helpers to call it as a
/// client would.
struct TestServer: Sendable {
    let client: any TestClientProtocol
    let components: ServerComponents
    let store: TestStore
    /// The database this server runs on (fresh for the test).
    let url: DatabaseURL

    var database: Database { components.database }

    /// Runs `body` against a real server on `store`, then removes the database.
    static func run(
        _ store: TestStore,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        let (url, removeDatabase) = try await store.makeDatabase()
        // Emails go to a spool of this test's own (never the tester's ~/.local/share).
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("closer-test-spool-\(UUID().uuidString)").path
        let cleanup: @Sendable () async -> Void = {
            await removeDatabase()
            try? FileManager.default.removeItem(atPath: spool)
        }
        do {
            var configuration = ServerConfiguration(database: url)
            configuration.port = 0
            configuration.bcryptCost = 4
            // Many test servers share one PostgreSQL cluster at once.
            configuration.databaseConnections = 4
            configuration.mail.spoolDirectory = spool
            configuration.logLevel = ProcessInfo.processInfo.environment["CLOSER_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
            configure(&configuration)
            var logger = Logger(label: "closer-test")
            logger.logLevel = configuration.logLevel
            let (application, components) = try await buildApplication(configuration, logger: logger)
            let trace = ProcessInfo.processInfo.environment["CLOSER_TEST_TRACE"] != nil
            let id = "\(UUID().uuidString.prefix(6)) \(Test.current?.displayName ?? Test.current?.name ?? "?")"
            if trace { print("[test-server \(id)] starting on \(store)") }
            try await application.test(.live) { client in
                if trace { print("[test-server \(id)] running on port \(client.port ?? 0)") }
                // HummingbirdTesting's client connects in the background. A body that never uses it
                // can finish first; the shutdown then leaves that late connection open, and the
                // server waits on it for ever. One request settles the connection up front.
                _ = try await client.execute(uri: "/healthz", method: .get, headers: [:], body: nil)
                try await body(TestServer(client: client, components: components, store: store, url: url))
                if trace { print("[test-server \(id)] body finished") }
            }
            if trace { print("[test-server \(id)] shut down") }
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    // MARK: Reps

    /// A rep signed in with a fresh token.
    struct Rep: Sendable {
        let user: User
        let token: String
        let password: String
    }

    func makeRep(_ name: String = "Rita Rep", email: String? = nil, password: String = "correct horse battery") async throws -> Rep {
        let email = email ?? "\(name.lowercased().replacingOccurrences(of: " ", with: "."))+\(UUID().uuidString.prefix(6))@closer.example"
        let user = try await UserAdministration(database: database, bcryptCost: 4).addUser(email: email, name: name, password: password)
        let response = try await request(.post, "/api/auth/login", json: LoginRequest(email: email, password: password))
        #expect(response.status == .ok)
        return Rep(user: user, token: try decode(LoginResponse.self, response).token, password: password)
    }

    // MARK: Requests

    func request(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, body: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if body != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
    }

    func request(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, bytes: [UInt8]) async throws -> TestResponse {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let token { fields[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: method, headers: fields, body: ByteBuffer(bytes: bytes))
    }

    func request(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: some Encodable) async throws -> TestResponse {
        let data = try CloserJSON.encoder().encode(json)
        return try await request(method, path, token: token, body: String(decoding: data, as: UTF8.self))
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        do {
            return try CloserJSON.decoder().decode(T.self, from: Data(response.body.readableBytesView))
        } catch {
            Issue.record("could not decode \(T.self) from \(response.status.code): \(String(buffer: response.body))", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// The `{"error": …}` body of an error answer.
    func errorDetail(_ response: TestResponse) throws -> APIErrorBody.Detail {
        try decode(APIErrorBody.self, response).error
    }

    // MARK: Fixtures

    func createLead(_ rep: Rep, name: String = "Dana Kim", email: String? = "dana@northwind.example", instagram: String? = nil, phone: String? = nil,
                    status: LeadStatus? = nil, valueCents: Int? = nil) async throws -> Lead {
        let response = try await request(.post, "/api/leads", token: rep.token,
                                         json: CreateLeadRequest(name: name, email: email, instagram: instagram, phone: phone, status: status, valueCents: valueCents))
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try decode(Lead.self, response)
    }

    @discardableResult
    func send(_ rep: Rep, to lead: Lead, body: String = "Hello there", subject: String? = "Proposal Q3", channel: CloserCore.Channel = .email,
              clientId: String = UUID().uuidString) async throws -> Message {
        let response = try await request(.post, "/api/messages/\(lead.id)", token: rep.token,
                                         json: SendMessageRequest(body: body, subject: subject, channel: channel, clientId: clientId))
        #expect(response.status == .created || response.status == .ok, "\(String(buffer: response.body))")
        return try decode(Message.self, response)
    }

    /// The stored message once `condition` holds, or as it is after `timeout`: delivery settles
    /// in the background, and a loaded machine may take longer than the send's own patience.
    func waitForMessage(_ rep: Rep, _ id: String, timeout: Duration = .seconds(10), until condition: (Message) -> Bool) async throws -> Message {
        let deadline = ContinuousClock.now + timeout
        while true {
            let message = try #require(try await database.read { db in try await MessageStore(db: db).find(id: id, userId: rep.user.id) })
            if condition(message) || ContinuousClock.now > deadline { return message }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs one SQL query with a single integer result, to check what is really stored.
    func count(_ sql: String) async throws -> Int {
        try await database.read { db in
            try await db.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }
}

extension TestServer {
    /// Stores an inbound message directly, as a channel would deliver it (the webhook has its own tests).
    @discardableResult
    func insertInbound(_ rep: Rep, lead: Lead, body: String = "Sounds good!", channel: CloserCore.Channel = .email, at date: Date = Date()) async throws -> Message {
        let message = Message(
            id: UUID().uuidString.lowercased(), leadId: lead.id, body: body, subject: channel == .email ? "Re: Proposal Q3" : nil,
            channel: channel, direction: .inbound, status: .delivered, isRead: false, createdAt: Date(millis: date.millis)
        )
        try await database.write { db in
            try await MessageStore(db: db).insert(message, userId: rep.user.id)
            try await LeadStore(db: db).touchActivity(id: lead.id, at: date)
        }
        return message
    }
}
