/// A rep's action for the backend to carry out.
public enum InboxCommand: Sendable, Hashable {
    /// Load a page of a thread: the newest page, or the page older than message `before`.
    case loadThread(leadId: String, before: String?)
    /// Save the draft locally and upstream (the UI has already debounced keystrokes).
    case saveDraft(DraftEdit)
    /// The compose pane was emptied: remove the draft locally and upstream.
    case discardDraft(leadId: String)
    /// Send a message, through the outbox when offline.
    case send(OutgoingMessage)
    /// Try a failed outbox message again.
    case retry(clientId: String)
    /// Take a failed outbox message back (the rep edits it in compose instead).
    case withdraw(clientId: String)
    /// A draft version kept aside after a conflict was restored: forget the stored copy.
    case forgetDraftCopy(DraftSnapshot)
    case markRead(leadId: String)
    case setStatus(leadId: String, status: LeadStatus)
    /// Reload everything from the server.
    case refresh
}

/// The compose pane's content for one lead, as the rep left it.
public struct DraftEdit: Sendable, Hashable {
    public var leadId: String
    public var content: String
    public var subject: String?
    public var channel: Channel

    public init(leadId: String, content: String, subject: String?, channel: Channel) {
        self.leadId = leadId
        self.content = content
        self.subject = subject
        self.channel = channel
    }
}

/// A message the rep asked to send; `clientId` makes delivery exactly once.
public struct OutgoingMessage: Sendable, Hashable {
    public var leadId: String
    public var body: String
    public var subject: String?
    public var channel: Channel
    public var clientId: String

    public init(leadId: String, body: String, subject: String?, channel: Channel, clientId: String) {
        self.leadId = leadId
        self.body = body
        self.subject = subject
        self.channel = channel
        self.clientId = clientId
    }
}
