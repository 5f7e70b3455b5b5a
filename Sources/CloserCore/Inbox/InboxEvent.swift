import Foundation

/// Something the backend tells the terminal application.
public enum InboxEvent: Sendable, Hashable {
    /// Who is signed in, and where.
    case session(rep: User, server: String)
    /// The whole lead list (from the cache, then refreshed); replaces what the UI holds.
    case leads([Lead])
    /// The newest leads of a large cache, for the first paint; `total` is how many the whole
    /// list (a `leads` event that follows) holds.
    case leadsPreview([Lead], total: Int)
    /// One lead created or changed.
    case leadUpserted(Lead)
    /// A page of a thread. `replacing` is true for the newest page (the thread as it is now).
    case thread(leadId: String, messages: [Message], hasMore: Bool, replacing: Bool)
    /// A message created or changed. Outbox messages carry `status == .queued` and an id of
    /// `local:<clientId>` until the server accepts them, then arrive again with the server id.
    case messageUpserted(Message)
    /// The drafts held locally at start.
    case drafts([DraftSnapshot])
    /// A draft save reached the cache (`synced == false`) or the server (`synced == true`).
    case draftSaved(leadId: String, savedAt: Date, synced: Bool)
    /// Another device of the rep changed a draft and this one had no unsynced edits: use theirs.
    case draftReplaced(DraftSnapshot)
    /// Another device changed a draft this one also changed: ours stays, theirs is kept aside.
    case draftConflict(leadId: String, theirs: DraftSnapshot)
    /// The versions kept aside by earlier conflicts, newest first (at start, for `:drafts`).
    case draftCopies([DraftSnapshot])
    case stats(DashboardStats)
    case analytics(Analytics)
    /// Activity entries, newest first. `live` entries are new; others replace the list.
    case activity([Activity], live: Bool)
    /// A notification. `replayed` is true when it happened while the client was away.
    case notification(ServerNotification, replayed: Bool)
    /// A batch of replayed events ended: summarise what happened while away.
    case replayFinished
    case connection(ConnectionStatus)
    /// The token was refused: the rep must run `closer login` again. Drafts are safe.
    case sessionExpired
    /// A problem worth one line in the status bar.
    case problem(String)
}

/// A draft as the client holds it: the text, and whether the server has it.
public struct DraftSnapshot: Sendable, Hashable {
    public var leadId: String
    public var content: String
    public var subject: String?
    public var channel: Channel
    public var savedAt: Date
    public var synced: Bool

    public init(leadId: String, content: String, subject: String?, channel: Channel, savedAt: Date, synced: Bool) {
        self.leadId = leadId
        self.content = content
        self.subject = subject
        self.channel = channel
        self.savedAt = savedAt
        self.synced = synced
    }
}
