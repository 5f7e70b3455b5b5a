import Foundation

/// Why the rep is being notified.
public enum NotificationKind: String, WireEnum {
    case messageReceived = "message_received"
    case emailOpened = "email_opened"
    case linkClicked = "link_clicked"
    case leadConverted = "lead_converted"
    case meetingBooked = "meeting_booked"
}

/// A live signal for the rep: the payload of the `notification` event.
public struct ServerNotification: Codable, Sendable, Hashable {
    public var kind: NotificationKind
    public var leadId: String
    public var leadName: String?
    public var messageId: String?
    /// Plain text for a toast. Untrusted: clients sanitise it before drawing.
    public var text: String
    public var at: Date

    public init(kind: NotificationKind, leadId: String, leadName: String? = nil, messageId: String? = nil, text: String, at: Date) {
        self.kind = kind
        self.leadId = leadId
        self.leadName = leadName
        self.messageId = messageId
        self.text = text
        self.at = at
    }
}
