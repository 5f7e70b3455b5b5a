import Foundation

/// What kind of thing happened, for the activity stream.
public enum ActivityKind: String, WireEnum {
    case leadCreated = "lead_created"
    case messageSent = "message_sent"
    case messageReceived = "message_received"
    case messageFailed = "message_failed"
    case emailOpened = "email_opened"
    case linkClicked = "link_clicked"
    case statusChanged = "status_changed"
    case valueChanged = "value_changed"
}

/// One entry of a rep's activity stream.
public struct Activity: Codable, Sendable, Hashable, Identifiable {
    public var id: Int
    public var kind: ActivityKind
    public var leadId: String?
    public var leadName: String?
    /// Who did it: the rep's name, the lead's name, or "system".
    public var actor: String
    /// A one-line human summary, e.g. "Dana Kim opened “Proposal Q3”".
    public var summary: String
    public var data: JSONValue
    public var at: Date

    public init(id: Int, kind: ActivityKind, leadId: String?, leadName: String?, actor: String, summary: String, data: JSONValue = .object([:]), at: Date) {
        self.id = id
        self.kind = kind
        self.leadId = leadId
        self.leadName = leadName
        self.actor = actor
        self.summary = summary
        self.data = data
        self.at = at
    }
}
