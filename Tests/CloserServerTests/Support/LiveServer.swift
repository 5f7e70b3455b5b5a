import CloserCore
@testable import CloserServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A real server started outside HummingbirdTesting, so a test can run two at once (two
/// instances on one PostgreSQL) or stop one and start another on the same database.
final class LiveServer: Sendable {
    let components: ServerComponents
    let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    var database: Database { components.database }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(components: ServerComponents, port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.components = components
        self.port = port
        self.task = task
        self.group = group
    }

    static func start(_ url: DatabaseURL, configure: @Sendable (inout ServerConfiguration) -> Void = { _ in }) async throws -> LiveServer {
        var configuration = ServerConfiguration(database: url)
        configuration.port = 0
        configuration.bcryptCost = 4
        // Many test servers share one PostgreSQL cluster at once.
        configuration.databaseConnections = 4
        // Emails go to a spool under the temporary folder, never the tester's ~/.local/share.
        configuration.mail.spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("closer-test-spool-\(UUID().uuidString)").path
        configuration.logLevel = ProcessInfo.processInfo.environment["CLOSER_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        configure(&configuration)
        var logger = Logger(label: "closer-live-test")
        logger.logLevel = configuration.logLevel
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let (application, components) = try await buildApplication(configuration, logger: logger) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        // A service group, as `closer-server serve` runs it, so `stop()` is the SIGTERM path.
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task { try await group.run() }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestStoreError(description: "the server did not start") }
        return LiveServer(components: components, port: port, task: task, group: group)
    }

    /// Shuts the server down gracefully, as SIGTERM does, and waits until it has stopped.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
