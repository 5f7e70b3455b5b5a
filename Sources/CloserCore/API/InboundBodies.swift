import Foundation

/// `POST /api/webhooks/inbound` request: a message a lead sent on any channel, as an integrator
/// (or the demo's simulator) forwards it. Signed; see the README's "Inbound webhook".
public struct InboundMessageRequest: Codable, Sendable, Hashable {
    public var channel: Channel
    /// The sender: an email address, an Instagram handle or a phone number, by channel.
    public var from: String
    /// The rep's email address the message was sent to. Optional when the sender is already a
    /// lead of exactly one rep, or the server has one rep.
    public var to: String?
    /// Email only.
    public var subject: String?
    public var body: String
    /// The provider's id for the message: a repeat is accepted once.
    public var externalId: String
    /// When the provider received it; defaults to now.
    public var receivedAt: Date?
    /// The sender's display name, for a new lead; defaults to the address.
    public var name: String?

    public init(channel: Channel, from: String, to: String? = nil, subject: String? = nil, body: String, externalId: String,
                receivedAt: Date? = nil, name: String? = nil) {
        self.channel = channel
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.externalId = externalId
        self.receivedAt = receivedAt
        self.name = name
    }
}

/// `POST /api/webhooks/inbound` answer.
public struct InboundMessageResponse: Codable, Sendable, Hashable {
    public var message: Message
    /// False when this `externalId` had already been accepted (nothing new was stored).
    public var created: Bool
    public init(message: Message, created: Bool) {
        self.message = message
        self.created = created
    }
}
