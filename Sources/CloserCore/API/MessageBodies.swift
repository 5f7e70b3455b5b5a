/// `POST /api/messages/:leadId` request.
public struct SendMessageRequest: Codable, Sendable, Hashable {
    public var body: String
    /// Required for email; ignored on other channels.
    public var subject: String?
    public var channel: Channel
    /// The sender's idempotency key: sending the same one twice stores one message.
    public var clientId: String
    public init(body: String, subject: String? = nil, channel: Channel, clientId: String) {
        self.body = body
        self.subject = subject
        self.channel = channel
        self.clientId = clientId
    }
}

/// `GET /api/messages/:leadId` answer: a page of the thread, oldest first.
public struct MessagePage: Codable, Sendable, Hashable {
    public var messages: [Message]
    /// Whether older messages exist; fetch them with `before=<id of messages.first>`.
    public var hasMore: Bool
    public init(messages: [Message], hasMore: Bool) {
        self.messages = messages
        self.hasMore = hasMore
    }
}

/// `POST /api/messages/:leadId/read` answer.
public struct MarkReadResponse: Codable, Sendable, Hashable {
    /// How many inbound messages changed from unread to read.
    public var updated: Int
    public init(updated: Int) {
        self.updated = updated
    }
}
