import Foundation

/// Which way a message travelled.
public enum MessageDirection: String, WireEnum {
    case inbound
    case outbound
}

/// How far an outbound message got on its way to the lead.
public enum MessageStatus: String, WireEnum {
    case queued
    case sent
    case delivered
    case failed
}

/// One message of a thread, in either direction, with its email tracking state.
///
/// The stored properties are declared widest first and the one-byte ones together at the end, so
/// no padding falls between them: 149 bytes (152 in an array) instead of 160.
public struct Message: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var leadId: String
    public var body: String
    public var subject: String?
    /// Why delivery failed, when `status` is `failed`.
    public var failureReason: String?
    /// The open-pixel id; present on outbound email only.
    public var trackingId: String?
    /// The sender's idempotency key for outbound messages.
    public var clientId: String?
    public var createdAt: Date
    /// The first human open (machine opens never set it).
    public var openedAt: Date?
    /// The first human click on any link of the message.
    public var clickedAt: Date?
    public var channel: Channel
    public var direction: MessageDirection
    public var status: MessageStatus
    public var isRead: Bool

    public init(
        id: String,
        leadId: String,
        body: String,
        subject: String? = nil,
        channel: Channel,
        direction: MessageDirection,
        status: MessageStatus = .sent,
        failureReason: String? = nil,
        trackingId: String? = nil,
        openedAt: Date? = nil,
        clickedAt: Date? = nil,
        isRead: Bool = true,
        clientId: String? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.leadId = leadId
        self.body = body
        self.subject = subject
        self.channel = channel
        self.direction = direction
        self.status = status
        self.failureReason = failureReason
        self.trackingId = trackingId
        self.openedAt = openedAt
        self.clickedAt = clickedAt
        self.isRead = isRead
        self.clientId = clientId
        self.createdAt = createdAt
    }
}
