import CloserCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The parts of a running server that tests, the demo and the CLI reach into.
public struct ServerComponents: Sendable {
    public let configuration: ServerConfiguration
    public let database: Database
    public let hub: EventHub
    let inbox: Inbox
    let hasher: PasswordHasher
    /// The port the server listens on, known once it runs (the configuration may say 0).
    /// Every route as "METHOD /path", for the OpenAPI document's test.
    public let routes: [String]
    let portBox: SharedPort
    public var boundPort: Int? { portBox.port }


    /// The base URL for tracking links and pixels.
    public var publicURL: String {
        configuration.resolvedPublicURL(boundPort: boundPort ?? configuration.port)
    }
}

/// The listening port, shared between the server's startup callback and everything that builds URLs.
final class SharedPort: Sendable {
    private let value = Atomic<Int>(0)
    func store(_ port: Int) { value.store(port, ordering: .releasing) }
    /// The port, or nil before the server is listening.
    var port: Int? {
        let port = value.load(ordering: .acquiring)
        return port == 0 ? nil : port
    }
}

/// Builds the whole server: storage, routes, real-time, delivery. Shared by `closer-server serve`,
/// `closer --demo` and the tests, so all three run the same code.
public func buildApplication(
    _ configuration: ServerConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> (application: some ApplicationProtocol, components: ServerComponents) {
    let logger = {
        var logger = logger
        logger.logLevel = configuration.logLevel
        return logger
    }()
    let database = try await Database.open(configuration.database, maximumConnections: configuration.databaseConnections, logger: logger)
    let hub = EventHub(database: database, logger: logger)
    var services: [any Service] = [database]
    var notifier: (any CommitNotifier)?
    if case .postgres(let host, let port, let user, let password, let name) = configuration.database {
        notifier = PostgresCommitNotifier()
        services.append(PostgresEventListener(host: host, port: port, user: user, password: password, database: name, hub: hub, database: database, logger: logger))
    }
    let committer = ChangeCommitter(database: database, hub: hub, notifier: notifier)
    let stats = StatsBroadcaster(database: database, committer: committer, logger: logger)
    hub.onStatsAffected { userId in stats.invalidate(userId: userId) }

    let providers: [CloserCore.Channel: any ChannelProvider] = Dictionary(
        uniqueKeysWithValues: CloserCore.Channel.allCases.map { ($0, LoggingChannelProvider(logger: logger)) }
    )
    let delivery = MessageDelivery(providers: providers, database: database, committer: committer, logger: logger)
    let inbox = Inbox(database: database, committer: committer, delivery: delivery)
    let hasher = PasswordHasher(cost: configuration.bcryptCost)
    let authenticator = TokenAuthenticator(database: database)
    let port = SharedPort()
    services.append(delivery)
    services.append(EventRetention(database: database, keep: configuration.eventRetentionCount, maxAge: configuration.eventRetentionAge, logger: logger))
    let socketIO = SocketIOEndpoint(hub: hub, database: database, authenticator: authenticator, configuration: configuration.realtime, logger: logger)
    let webSocketRouter = Router(context: AppRequestContext.self)
    socketIO.addWebSocketRoutes(to: webSocketRouter)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    HealthRoutes(database: database).addRoutes(to: router)
    OpenAPIRoutes().addRoutes(to: router)
    socketIO.addHTTPRoutes(to: router)

    let api = router.group("api")
    AuthRoutes(
        database: database, hasher: hasher, authenticator: authenticator,
        limiter: LoginRateLimiter(limit: configuration.loginAttemptsPerMinute), maxBodyBytes: configuration.maxBodyBytes
    ).addPublicRoutes(to: api)
    let authenticated = api.group().add(middleware: AuthMiddleware(authenticator: authenticator))
    AuthRoutes(
        database: database, hasher: hasher, authenticator: authenticator,
        limiter: LoginRateLimiter(limit: configuration.loginAttemptsPerMinute), maxBodyBytes: configuration.maxBodyBytes
    ).addRoutes(to: authenticated)
    LeadRoutes(database: database, inbox: inbox, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: authenticated)
    MessageRoutes(database: database, inbox: inbox, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: authenticated)
    DraftRoutes(database: database, inbox: inbox, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: authenticated)
    DashboardRoutes(database: database).addRoutes(to: authenticated)
    EventRoutes(database: database).addRoutes(to: authenticated)

    let components = ServerComponents(
        configuration: configuration, database: database, hub: hub, inbox: inbox, hasher: hasher,
        routes: router.routes.map { "\($0.method.rawValue) \($0.path)" }, portBox: port
    )
    var application = Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            // Engine.IO pings at its own level; the WebSocket's automatic ping stays off.
            configuration: .init(ws: .init(maxFrameSize: configuration.realtime.maxPayload, autoPing: .disabled, closeTimeout: configuration.realtime.closeGrace))
        ),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "closer-server"),
        services: services,
        onServerRunning: { channel in
            let bound = channel.localAddress?.port ?? configuration.port
            port.store(bound)
            logger.info("closer-server listening on http://\(configuration.host):\(bound) (database \(configuration.database))")
            await onServerRunning(bound)
        },
        logger: logger
    )
    application.beforeServerStarts {
        let applied = try await Migrations.run(on: database)
        if !applied.isEmpty { logger.info("applied migrations \(applied)") }
    }
    return (application, components)
}
