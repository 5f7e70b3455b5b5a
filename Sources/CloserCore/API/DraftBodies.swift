import Foundation

/// `POST /api/drafts/:leadId` request: an upsert of the rep's draft for the lead.
public struct SaveDraftRequest: Codable, Sendable, Hashable {
    public var content: String
    public var subject: String?
    public var channel: Channel
    /// The version this edit started from. When the server holds a newer one, the answer is 409
    /// with the current draft. Absent: last write wins.
    public var baseVersion: Int?
    /// When the rep typed it (client clock).
    public var savedAt: Date?
    public init(content: String, subject: String? = nil, channel: Channel, baseVersion: Int? = nil, savedAt: Date? = nil) {
        self.content = content
        self.subject = subject
        self.channel = channel
        self.baseVersion = baseVersion
        self.savedAt = savedAt
    }
}

/// The 409 answer to a draft save whose `baseVersion` is stale.
public struct DraftConflictBody: Codable, Sendable, Hashable {
    public var error: APIErrorBody.Detail
    /// The draft the server holds now.
    public var draft: Draft
    public init(error: APIErrorBody.Detail, draft: Draft) {
        self.error = error
        self.draft = draft
    }
}
