import Foundation

/// Everything needed to write one email a rep sends: who, what, and how to track it.
struct OutboundEmail: Sendable {
    /// The sending mailbox, usually the rep's name at the workspace's sending address.
    var from: MailAddress
    /// The one recipient.
    var to: MailAddress
    /// Where replies go when that is not `from`, e.g. a reply-tracking address.
    var replyTo: MailAddress?
    /// The subject as the rep typed it.
    var subject: String
    /// The rep's plain text, the source of both the text and the HTML part.
    var body: String
    /// The `Message-ID` in its full `<unique@domain>` form; stored so replies can be threaded.
    var messageId: String
    /// When the email counts as sent, for the `Date` header.
    var date: Date
    /// The tracked link for each original link in `body`; empty when click tracking is off.
    var trackedURL: [String: String]
    /// The open-tracking image address; `nil` when open tracking is off.
    var pixelURL: String?

    init(
        from: MailAddress,
        to: MailAddress,
        replyTo: MailAddress? = nil,
        subject: String,
        body: String,
        messageId: String,
        date: Date,
        trackedURL: [String: String] = [:],
        pixelURL: String? = nil
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.body = body
        self.messageId = messageId
        self.date = date
        self.trackedURL = trackedURL
        self.pixelURL = pixelURL
    }
}
