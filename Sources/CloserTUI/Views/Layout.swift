import CloserCore

/// Where each panel goes for the current terminal size and state. Shared by `view` (to draw) and
/// `update` (to hit-test mouse clicks and size page jumps), so both agree on every rectangle.
public struct Layout: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        /// Under 40x10: only a message.
        case tooSmall
        /// Under 80 columns: one panel at a time.
        case narrow
        /// 80 to 119 columns: the sidebar is hidden, and can be shown as an overlay.
        case medium
        /// 120 columns and up: everything.
        case wide
    }

    public static let minimumSize = Size(width: 40, height: 10)

    public var mode: Mode
    public var leads: Rect?
    public var thread: Rect?
    public var compose: Rect?
    public var sidebar: Rect?
    public var statusBar: Rect
    /// Whether the sidebar is drawn over the thread rather than beside it.
    public var sidebarIsOverlay = false

    public static func compute(_ state: AppState) -> Layout {
        let size = state.size
        let screen = Rect(x: 0, y: 0, width: size.width, height: size.height)
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
            return Layout(mode: .tooSmall, statusBar: Rect(x: 0, y: max(0, size.height - 1), width: size.width, height: min(1, size.height)))
        }
        let (body, statusBar) = screen.splitBottom(1)

        if size.width < 80 {
            var layout = Layout(mode: .narrow, statusBar: statusBar)
            switch state.narrowPanel {
            case .leads: layout.leads = body
            case .sidebar: layout.sidebar = body
            case .thread, .compose:
                let (thread, compose) = splitMain(body, state: state)
                layout.thread = thread
                layout.compose = compose
            }
            return layout
        }

        let leadsWidth = min(44, max(30, size.width * 26 / 100))
        let (leads, rest) = body.splitLeft(leadsWidth)
        if size.width >= 120 {
            var layout = Layout(mode: .wide, leads: leads, statusBar: statusBar)
            var main = rest
            if !state.sidebarHidden {
                let split = rest.splitRight(min(36, max(30, size.width / 5)))
                main = split.rest
                layout.sidebar = split.right
            }
            (layout.thread, layout.compose) = splitMain(main, state: state)
            return layout
        }
        var layout = Layout(mode: .medium, leads: leads, statusBar: statusBar)
        (layout.thread, layout.compose) = splitMain(rest, state: state)
        if state.overlay == .sidebar {
            layout.sidebar = rest.splitRight(min(rest.width, 34)).right
            layout.sidebarIsOverlay = true
        }
        return layout
    }

    /// The thread above, the compose pane below, sized to what is being written.
    private static func splitMain(_ main: Rect, state: AppState) -> (Rect, Rect) {
        let innerWidth = max(1, main.width - 2)
        var rows = 3
        if let leadId = state.selectedLeadId {
            let compose = state.compose(for: leadId)
            let bodyRows = TextLayout.wrap(compose.body.text, width: innerWidth).count
            rows = min(max(bodyRows, 3), 10) + (compose.channel.hasSubject ? 1 : 0) + 1
        }
        let height = min(rows + 2, max(5, main.height / 2))
        let (thread, compose) = main.splitBottom(height)
        return (thread, compose)
    }

    /// The panel under a screen position, for mouse clicks.
    public func panel(atX x: Int, y: Int) -> Panel? {
        if sidebarIsOverlay, let sidebar, sidebar.contains(x: x, y: y) { return .sidebar }
        if let leads, leads.contains(x: x, y: y) { return .leads }
        if let compose, compose.contains(x: x, y: y) { return .compose }
        if let thread, thread.contains(x: x, y: y) { return .thread }
        if let sidebar, sidebar.contains(x: x, y: y) { return .sidebar }
        return nil
    }

    /// Panels on screen, in focus order.
    public var visiblePanels: [Panel] {
        var panels: [Panel] = []
        if leads != nil { panels.append(.leads) }
        if thread != nil { panels.append(.thread) }
        if compose != nil { panels.append(.compose) }
        if sidebar != nil && !sidebarIsOverlay { panels.append(.sidebar) }
        return panels
    }
}
