import CloserClient
import CloserCore
@testable import CloserServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A real closer-server on a loopback port over a fresh SQLite file, run as `closer-server serve`
/// runs it, for the client to talk to.
final class ClientTestServer: Sendable {
    let components: ServerComponents
    let port: Int
    let http = CurlHTTPClient()
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(components: ServerComponents, port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.components = components
        self.port = port
        self.task = task
        self.group = group
    }

    /// Runs `body` against a fresh server, then stops it and removes its database.
    static func run(_ body: (ClientTestServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-client-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await start(directory: directory)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Starts a server on the database in `directory` (created on first use), on `port` or any free
    /// one. A restart on a given port retries for a few seconds: under a parallel test run the port
    /// can be briefly held by another socket.
    static func start(directory: URL, port: Int = 0) async throws -> ClientTestServer {
        var lastError: (any Error)?
        for _ in 0..<30 {
            do {
                return try await startOnce(directory: directory, port: port)
            } catch {
                lastError = error
                guard port != 0 else { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        throw lastError ?? ClientTestError("the server did not start")
    }

    private static func startOnce(directory: URL, port: Int) async throws -> ClientTestServer {
        var configuration = ServerConfiguration(database: .sqlite(path: directory.path + "/server.sqlite"))
        configuration.port = port
        configuration.bcryptCost = 4
        configuration.logLevel = .critical
        var logger = Logger(label: "closer-client-test")
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let (application, components) = try await buildApplication(configuration, logger: logger) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task {
            // A server that cannot bind ends here: end the port stream too, or start() waits for ever.
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            let outcome = await task.result
            throw ClientTestError("the server did not start on port \(port): \(outcome)")
        }
        return ClientTestServer(components: components, port: bound, task: task, group: group)
    }

    /// Shuts the server down as SIGTERM does, and waits until it has stopped.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    /// A new rep, and an API client signed in as them.
    func signedInRep(name: String = "Rita Rep") async throws -> (user: User, api: APIClient) {
        let email = "\(name.lowercased().replacingOccurrences(of: " ", with: "."))+\(UUID().uuidString.prefix(6))@closer.example"
        let user = try await UserAdministration(database: components.database, bcryptCost: 4)
            .addUser(email: email, name: name, password: "correct horse battery")
        var api = APIClient(baseURL: baseURL, http: http)
        api.token = try await api.login(email: email, password: "correct horse battery").token
        return (user, api)
    }
}

struct ClientTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
