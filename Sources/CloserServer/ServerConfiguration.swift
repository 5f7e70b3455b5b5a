import CloserCore
import Foundation
import Logging

/// Everything `closer-server serve` can be told, with the defaults a new installation runs on.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests and `closer --demo`).
    public var port = 8080
    public var database: DatabaseURL
    /// The base URL recipients reach the server at, for tracking pixels and links.
    public var publicURL: String?
    /// Connections to PostgreSQL this instance may open (SQLite always uses one writer and three readers).
    public var databaseConnections = ServerConfiguration.defaultDatabaseConnections
    public static let defaultDatabaseConnections = 16
    /// Largest request body accepted; larger ones get 413.
    public var maxBodyBytes = 1 << 20
    /// bcrypt cost for new password hashes.
    public var bcryptCost: UInt8 = 12
    /// Login attempts allowed per email and per IP in a minute.
    public var loginAttemptsPerMinute = 10
    /// Event log retention: the newest events kept per rep, and the oldest age kept.
    public var eventRetentionCount = 10_000
    public var eventRetentionAge: Duration = .seconds(7 * 86_400)
    /// The folder the server writes its own files to (email spool); defaults beside the SQLite file.
    public var dataDirectory: String?
    public var logLevel: Logger.Level = .info
    /// Socket.IO timings and limits.
    public var realtime = RealtimeConfiguration()
    /// Outbound email: SMTP, or the spool folder.
    public var mail = MailConfiguration()
    /// Open and click tracking.
    public var tracking = TrackingConfiguration()
    /// Outbound webhooks for instagram, sms and whatsapp (the logging provider where none is set).
    public var outboundWebhooks: [Channel: String] = [:]
    /// The key outbound webhooks are signed with (HMAC-SHA256).
    public var outboundWebhookSecret: String?
    /// The shared secret `POST /api/webhooks/inbound` checks signatures with; the route answers
    /// 503 until one is configured.
    public var inboundWebhookSecret: String?

    public init(database: DatabaseURL) {
        self.database = database
    }

    /// Where emails go without SMTP: the configured spool, else `spool/` beside the SQLite file,
    /// else in the server's XDG data folder.
    public var spoolDirectory: String {
        if let spool = mail.spoolDirectory { return spool }
        if let dataDirectory { return dataDirectory + "/spool" }
        if case .sqlite(let path) = database, path != ":memory:" {
            return URL(fileURLWithPath: path).deletingLastPathComponent().path + "/spool"
        }
        return DataDirectory.serverData(environment: ProcessInfo.processInfo.environment) + "/spool"
    }

    /// The public URL, or the listening address when none was given.
    public func resolvedPublicURL(boundPort: Int) -> String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        return "http://\(host):\(boundPort)"
    }
}
