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
    let recorder: TrackingRecorder
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
    guard MailAddress.isValid(configuration.mail.from) else {
        throw ServerConfigurationError.invalid("--mail-from", "\(configuration.mail.from) is not an address mail servers accept (e.g. closer@example.com)")
    }
    if let url = configuration.mail.smtpURL, !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
        throw ServerConfigurationError.invalid("--smtp-url", "must start with smtp:// (STARTTLS) or smtps://")
    }
    let database = try await Database.open(configuration.database, maximumConnections: configuration.databaseConnections, logger: logger)
    let hub = EventHub(database: database, logger: logger)
    var services: [any Service] = [database]
    if case .postgres(let host, let port, let user, let password, let name) = configuration.database {
        services.append(PostgresEventListener(host: host, port: port, user: user, password: password, database: name, hub: hub, database: database, logger: logger))
    }
    let committer = ChangeCommitter(database: database, hub: hub)
    let stats = StatsBroadcaster(database: database, committer: committer, logger: logger)
    hub.onStatsAffected { userId in stats.invalidate(userId: userId) }

    let port = SharedPort()
    let providers = channelProviders(configuration, port: port, logger: logger)
    let delivery = MessageDelivery(providers: providers, database: database, committer: committer, logger: logger,
                                   maxAttempts: configuration.mail.maxAttempts, baseBackoff: configuration.mail.firstRetryDelay)
    var inbox = Inbox(database: database, committer: committer, delivery: delivery)
    inbox.trackingEnabled = configuration.tracking.enabled
    let recorder = TrackingRecorder(database: database, committer: committer, classifier: TrafficClassifier(configuration: configuration.tracking), logger: logger)
    let hasher = PasswordHasher(cost: configuration.bcryptCost)
    let authenticator = TokenAuthenticator(database: database)
    services.append(delivery)
    services.append(recorder)
    services.append(EventRetention(database: database, keep: configuration.eventRetentionCount, maxAge: configuration.eventRetentionAge, logger: logger))
    let socketIO = SocketIOEndpoint(hub: hub, database: database, authenticator: authenticator, configuration: configuration.realtime, logger: logger)
    let webSocketRouter = Router(context: AppRequestContext.self)
    socketIO.addWebSocketRoutes(to: webSocketRouter)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    HealthRoutes(database: database).addRoutes(to: router)
    OpenAPIRoutes().addRoutes(to: router)
    socketIO.addHTTPRoutes(to: router)
    TrackingRoutes(database: database, recorder: recorder, configuration: configuration.tracking).addRoutes(to: router)
    WebhookRoutes(inbox: inbox, secret: configuration.inboundWebhookSecret, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)

    let api = router.group("api")
    AuthRoutes(
        database: database, hasher: hasher, authenticator: authenticator,
        limiter: LoginRateLimiter(limit: configuration.loginAttemptsPerMinute), maxBodyBytes: configuration.maxBodyBytes,
        trustedProxies: configuration.tracking.trustedProxies
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
        configuration: configuration, database: database, hub: hub, inbox: inbox, hasher: hasher, recorder: recorder,
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

/// Who delivers each channel: email over SMTP when configured, else into the spool folder; the
/// others through their outbound webhook when configured, else the logging provider.
func channelProviders(_ configuration: ServerConfiguration, port: SharedPort, logger: Logger) -> [CloserCore.Channel: any ChannelProvider] {
    let renderer = EmailRenderer(configuration: configuration.mail, trackingEnabled: configuration.tracking.enabled) {
        configuration.resolvedPublicURL(boundPort: port.port ?? configuration.port)
    }
    var providers: [CloserCore.Channel: any ChannelProvider] = [:]
    if configuration.mail.smtpURL != nil {
        providers[.email] = SMTPChannelProvider(configuration: configuration.mail, renderer: renderer, logger: logger)
    } else {
        providers[.email] = SpoolChannelProvider(directory: configuration.spoolDirectory, renderer: renderer, logger: logger)
    }
    for channel in CloserCore.Channel.allCases where channel != .email {
        if let url = configuration.outboundWebhooks[channel] {
            providers[channel] = WebhookChannelProvider(url: url, secret: configuration.outboundWebhookSecret, logger: logger)
        } else {
            providers[channel] = LoggingChannelProvider(logger: logger)
        }
    }
    return providers
}
