import CloserCore
import Foundation

/// What a channel provider needs to deliver one outbound message.
public struct OutboundMessage: Sendable {
    public let message: Message
    public let lead: Lead
    /// The sending rep, for From/Reply-To.
    public let rep: User
    /// For tracked email: each original URL in the body and the token its rewritten link carries.
    public let linkTokens: [String: String]
}

/// The result of one delivery attempt.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The channel accepted the message.
    case sent
    /// The channel refused it. `retryable` failures (a timeout, a 4xx SMTP reply) are tried again
    /// with backoff; permanent ones mark the message failed at once.
    case failed(reason: String, retryable: Bool)
}

/// Delivers outbound messages to one channel: SMTP for email, a webhook for the others, or a log
/// line where nothing is configured.
public protocol ChannelProvider: Sendable {
    /// A short name for logs, e.g. "smtp" or "log".
    var name: String { get }
    func deliver(_ outbound: OutboundMessage) async -> DeliveryOutcome
}
