import CloserCore

/// A window drawn over the panels, which takes the keys while open.
public enum Overlay: Sendable, Equatable {
    /// The keymap, generated from the live bindings; `scroll` is the first row shown.
    case help(scroll: Int)
    /// The `:` command line.
    case command(CommandLineState)
    /// Notification history, newest first; Enter jumps to the lead.
    case notifications(selected: Int)
    /// Drafts kept aside after a conflict; Enter restores one into compose.
    case drafts(selected: Int)
    /// The KPI sidebar over the thread (terminals narrower than 120 columns).
    case sidebar
}

/// The command line's text and its completion state.
public struct CommandLineState: Sendable, Equatable {
    public var editor = TextEditor()
    /// Candidates for the word under the cursor, shown above the line.
    public var completions: [String] = []
    public init() {}
}

/// One entry in the notification history.
public struct NotificationEntry: Sendable, Equatable {
    public var notification: ServerNotification
    /// How many of the same kind for the same lead arrived together.
    public var count: Int
    public var replayed: Bool

    public init(notification: ServerNotification, count: Int = 1, replayed: Bool = false) {
        self.notification = notification
        self.count = count
        self.replayed = replayed
    }
}
