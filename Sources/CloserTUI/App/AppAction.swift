import CloserCore
import Foundation

/// Everything that can happen to the application: input, time, and news from the backend.
public enum AppAction: Sendable {
    case key(KeyEvent)
    /// Text from a bracketed paste: inserted as text, never read as key bindings.
    case paste(String)
    case mouse(MouseEvent)
    case resize(Size)
    /// Time passed; timers (autosave, toasts, highlights) fire from here.
    case tick(Date)
    case inbox(InboxEvent)
    /// `$EDITOR` closed; `text` is the file's content (nil when the editor failed).
    case editorFinished(leadId: String, text: String?, error: String?)
    /// A theme was switched; `warning` names a problem with the file if the default was used instead.
    case themeChanged(name: String, warning: String?)
    /// SIGTERM, SIGHUP or SIGINT: save and leave.
    case terminate
    /// SIGTSTP (Ctrl-Z): save, then hand the terminal back to the shell until `fg`.
    case suspend
}

/// What `update` asks the outside world to do.
public enum AppEffect: Sendable, Equatable {
    case backend(InboxCommand)
    case bell
    /// A desktop notification through the terminal (OSC 9 or 777), already sanitised.
    case desktopNotification(title: String, body: String)
    case openEditor(leadId: String, text: String)
    case loadTheme(String)
    /// Flush drafts, restore the terminal, exit.
    case quit
    /// Restore the terminal, stop the process, and take the terminal back when continued.
    case suspend
    /// Repaint every cell (Ctrl-L): something else wrote over the screen.
    case redraw
}

/// A mouse event in screen cells.
public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case press
        case wheelUp
        case wheelDown
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
