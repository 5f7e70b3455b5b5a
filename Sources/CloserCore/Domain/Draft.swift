import Foundation

/// A rep's unsent message for one lead. One per rep and lead; `version` grows on every save so two
/// devices can tell when they edited the same draft concurrently.
public struct Draft: Codable, Sendable, Hashable {
    public var leadId: String
    public var content: String
    public var subject: String?
    public var channel: Channel
    public var version: Int
    /// When the rep last saved it (the client's clock, as sent).
    public var savedAt: Date
    /// When the server stored it.
    public var updatedAt: Date

    public init(
        leadId: String,
        content: String,
        subject: String? = nil,
        channel: Channel,
        version: Int,
        savedAt: Date,
        updatedAt: Date
    ) {
        self.leadId = leadId
        self.content = content
        self.subject = subject
        self.channel = channel
        self.version = version
        self.savedAt = savedAt
        self.updatedAt = updatedAt
    }
}
