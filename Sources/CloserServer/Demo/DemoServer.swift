import CloserCore
import Foundation
import Logging
import ServiceLifecycle

/// The server behind `closer --demo`: the real closer-server, in process on a free loopback port,
/// on its own SQLite database in `directory`, with a seeded demo rep, a token for the client, and
/// the simulator driving traffic through the server's own HTTP front doors.
public final class DemoServer: Sendable {
    public static let repEmail = "demo@closer.example"

    public let baseURL: String
    public let token: String
    public let rep: User
    /// Where the demo's emails go (the spool: nothing leaves the machine).
    public let spoolDirectory: String
    private let group: ServiceGroup
    private let serverTask: Task<Void, any Error>
    private let simulatorTask: Task<Void, Never>

    private init(baseURL: String, token: String, rep: User, spoolDirectory: String, group: ServiceGroup,
                 serverTask: Task<Void, any Error>, simulatorTask: Task<Void, Never>) {
        self.baseURL = baseURL
        self.token = token
        self.rep = rep
        self.spoolDirectory = spoolDirectory
        self.group = group
        self.serverTask = serverTask
        self.simulatorTask = simulatorTask
    }

    /// Starts the demo in `directory` (created 0700); `reset` deletes the previous demo database
    /// and spool first. `speed` scales the simulator's pace.
    public static func start(directory: String, reset: Bool, speed: Double, logger: Logger) async throws -> DemoServer {
        let files = FileManager.default
        if reset {
            for name in ["server.sqlite", "server.sqlite-wal", "server.sqlite-shm", "spool"] {
                try? files.removeItem(atPath: directory + "/" + name)
            }
        }
        try DataDirectory.createPrivate(directory)
        var configuration = ServerConfiguration(database: .sqlite(path: directory + "/server.sqlite"))
        configuration.port = 0
        configuration.mail.spoolDirectory = directory + "/spool"
        configuration.inboundWebhookSecret = SecureToken.random(bytes: 32)
        // The demo rep's password is 24 random bytes nobody types; the lowest cost is enough and
        // keeps the first start quick.
        configuration.bcryptCost = 4
        configuration.logLevel = logger.logLevel

        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let (application, components) = try await buildApplication(configuration, logger: logger) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let serverTask = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            throw ServerConfigurationError.invalid("demo", "the demo server did not start: \(await serverTask.result)")
        }
        do {
            let baseURL = "http://127.0.0.1:\(port)"
            let admin = UserAdministration(database: components.database, bcryptCost: configuration.bcryptCost)
            let rep: User
            if let existing = try await admin.findUser(email: repEmail) {
                rep = existing
            } else {
                // Nobody signs in with a password in the demo; it still gets an unguessable one.
                rep = try await admin.addUser(email: repEmail, name: "Demo Rep", password: SecureToken.random(bytes: 24))
                try await DemoSeeder(database: components.database).seed(rep: rep)
            }
            let token = try await admin.issueToken(userId: rep.id, name: "closer --demo")
            let simulator = DemoSimulator(
                database: components.database, baseURL: baseURL, inboundSecret: configuration.inboundWebhookSecret ?? "",
                token: token, rep: rep, speed: speed, logger: logger
            )
            let simulatorTask = Task { await simulator.run() }
            return DemoServer(baseURL: baseURL, token: token, rep: rep, spoolDirectory: configuration.spoolDirectory, group: group,
                              serverTask: serverTask, simulatorTask: simulatorTask)
        } catch {
            await group.triggerGracefulShutdown()
            _ = await serverTask.result
            throw error
        }
    }

    /// Stops the simulator, then the server, gracefully.
    public func stop() async {
        simulatorTask.cancel()
        _ = await simulatorTask.value
        await group.triggerGracefulShutdown()
        _ = await serverTask.result
    }
}
