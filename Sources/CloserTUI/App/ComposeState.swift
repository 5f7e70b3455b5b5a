import CloserCore
import Foundation

/// The compose pane for one lead: the body and subject being written, the channel, and where the
/// draft stands (typed, saved locally, synced).
public struct ComposeState: Sendable, Equatable {
    /// Which field has the cursor.
    public enum Field: Sendable, Equatable {
        case subject
        case body
    }

    /// How far the latest edit has got.
    public enum SaveState: Sendable, Equatable {
        /// Nothing typed since the last save (or nothing at all).
        case clean
        /// Typed; a save is scheduled at the autosave deadline.
        case pending
        /// In the cache, on disk.
        case savedLocally(Date)
        /// The server has it.
        case synced(Date)
    }

    public var body: TextEditor
    public var subject: TextEditor
    public var channel: Channel
    public var field: Field = .body
    public var save: SaveState = .clean
    /// When the debounced save should happen (500 ms after the last keystroke by default).
    public var autosaveDeadline: Date?
    /// Whether the draft exists somewhere (cache or server), for the "Continue draft…" placeholder.
    public var hasStoredDraft: Bool

    public init(body: String = "", subject: String? = nil, channel: Channel, hasStoredDraft: Bool = false) {
        self.body = TextEditor(text: body)
        self.subject = TextEditor(text: subject ?? "")
        self.channel = channel
        self.hasStoredDraft = hasStoredDraft
    }

    public var isEmpty: Bool { body.isEmpty && subject.isEmpty }

    /// The content as the backend stores it.
    public func edit(leadId: String) -> DraftEdit {
        DraftEdit(leadId: leadId, content: body.text, subject: channel.hasSubject && !subject.isEmpty ? subject.text : nil, channel: channel)
    }
}
