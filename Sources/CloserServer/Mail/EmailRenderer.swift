import CloserCore
import Foundation

/// Turns an outbound email message into the RFC 5322 text that SMTP carries or the spool keeps:
/// From the server's address with the rep's name, Reply-To the rep, and, when tracking is on, the
/// pixel and every link rewritten to its tracking URL.
struct EmailRenderer: Sendable {
    let configuration: MailConfiguration
    let trackingEnabled: Bool
    /// The server's public base URL (known once it listens, so read at render time).
    let publicURL: @Sendable () -> String

    /// Fails only on a bad address or id from configuration or data (never from the rep's text).
    func render(_ outbound: OutboundMessage) throws -> String {
        let base = publicURL()
        let message = outbound.message
        let tracked = trackingEnabled ? outbound.linkTokens.mapValues { "\(base)/t/c/\($0)" } : [:]
        let pixel = trackingEnabled ? message.trackingId.map { "\(base)/t/o/\($0).gif" } : nil
        let host = URL(string: base)?.host ?? "closer.invalid"
        let email = OutboundEmail(
            from: MailAddress(name: outbound.rep.name, address: configuration.from),
            to: MailAddress(name: outbound.lead.name, address: outbound.lead.email ?? ""),
            replyTo: MailAddress(name: outbound.rep.name, address: outbound.rep.email),
            subject: message.subject ?? "",
            body: message.body,
            // Stable across retries: a receiving server can drop a duplicate of a retried send.
            messageId: "<\(message.id)@\(host)>",
            date: message.createdAt,
            trackedURL: tracked,
            pixelURL: pixel
        )
        return try MailComposer().compose(email)
    }
}
