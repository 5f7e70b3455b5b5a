/// Everything a key can be bound to. The raw value is the name used in `config.toml [keys]` and in
/// the help overlay.
public enum KeyAction: String, CaseIterable, Sendable, Hashable {
    // Anywhere (outside text entry)
    case quit
    case help
    case commandLine = "command_line"
    case search
    case focusNext = "focus_next"
    case focusPrevious = "focus_previous"
    case nextPanel = "next_panel"
    case toggleSidebar = "toggle_sidebar"
    case toggleActivity = "toggle_activity"
    case notifications
    case cancel
    case redraw

    // Lists and the thread
    case moveDown = "move_down"
    case moveUp = "move_up"
    case pageDown = "page_down"
    case pageUp = "page_up"
    case top
    case bottom
    case open
    case back
    case compose
    case filterStatus = "filter_status"
    case markMeetingBooked = "mark_meeting_booked"
    case markConverted = "mark_converted"
    case retrySend = "retry_send"
    case editFailed = "edit_failed"

    // Compose
    case send
    case cycleChannel = "cycle_channel"
    case nextField = "next_field"
    case previousField = "previous_field"
    case openEditor = "open_editor"
    case lineStart = "line_start"
    case lineEnd = "line_end"
    case killToEnd = "kill_to_end"
    case killToStart = "kill_to_start"
    case deleteWordBackward = "delete_word_backward"
    case wordBackward = "word_backward"
    case wordForward = "word_forward"
    case cursorLeft = "cursor_left"
    case cursorRight = "cursor_right"
    case cursorUp = "cursor_up"
    case cursorDown = "cursor_down"
    case deleteBackward = "delete_backward"
    case deleteForward = "delete_forward"
    case newline

    /// Where the binding applies. Compose actions apply while text is being edited; the others
    /// apply everywhere else, so `j` types a "j" in compose and moves down in the lead list.
    public var context: KeyContext {
        switch self {
        case .send, .cycleChannel, .nextField, .previousField, .openEditor, .lineStart, .lineEnd, .killToEnd, .killToStart,
             .deleteWordBackward, .wordBackward, .wordForward, .cursorLeft, .cursorRight, .cursorUp, .cursorDown,
             .deleteBackward, .deleteForward, .newline:
            .compose
        default:
            .navigation
        }
    }

    /// One line for the help overlay.
    public var summary: String {
        switch self {
        case .quit: "Quit (drafts are saved first)"
        case .help: "Show this help"
        case .commandLine: "Command line (:theme, :status, :filter, :notifications, :drafts, :quit)"
        case .search: "Search leads by name, email or handle"
        case .focusNext: "Focus the next panel"
        case .focusPrevious: "Focus the previous panel"
        case .nextPanel: "Show the next panel (narrow terminals)"
        case .toggleSidebar: "Show or hide the KPI sidebar"
        case .toggleActivity: "Show or hide the activity stream"
        case .notifications: "Notification history"
        case .cancel: "Close, cancel, or leave compose"
        case .redraw: "Redraw the whole screen"
        case .moveDown: "Move down"
        case .moveUp: "Move up"
        case .pageDown: "Page down"
        case .pageUp: "Page up"
        case .top: "Go to the top (thread: oldest)"
        case .bottom: "Go to the bottom (thread: newest)"
        case .open: "Open the selected lead or entry"
        case .back: "Back to the lead list"
        case .compose: "Compose a message to the selected lead"
        case .filterStatus: "Cycle the status filter"
        case .markMeetingBooked: "Mark the lead meeting booked"
        case .markConverted: "Mark the lead converted"
        case .retrySend: "Retry a failed message"
        case .editFailed: "Edit a failed message (back into compose)"
        case .send: "Send the message"
        case .cycleChannel: "Switch channel (only the lead's channels)"
        case .nextField: "Next field (subject, body), then the next panel"
        case .previousField: "Previous field, then the previous panel"
        case .openEditor: "Edit the draft in $EDITOR"
        case .lineStart: "Start of line"
        case .lineEnd: "End of line"
        case .killToEnd: "Delete to end of line"
        case .killToStart: "Delete to start of line"
        case .deleteWordBackward: "Delete the word before the cursor"
        case .wordBackward: "Back one word"
        case .wordForward: "Forward one word"
        case .cursorLeft: "Cursor left"
        case .cursorRight: "Cursor right"
        case .cursorUp: "Cursor up"
        case .cursorDown: "Cursor down"
        case .deleteBackward: "Delete before the cursor"
        case .deleteForward: "Delete under the cursor"
        case .newline: "New line"
        }
    }
}

/// Which keymap a binding belongs to.
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    case navigation
    case compose
}
