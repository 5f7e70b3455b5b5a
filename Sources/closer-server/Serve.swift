import ArgumentParser
import CloserCore
import CloserServer
import Foundation
import Hummingbird
import Logging

/// `closer-server serve`: run the server until SIGINT or SIGTERM, then finish in-flight requests.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("public-url"), help: "Base URL recipients reach this server at, for tracking links and pixels.")
    var publicURL: String?
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted; larger ones get 413.")
    var maxBodyBytes = 1 << 20
    @Option(name: .customLong("database-connections"), help: "PostgreSQL: the most connections this instance opens (its pool).")
    var databaseConnections = ServerConfiguration.defaultDatabaseConnections
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .customLong("smtp-url"), help: "Send email over SMTP: smtp://host:587 (STARTTLS) or smtps://host:465. Without it, emails are written as .eml files to the spool folder.")
    var smtpURL: String?
    @Option(name: .customLong("smtp-user"), help: "SMTP login name.")
    var smtpUser: String?
    @Option(name: .customLong("smtp-password-file"), help: "File holding the SMTP password (never pass it on the command line).")
    var smtpPasswordFile: String?
    @Flag(name: .customLong("smtp-require-tls"), help: "Refuse to send over an unencrypted SMTP connection (always so with a password).")
    var smtpRequireTLS = false
    @Option(name: .customLong("smtp-ca-file"), help: "PEM bundle to verify the SMTP server's certificate with.")
    var smtpCAFile: String?
    @Option(name: .customLong("mail-from"), help: "Envelope sender and From address; replies go to the rep (Reply-To).")
    var mailFrom = "closer@localhost.localdomain"
    @Option(name: .customLong("spool-dir"), help: "Where emails go without SMTP (default: spool/ beside the SQLite file).")
    var spoolDirectory: String?

    @Option(name: .customLong("tracking"), help: "on or off: the open pixel and link rewriting in outbound email.")
    var tracking: Toggle = .on
    @Flag(name: .customLong("anonymize-ip"), help: "Store tracking IPs truncated (IPv4 /24, IPv6 /48).")
    var anonymizeIP = false
    @Option(name: .customLong("trusted-proxy"), help: "A reverse proxy's address whose X-Forwarded-For is believed (repeatable).")
    var trustedProxies: [String] = []
    @Option(name: .customLong("machine-open-window"), help: "Seconds after sending during which an open or click counts as a machine's.")
    var machineOpenWindow = 2.0
    @Option(name: .customLong("machine-user-agents-file"), help: "Replace the list of scanner/prefetcher user-agent fragments (one per line).")
    var machineUserAgentsFile: String?
    @Option(name: .customLong("human-proxy-user-agents-file"), help: "Replace the list of mail image proxies whose fetches are a person's open (one per line; default GoogleImageProxy, YahooMailProxy).")
    var humanProxyUserAgentsFile: String?

    @Option(name: .customLong("event-retention-count"), help: "Events kept per rep for replay after a reconnect; older ones get a resync.")
    var eventRetentionCount = 10_000
    @Option(name: .customLong("event-retention-days"), help: "Days events are kept for replay.")
    var eventRetentionDays = 7.0

    @Option(name: .customLong("webhook"), help: "Deliver a channel through a signed JSON POST: CHANNEL=URL, e.g. sms=https://bridge.example/sms (repeatable).")
    var webhooks: [String] = []
    @Option(name: .customLong("webhook-secret-file"), help: "File holding the key outbound webhooks are signed with (HMAC-SHA256).")
    var webhookSecretFile: String?
    @Option(name: .customLong("inbound-secret-file"), help: "File holding the shared secret that signs POST /api/webhooks/inbound.")
    var inboundSecretFile: String?

    enum Toggle: String, ExpressibleByArgument {
        case on
        case off
    }

    func run() async throws {
        var configuration = ServerConfiguration(database: try database.url())
        configuration.host = host
        configuration.port = port
        configuration.publicURL = publicURL
        configuration.maxBodyBytes = maxBodyBytes
        guard (2...1_000).contains(databaseConnections) else {
            throw ValidationError("--database-connections takes a number from 2 to 1000")
        }
        configuration.databaseConnections = databaseConnections
        configuration.logLevel = logLevel
        configuration.mail.smtpURL = smtpURL
        configuration.mail.smtpUser = smtpUser
        configuration.mail.smtpPassword = try smtpPasswordFile.map { try Self.secret(at: $0, option: "--smtp-password-file") }
        configuration.mail.requireTLS = smtpRequireTLS
        configuration.mail.caFile = smtpCAFile
        configuration.mail.from = mailFrom
        configuration.mail.spoolDirectory = spoolDirectory
        configuration.tracking.enabled = tracking == .on
        configuration.tracking.anonymizeIP = anonymizeIP
        configuration.tracking.trustedProxies = Set(trustedProxies)
        configuration.tracking.machineOpenWindow = .milliseconds(Int(machineOpenWindow * 1000))
        if let machineUserAgentsFile {
            configuration.tracking.machineUserAgents = try Self.list(at: machineUserAgentsFile, option: "--machine-user-agents-file")
        }
        if let humanProxyUserAgentsFile {
            configuration.tracking.humanProxyUserAgents = try Self.list(at: humanProxyUserAgentsFile, option: "--human-proxy-user-agents-file")
        }
        guard eventRetentionCount > 0, eventRetentionDays > 0 else {
            throw ValidationError("--event-retention-count and --event-retention-days must be positive")
        }
        configuration.eventRetentionCount = eventRetentionCount
        configuration.eventRetentionAge = .milliseconds(Int(eventRetentionDays * 86_400_000))
        for webhook in webhooks {
            let parts = webhook.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let channel = Channel(rawValue: parts[0]), channel != .email,
                  parts[1].hasPrefix("http://") || parts[1].hasPrefix("https://")
            else { throw ValidationError("--webhook \(webhook): expected CHANNEL=URL with CHANNEL instagram, sms or whatsapp and an http(s) URL") }
            configuration.outboundWebhooks[channel] = parts[1]
        }
        configuration.outboundWebhookSecret = try webhookSecretFile.map { try Self.secret(at: $0, option: "--webhook-secret-file") }
        if !webhooks.isEmpty && configuration.outboundWebhookSecret == nil {
            // An unsigned webhook would let anyone who can reach the bridge send as the rep.
            throw ValidationError("--webhook needs --webhook-secret-file: outbound webhooks are always signed")
        }
        configuration.inboundWebhookSecret = try inboundSecretFile.map { try Self.secret(at: $0, option: "--inbound-secret-file") }
        let (application, _) = try await buildApplication(configuration, logger: makeLogger(level: logLevel))
        try await application.runService()
    }

    /// One entry per line; blank lines and `#` comments skipped.
    static func list(at path: String, option: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("\(option) \(path): cannot read the file") }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// A secret from a file, without its trailing newline; a missing or empty file is an error.
    static func secret(at path: String, option: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("\(option) \(path): cannot read the file") }
        let secret = text.trimmingCharacters(in: .newlines)
        guard !secret.isEmpty else { throw ValidationError("\(option) \(path): the file is empty") }
        return secret
    }
}
